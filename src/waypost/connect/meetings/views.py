"""The meeting directory for a clinic's clients and staff, a meeting's page, favourites and the
client's attendance log.

- ``meetings/`` (GET): search the clinic's directory (clients and staff of the clinic);
- ``meetings/soon/`` (GET): online meetings starting within a few hours, anywhere;
- ``meetings/<id>/`` (GET): one meeting, with its times in the viewer's zone;
- ``meetings/<id>/favourite/`` (POST ``favourite`` = 1 or 0): the client's favourites;
  answered with the button alone for an htmx request (``HX-Request``), otherwise with a
  redirect back, so it works without JavaScript;
- ``meetings/<id>/reminder/`` (POST ``remind`` = 1 or 0): "Remind me an hour before" on
  one of the client's favourites; a redirect back, or the meeting's page with the reason
  (400) for a choice that cannot be made;
- ``meetings/log/`` (GET, POST): the client's attendance log, and "I went";
- ``meetings/log/<id>/delete/`` (POST): an entry off the log.

The directory's clinic is the viewer's own (``selectors.viewer_clinic``); allies and
people from other clinics are refused, and another clinic's meeting is a 404.
"""

from __future__ import annotations

from typing import TYPE_CHECKING, Any

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied
from django.core.paginator import Paginator
from django.http import Http404, HttpRequest, HttpResponse, HttpResponseRedirect
from django.shortcuts import redirect, render
from django.urls import reverse
from django.utils import formats, timezone
from django.utils.http import url_has_allowed_host_and_scheme
from django.utils.translation import gettext as _
from django.views.decorators.http import require_http_methods, require_POST, require_safe

from waypost.access.policy import Action, can, own_enrollment, require, roles_of
from waypost.connect.meetings import schedule, selectors, services
from waypost.connect.meetings.forms import SOON_HOURS, AttendanceForm, ReminderForm, SearchForm
from waypost.connect.meetings.models import Attendance, Meeting
from waypost.core.errors import show_on_form

if TYPE_CHECKING:
    from waypost.accounts.http import AuthenticatedHttpRequest
    from waypost.clinics.models import Clinic

PER_PAGE = 25
STYLESHEET = "meetings/meetings.css"


def _clinic(request: HttpRequest) -> Clinic:
    clinic = selectors.viewer_clinic(request.user)
    if clinic is None:
        raise PermissionDenied
    require(request.user, Action.BROWSE_MEETINGS, clinic)
    return clinic


def _meeting(request: HttpRequest, pk: int) -> Meeting:
    _clinic(request)
    meeting = selectors.visible_meeting(request.user, pk)
    if meeting is None:
        raise Http404
    return meeting


def _back(request: HttpRequest, fallback: str) -> HttpResponseRedirect:
    target = request.POST.get("next", "")
    if target and url_has_allowed_host_and_scheme(
        target, allowed_hosts={request.get_host()}, require_https=request.is_secure()
    ):
        return redirect(target)
    return redirect(fallback)


def _common(request: HttpRequest, clinic: Clinic) -> dict[str, Any]:
    roles = roles_of(request.user)
    enrollment = roles.enrollment
    return {
        "clinic": clinic,
        "is_client": enrollment is not None and enrollment.clinic_id == clinic.pk,
        "may_manage": can(request.user, Action.MANAGE_MEETINGS, clinic),
        "viewer_zone": timezone.get_current_timezone_name(),
        "stylesheet": STYLESHEET,
    }


@login_required
@require_safe
def directory(request: AuthenticatedHttpRequest) -> HttpResponse:
    """Search the clinic's meetings: fellowship, online or in person, day and time in the
    viewer's zone, near a place, language, kind."""
    clinic = _clinic(request)
    every = selectors.directory(clinic)
    form = SearchForm(request.GET or None, selectors.facets(every))
    if form.is_bound:
        form.is_valid()  # invalid filters are shown as such and left out
    results = selectors.search(
        clinic,
        form.criteria(),
        viewer=timezone.get_current_timezone(),
        now=timezone.now(),
        every=every,
    )
    page = Paginator(results.listings, PER_PAGE).get_page(request.GET.get("page"))
    query = request.GET.copy()
    query.pop("page", None)
    context = _common(request, clinic)
    enrollment = roles_of(request.user).enrollment if context["is_client"] else None
    favourites = selectors.favourite_ids(enrollment)
    for listing in page:
        listing.favourite = listing.meeting.pk in favourites
    context.update(
        {
            "form": form,
            "results": results,
            "page": page,
            "query": query.urlencode(),
            "searched": bool(request.GET.dict().keys() - {"page"}),
            "sources": selectors.sources_of(clinic),
        }
    )
    return render(request, "meetings/directory.html", context)


