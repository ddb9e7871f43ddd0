"""The middle-circle log: note a moment on slippery ground in a few seconds, see and take back.

``/middle/new/`` ticks the middle-circle items of the client's own recovery plan (or
takes a few words under "Something else"); when defaults to now. Like the urge form
(``views/urges.py``) it serves the offline queue (``core/static/core/offline.js``): a
POST with ``X-Waypost-Replay: 1`` is answered in JSON through ``core.offline`` — 201
when stored now, 200 when that ``client_uuid`` was stored before, 400 with the errors.
``/middle/`` lists the recent moments, each with a way to take it back; just after a
save it first offers what might help now: the client's if–then plans, the toolbox and
Get help now.

Also here: the clinician's record card (what was ticked in the last 30 days; never
the note) and :func:`register`.
"""

from __future__ import annotations

from typing import TYPE_CHECKING, Any

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied
from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy
from django.views.decorators.http import require_http_methods, require_POST, require_safe

from waypost.access.policy import Action, can
from waypost.core import audit, events, offline, panels
from waypost.core.errors import show_on_form
from waypost.program.models import Enrollment, Stage
from waypost.recovery import days, middle_selectors, middle_services, selectors
from waypost.recovery.middle_forms import MiddleMomentForm
from waypost.recovery.services.urges import EDIT_WINDOW
from waypost.recovery.views.urges import logging_enrollment

if TYPE_CHECKING:
    from waypost.accounts.http import AuthenticatedHttpRequest

STYLESHEET = "recovery/middle.css"
#: The audit subject of a clinician reading the middle-circle log (the record card).
AUDIT_SUBJECT = "middle-circle log"
#: Where a save leads: the log, opening with what might help now.
SAVED_QUERY = "?saved=1"


def _not_yet(request: HttpRequest) -> HttpResponse:
    return render(request, "recovery/middle/not_yet.html")


def warm_line() -> str:
    """What the client reads after noting a moment: noticing is the skill, no verdict."""
    return _(
        "Noted. Spotting slippery ground is a skill, and you just used it. "
        "Nothing is lost: this is the moment your plan is for."
    )


def _page(
    request: AuthenticatedHttpRequest,
    enrollment: Enrollment,
    form: MiddleMomentForm,
    *,
    status: int = 200,
) -> HttpResponse:
    offered = middle_selectors.plan_items(enrollment)
    ticked = [str(v) for v in (form["items"].value() or [])]
    # A ticked item the plan no longer offers (a form sent again) is shown first, ticked.
    extra = [item for item in ticked if item not in offered.items]
    now = timezone.now().astimezone(days.zone_named(form.time_zone))
    return render(
        request,
        "recovery/middle/form.html",
        {
            "enrollment": enrollment,
            "form": form,
            "plan": offered,
            "items": [*extra, *offered.items],
            "ticked": set(ticked),
            "open_more": bool(form.errors)
            and any(name in form.errors for name in ("occurred_at", "note")),
            "moment_min": (now - EDIT_WINDOW).strftime("%Y-%m-%dT%H:%M"),
            "moment_max": now.strftime("%Y-%m-%dT%H:%M"),
        },
        status=status,
    )


@login_required
@require_http_methods(["GET", "POST"])
def middle_new(request: AuthenticatedHttpRequest) -> HttpResponse:
    enrollment = logging_enrollment(request)
    if enrollment is None:
        return _not_yet(request)
    zone = selectors.client_time_zone(enrollment, client=request.user)
    if request.method != "POST":
        form = MiddleMomentForm(time_zone=zone)
        form.fields["plan_version"].initial = middle_selectors.plan_items(enrollment).version
        return _page(request, enrollment, form)
    form = MiddleMomentForm(request.POST, time_zone=zone)
    replay = offline.is_replay(request)
    if form.is_valid():
        answers = form.answers()
        if answers["occurred_at"] is None:
            # Saved on the phone without a signal: it happened when it was saved.
            answers["occurred_at"] = offline.queued_at(request)
        try:
            noted = middle_services.note_moment(
                enrollment=enrollment,
                by=request.user,
                client_uuid=form.cleaned_data["client_uuid"],
                path=request.path,
                **answers,
            )
        except middle_services.MiddleError as exc:
            show_on_form(form, exc)
        else:
            following = reverse("recovery:middle_log") + SAVED_QUERY
            if replay:
                return offline.stored(
                    created=noted.created, id=noted.moment.pk, next=following, message=warm_line()
                )
            messages.success(request, warm_line())
            return redirect(following)
    if replay:
        return offline.refused(form.errors)
    return _page(request, enrollment, form, status=400)


