"""One session of a group, named by its original start (``<key>``, e.g. ``20300302T050000Z``).

- ``groups/<pk>/sessions/<key>/``: attendance (one tap per member) and the notes: the
  group's facilitators only (``Action.RUN_GROUP``);
- ``…/attendance/`` and ``…/notes/`` (POST): take a mark, save the notes;
- ``…/cancel/`` and ``…/move/`` (GET, POST): call one session off or move it, for the
  clinic's staff (``Action.MANAGE_GROUPS``); ``…/restore/`` (POST) undoes either.
"""

from __future__ import annotations

from typing import TYPE_CHECKING, Any

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.http import HttpResponse
from django.shortcuts import redirect, render
from django.urls import URLPattern, path, reverse
from django.utils import timezone
from django.utils.translation import gettext as _
from django.views.decorators.http import require_http_methods, require_POST, require_safe

from waypost.access.policy import Action
from waypost.connect.groups import selectors, services
from waypost.connect.groups.forms import CancelForm, MoveForm, NotesForm
from waypost.connect.groups.models import Attendance
from waypost.connect.groups.views._access import occurrence_for, programme_for
from waypost.program.models import Enrollment

if TYPE_CHECKING:
    from waypost.accounts.http import AuthenticatedHttpRequest
    from waypost.connect.groups.models import GroupProgramme
    from waypost.connect.groups.schedule import Occurrence


def _session_url(programme: GroupProgramme, key: str, anchor: str = "") -> str:
    url = reverse("group_therapy:session", args=[programme.pk, key])
    return f"{url}#{anchor}" if anchor else url


def _group_url(programme: GroupProgramme) -> str:
    return reverse("group_therapy:group", args=[programme.pk]) + "#sessions"


def _session_page(
    request: AuthenticatedHttpRequest,
    programme: GroupProgramme,
    occurrence: Occurrence,
    *,
    notes_form: NotesForm | None = None,
    status: int = 200,
) -> HttpResponse:
    page = selectors.session_page(programme, occurrence)
    now = timezone.now()
    return render(
        request,
        "group_therapy/session.html",
        {
            "clinic": programme.clinic,
            "programme": programme,
            "occurrence": occurrence,
            "page": page,
            "statuses": Attendance.Status.choices,
            "open": not occurrence.cancelled
            and occurrence.start - services.ATTENDANCE_OPENS <= now,
            "notes_form": notes_form
            or NotesForm(initial={"text": page.notes.text if page.notes else ""}),
        },
        status=status,
    )


@login_required
@require_safe
def session(request: AuthenticatedHttpRequest, pk: int, key: str) -> HttpResponse:
    """Attendance and notes of one session, for its facilitators."""
    programme = programme_for(request, pk, Action.RUN_GROUP)
    return _session_page(request, programme, occurrence_for(programme, key))


@login_required
@require_POST
def take_attendance(request: AuthenticatedHttpRequest, pk: int, key: str) -> HttpResponse:
    """One member present, absent or excused; back to the list at that member."""
    programme = programme_for(request, pk, Action.RUN_GROUP)
    occurrence = occurrence_for(programme, key)
    enrollment_id = request.POST.get("enrollment", "")
    enrollment = (
        Enrollment.objects.select_related("client")
        .filter(pk=int(enrollment_id), clinic_id=programme.clinic_id)
        .first()
        # ASCII only: "²".isdigit() is True, but int("²") fails
        if enrollment_id.isascii() and enrollment_id.isdigit() and len(enrollment_id) < 12
        else None
    )
    if enrollment is None:
        messages.error(request, _("Choose a member of the group."))
        return redirect(_session_url(programme, key))
    try:
        mark = services.take_attendance(
            programme=programme,
            original=occurrence.original,
            enrollment=enrollment,
            status=request.POST.get("status", ""),
            by=request.user,
            path=request.path,
        )
    except services.GroupError as exc:
        messages.error(request, exc.message)
        return redirect(_session_url(programme, key))
    messages.success(
        request,
        _("%(name)s: %(status)s.")
        % {"name": enrollment.client.name, "status": mark.get_status_display()},
    )
    return redirect(_session_url(programme, key, f"member-{enrollment.pk}"))


