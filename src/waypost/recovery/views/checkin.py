"""The client's daily check-in: today's, or one of the two days before."""

from __future__ import annotations

from datetime import date
from typing import TYPE_CHECKING

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied
from django.http import Http404, HttpResponse
from django.shortcuts import redirect, render
from django.urls import reverse
from django.utils import formats
from django.utils.translation import gettext as _
from django.views.decorators.http import require_http_methods

from waypost.access.policy import Action, can, own_enrollment
from waypost.program.models import Enrollment
from waypost.recovery import selectors, services
from waypost.recovery.forms import CheckInForm
from waypost.recovery.models import CheckIn

if TYPE_CHECKING:
    from waypost.accounts.http import AuthenticatedHttpRequest


def _thanks(entry: CheckIn, *, today: date, changed: bool) -> str:
    if changed:
        return _("Thank you. Your check-in for %(day)s is changed.") % {
            "day": formats.date_format(entry.local_date, "l j F")
        }
    if not entry.sober:
        return _(
            "Thank you for being honest. A lapse is something to learn from, "
            "and your total days are still yours."
        )
    if entry.local_date != today:
        return _("Thank you. That day is kept with the others.")
    return _("Thank you for checking in. Today counts.")


def _page(request: AuthenticatedHttpRequest, enrollment: Enrollment, day: date) -> HttpResponse:
    today = selectors.client_today(enrollment, client=request.user)
    recent = {c.local_date: c for c in selectors.recent_check_ins(enrollment, today)}
    existing = recent.get(day)
    status = 200
    if request.method == "POST":
        form = CheckInForm(request.POST, existing=existing)
        if form.is_valid():
            data = form.cleaned_data
            try:
                entry = services.check_in(
                    enrollment=enrollment,
                    by=request.user,
                    day=day,
                    client_uuid=data["client_uuid"],
                    sober=data["sober"] == "yes",
                    mood=data["mood"],
                    urge=data["urge"],
                    sleep_hours=data["sleep_hours"],
                    mindfulness_minutes=data["mindfulness_minutes"] or 0,
                    note=data["note"],
                    path=request.path,
                )
            except services.CheckInError as exc:
                form.add_error(None, exc.message)
            else:
                messages.success(request, _thanks(entry, today=today, changed=existing is not None))
                return redirect("program:today")
        status = 400
    else:
        form = CheckInForm(existing=existing)
    others = [
        (
            other,
            other in recent,
            reverse("recovery:checkin")
            if other == today
            else reverse("recovery:checkin_day", args=[other.isoformat()]),
        )
        for other in selectors.editable_days(today)
        if other != day
    ]
    return render(
        request,
        "recovery/checkin.html",
        {
            "enrollment": enrollment,
            "form": form,
            "day": day,
            "is_today": day == today,
            "existing": existing,
            "others": others,
        },
        status=status,
    )


def _own(request: AuthenticatedHttpRequest) -> Enrollment | None:
    """The client's enrollment if they may check in; None (a kind page) before Stage 2."""
    enrollment = own_enrollment(request.user)
    if can(request.user, Action.CHECK_IN, enrollment):
        return enrollment
    if request.method == "POST":
        raise PermissionDenied
    return None


@login_required
@require_http_methods(["GET", "POST"])
def checkin(request: AuthenticatedHttpRequest) -> HttpResponse:
    enrollment = _own(request)
    if enrollment is None:
        return render(request, "recovery/not_yet.html")
    return _page(request, enrollment, selectors.client_today(enrollment, client=request.user))


@login_required
@require_http_methods(["GET", "POST"])
def checkin_day(request: AuthenticatedHttpRequest, day: str) -> HttpResponse:
    enrollment = _own(request)
    if enrollment is None:
        return render(request, "recovery/not_yet.html")
    try:
        when = date.fromisoformat(day)
    except ValueError:
        raise Http404 from None
    today = selectors.client_today(enrollment, client=request.user)
    if when == today and request.method != "POST":
        return redirect("recovery:checkin")
    if when not in selectors.editable_days(today):
        raise Http404
    return _page(request, enrollment, when)