@login_required
@require_safe
def middle_log(request: AuthenticatedHttpRequest) -> HttpResponse:
    """The recent moments; just after a save, first what might help now."""
    enrollment = logging_enrollment(request)
    if enrollment is None:
        return _not_yet(request)
    saved = request.GET.get("saved") == "1"
    return render(
        request,
        "recovery/middle/log.html",
        {
            "enrollment": enrollment,
            "moments": middle_selectors.recent(enrollment),
            "shown": middle_selectors.RECENT_LIMIT,
            "saved": saved,
            "if_then": middle_selectors.if_then_plans(enrollment) if saved else [],
            "client_zone": selectors.client_time_zone(enrollment, client=request.user),
        },
    )


@login_required
@require_POST
def middle_delete(request: AuthenticatedHttpRequest, pk: int) -> HttpResponse:
    """Take back one of the client's moments (a mistake); someone else's is not found."""
    enrollment = logging_enrollment(request)
    if enrollment is None:  # pragma: no cover - _own refuses a POST before Stage 2
        raise PermissionDenied
    moment = middle_selectors.own_moment(enrollment, pk)
    if moment is None:
        raise Http404
    middle_services.delete_moment(moment=moment, by=request.user, path=request.path)
    messages.success(request, _("Deleted. It is no longer in your log."))
    return redirect("recovery:middle_log")


# --- the clinician's card ------------------------------------------------------------------


def record_card(request: HttpRequest, enrollment: Enrollment) -> dict[str, Any] | None:
    """What the client noted on slippery ground in the last 30 days; audited whenever shown.

    The items are the client's recovery plan's, which the clinician already reads; the
    client's notes stay theirs.
    """
    if not can(request.user, Action.VIEW_RECORD, enrollment):
        return None
    if enrollment.stage < Stage.ABSTINENCE and not enrollment.middle_circle_moments.exists():
        return None
    numbers = middle_selectors.record_numbers(enrollment, selectors.client_today(enrollment))
    if request.user.is_authenticated:
        events.record_view(
            actor=request.user, enrollment=enrollment, what=AUDIT_SUBJECT, path=request.path
        )
    return {
        "numbers": numbers,
        "days": middle_selectors.RECORD_DAYS,
        "client_zone": selectors.client_time_zone(enrollment),
    }


def register() -> None:
    """The log's record card, audit subject, Journey link and kept page (``panels.register``)."""
    from waypost.core import nav

    audit.register_subject(AUDIT_SUBJECT, gettext_lazy("Middle-circle log"))
    panels.register(
        panels.Panel(
            slot="client_record_side",
            key="recovery.middle_record",
            template="recovery/middle/record_card.html",
            context=record_card,
            order=21,  # just after the urge log's card
            stylesheet=STYLESHEET,
        )
    )
    nav.add_journey_link(
        nav.JourneyLink(
            "recovery.middle",
            gettext_lazy("Slippery ground: your middle circle"),
            "recovery:middle_log",
            63,
            2,
        )
    )
    # The form is kept for use without a signal, like the urge form.
    offline.register_asset(STYLESHEET)
    offline.register_page(
        offline.OfflinePage(
            key="recovery.middle_new",
            urls=lambda: [reverse("recovery:middle_new")],
            label=gettext_lazy("Note slippery ground"),
            order=31,
        )
    )