@login_required
@require_POST
def save_notes(request: AuthenticatedHttpRequest, pk: int, key: str) -> HttpResponse:
    """Keep the facilitator's notes on the session (encrypted; each save is kept)."""
    programme = programme_for(request, pk, Action.RUN_GROUP)
    occurrence = occurrence_for(programme, key)
    form = NotesForm(request.POST)
    if form.is_valid():
        try:
            saved = services.save_notes(
                programme=programme,
                original=occurrence.original,
                text=form.cleaned_data["text"],
                by=request.user,
            )
        except services.GroupError as exc:
            form.add_error("text", exc.message)
        else:
            messages.success(
                request, _("Notes saved.") if saved else _("The notes had not changed.")
            )
            return redirect(_session_url(programme, key, "notes"))
    return _session_page(request, programme, occurrence, notes_form=form, status=400)


def _change_page(
    request: AuthenticatedHttpRequest,
    programme: GroupProgramme,
    occurrence: Occurrence,
    template: str,
    form: Any,
    status: int = 200,
) -> HttpResponse:
    return render(
        request,
        template,
        {
            "clinic": programme.clinic,
            "programme": programme,
            "occurrence": occurrence,
            "form": form,
        },
        status=status,
    )


@login_required
@require_http_methods(["GET", "POST"])
def cancel_session(request: AuthenticatedHttpRequest, pk: int, key: str) -> HttpResponse:
    """Call one session off; the rest of the series stays."""
    programme = programme_for(request, pk)
    occurrence = occurrence_for(programme, key)
    template = "group_therapy/cancel.html"
    if request.method != "POST":
        return _change_page(request, programme, occurrence, template, CancelForm())
    form = CancelForm(request.POST)
    if form.is_valid():
        try:
            services.cancel_occurrence(
                programme=programme,
                original=occurrence.original,
                reason=form.cleaned_data["reason"],
                by=request.user,
            )
        except services.GroupError as exc:
            form.add_error(None, exc.message)
        else:
            messages.success(
                request,
                _(
                    "The session is cancelled. Members see it in Waypost, and get a short "
                    "notice the day before."
                ),
            )
            return redirect(_group_url(programme))
    return _change_page(request, programme, occurrence, template, form, status=400)


@login_required
@require_http_methods(["GET", "POST"])
def move_session(request: AuthenticatedHttpRequest, pk: int, key: str) -> HttpResponse:
    """Move one session to another day, time or room; the rest of the series stays."""
    programme = programme_for(request, pk)
    occurrence = occurrence_for(programme, key)
    template = "group_therapy/move.html"
    zone = programme.series.zone
    if request.method != "POST":
        start, end = occurrence.start.astimezone(zone), occurrence.end.astimezone(zone)
        form = MoveForm(
            initial={
                "day": start.date(),
                "start_time": start.time(),
                "end_time": end.time(),
                "room": occurrence.room,
            }
        )
        return _change_page(request, programme, occurrence, template, form)
    form = MoveForm(request.POST)
    if form.is_valid():
        start, end = form.moment(zone)
        try:
            services.move_occurrence(
                programme=programme,
                original=occurrence.original,
                start=start,
                end=end,
                room=form.cleaned_data["room"],
                reason=form.cleaned_data["reason"],
                by=request.user,
            )
        except services.GroupError as exc:
            form.add_error(None, exc.message)
        else:
            messages.success(
                request,
                _(
                    "The session is moved. Members see the new time in Waypost and in "
                    "their calendar."
                ),
            )
            return redirect(_group_url(programme))
    return _change_page(request, programme, occurrence, template, form, status=400)


@login_required
@require_POST
def restore_session(request: AuthenticatedHttpRequest, pk: int, key: str) -> HttpResponse:
    """Undo a cancellation or a move: back where the series puts it."""
    programme = programme_for(request, pk)
    occurrence = occurrence_for(programme, key)
    try:
        changed = services.restore_occurrence(
            programme=programme, original=occurrence.original, by=request.user
        )
    except services.GroupError as exc:
        messages.error(request, exc.message)
    else:
        if changed:
            messages.success(request, _("The session is back at its usual time and place."))
        else:
            messages.info(request, _("The session was already at its usual time and place."))
    return redirect(_group_url(programme))


urlpatterns: list[URLPattern] = [
    path("groups/<int:pk>/sessions/<str:key>/", session, name="session"),
    path(
        "groups/<int:pk>/sessions/<str:key>/attendance/",
        take_attendance,
        name="take_attendance",
    ),
    path("groups/<int:pk>/sessions/<str:key>/notes/", save_notes, name="save_notes"),
    path("groups/<int:pk>/sessions/<str:key>/cancel/", cancel_session, name="cancel_session"),
    path("groups/<int:pk>/sessions/<str:key>/move/", move_session, name="move_session"),
    path("groups/<int:pk>/sessions/<str:key>/restore/", restore_session, name="restore_session"),
]