@login_required
@require_safe
def soon(request: AuthenticatedHttpRequest) -> HttpResponse:
    """Online meetings starting within the next hours, in every time zone, in the viewer's."""
    clinic = _clinic(request)
    try:
        hours = int(request.GET.get("hours", selectors.DEFAULT_SOON_HOURS))
    except ValueError:
        hours = selectors.DEFAULT_SOON_HOURS
    if hours not in {h for h, _label in SOON_HOURS}:
        hours = selectors.DEFAULT_SOON_HOURS
    now = timezone.now()
    found = selectors.starting_soon(clinic, at=now, hours=hours)
    context = _common(request, clinic)
    enrollment = roles_of(request.user).enrollment if context["is_client"] else None
    favourites = selectors.favourite_ids(enrollment)
    context.update(
        {
            "soon": [
                {
                    "meeting": s.meeting,
                    "starts_at": s.starts_at,
                    "in_minutes": _minutes(s, now),
                    "favourite": s.meeting.pk in favourites,
                }
                for s in found
            ],
            "hours": hours,
            "hour_choices": SOON_HOURS,
        }
    )
    return render(request, "meetings/soon.html", context)


def _minutes(found: selectors.Soon, now: Any) -> int:
    return max(0, int((found.starts_at - now).total_seconds() // 60))


@login_required
@require_safe
def meeting(request: AuthenticatedHttpRequest, pk: int) -> HttpResponse:
    """One meeting: when (your time and its own), how to join or where, what kind."""
    return _meeting_page(request, _meeting(request, pk))


def _meeting_page(
    request: AuthenticatedHttpRequest, found: Meeting, *, reminder_error: str = ""
) -> HttpResponse:
    """A meeting's page; with ``reminder_error`` (a refused reminder choice) it answers 400."""
    context = _common(request, found.clinic)
    now = timezone.now()
    viewer = timezone.get_current_timezone()
    slots: list[Any] = []
    if not found.by_appointment and found.time is not None:
        slots = schedule.weekly_slots(found.days, found.time, found.zone, viewer, now)
    enrollment = roles_of(request.user).enrollment if context["is_client"] else None
    kept = selectors.favourite_of(enrollment, found)
    context.update(
        {
            "meeting": found,
            "slots": slots,
            "own_slots": [slot.astimezone(found.zone) for slot in slots],
            "same_zone": found.zone.key == timezone.get_current_timezone_name(),
            "favourite": kept is not None,
            "reminding": kept is not None and kept.remind,
            "reminder_error": reminder_error,
            # where the favourite button comes back to (not the reminder's URL after a 400)
            "here": reverse("meetings:meeting", args=[found.pk]),
            "form": AttendanceForm(
                initial={"meeting": found.pk, "day": timezone.localdate(), "online": "0"}
            ),
        }
    )
    return render(request, "meetings/meeting.html", context, status=400 if reminder_error else 200)


@login_required
@require_POST
def favourite(request: AuthenticatedHttpRequest, pk: int) -> HttpResponse:
    """Keep a meeting among the client's favourites, or not (``favourite`` = 1 or 0)."""
    enrollment = own_enrollment(request.user)
    found = _meeting(request, pk)
    wanted = request.POST.get("favourite") == "1"
    try:
        state = services.set_favourite(
            enrollment=enrollment, meeting=found, favourite=wanted, by=request.user
        )
    except services.MeetingError as exc:
        if request.headers.get("HX-Request"):
            return HttpResponse(exc.message, status=400)
        messages.error(request, exc.message)
        return _back(request, reverse("meetings:meeting", args=[found.pk]))
    if request.headers.get("HX-Request"):
        return render(
            request,
            "meetings/_favourite.html",
            {
                "meeting": found,
                "favourite": state,
                "next": request.POST.get("next", "").partition("#")[0],
                "compact": request.POST.get("compact") == "1",
            },
        )
    if state:
        messages.success(request, _("%(name)s is among your favourites.") % {"name": found.name})
    else:
        messages.info(request, _("%(name)s is off your favourites.") % {"name": found.name})
    return _back(request, reverse("meetings:meeting", args=[found.pk]))


@login_required
@require_POST
def reminder(request: AuthenticatedHttpRequest, pk: int) -> HttpResponse:
    """Remind the client an hour before a favourite meeting, or not (``remind`` = 1 or 0).

    Only a meeting among the client's own favourites (else 404). A refused choice shows
    the meeting's page again with the reason (400), and changes nothing.
    """
    enrollment = own_enrollment(request.user)
    found = _meeting(request, pk)
    kept = selectors.favourite_of(enrollment, found)
    if kept is None:
        raise Http404
    form = ReminderForm(request.POST)
    if not form.is_valid():
        return _meeting_page(request, found, reminder_error=str(form.errors["remind"][0]))
    try:
        state = services.set_reminder(
            favourite=kept, remind=form.cleaned_data["remind"], by=request.user
        )
    except services.MeetingError as exc:
        return _meeting_page(request, found, reminder_error=exc.message)
    if state:
        messages.success(
            request,
            _("We will remind you an hour before %(name)s starts, each time it meets.")
            % {"name": found.name},
        )
    else:
        messages.info(request, _("No more reminders for %(name)s.") % {"name": found.name})
    return _back(request, reverse("meetings:meeting", args=[found.pk]))


@login_required
@require_http_methods(["GET", "POST"])
def attendance(request: AuthenticatedHttpRequest) -> HttpResponse:
    """The client's log of meetings they went to, and "I went to …" (POST)."""
    enrollment = own_enrollment(request.user)
    clinic = _clinic(request)
    form = AttendanceForm(request.POST or None, initial={"online": "0"})
    found: Meeting | None = None
    if request.method == "POST":
        if form.is_valid():
            found = selectors.visible_meeting(request.user, form.cleaned_data["meeting"])
            if found is None:
                form.add_error(None, _("That meeting is not in your clinic's directory."))
            else:
                try:
                    kept, new = services.log_attendance(
                        enrollment=enrollment,
                        meeting=found,
                        day=form.cleaned_data["day"],
                        client_uuid=form.cleaned_data["client_uuid"],
                        online=form.cleaned_data.get("online"),
                        time_zone=timezone.get_current_timezone_name(),
                        by=request.user,
                    )
                except services.MeetingError as exc:
                    show_on_form(form, exc)
                else:
                    if new:
                        messages.success(
                            request,
                            _(
                                "Noted: %(name)s. Going along is a real step; well done "
                                "for showing up."
                            )
                            % {"name": found.name},
                        )
                    else:
                        messages.info(
                            request,
                            _("%(name)s on %(day)s is already in your log.")
                            % {
                                "name": found.name,
                                "day": formats.date_format(kept.attended_on),
                            },
                        )
                    return _back(request, reverse("meetings:attendance"))
        if form.errors and request.POST.get("next"):
            # From a meeting's page: say why there, where the form was.
            for errors in form.errors.values():
                for error in errors:
                    messages.error(request, str(error))
            return _back(request, reverse("meetings:attendance"))
    log = selectors.attendance_log(enrollment)
    favourites = [m for m in selectors.favourites_of(enrollment) if m.active]
    recent = []
    seen = {m.pk for m in favourites}
    for entry in log:
        if entry.meeting.active and entry.meeting_id not in seen:
            seen.add(entry.meeting_id)
            recent.append(entry.meeting)
    choices = favourites + recent
    if found is not None and found.active and found not in choices:
        choices.insert(0, found)  # the one the client just tried to log
    context = _common(request, clinic)
    context.update(
        {
            "log": log,
            "form": form,
            "choices": choices,
            "today": timezone.localdate(),
            "total": len(log),
        }
    )
    return render(request, "meetings/attendance.html", context, status=400 if form.errors else 200)


@login_required
@require_POST
def attendance_delete(request: AuthenticatedHttpRequest, pk: int) -> HttpResponse:
    """Take one of the client's own entries off their log."""
    enrollment = own_enrollment(request.user)
    entry = (
        Attendance.objects.filter(enrollment=enrollment, pk=pk).select_related("meeting").first()
    )
    if entry is None:
        raise Http404
    services.remove_attendance(attendance=entry, by=request.user)
    messages.info(
        request,
        _("%(name)s on %(day)s is off your log.")
        % {"name": entry.meeting.name, "day": formats.date_format(entry.attended_on)},
    )
    return redirect("meetings:attendance")
