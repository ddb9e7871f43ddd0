"""Session note pages, for the client's primary clinician only.

- ``clients/<id>/notes/``: every note, newest session first (a read of the notes, audited);
- ``clients/<id>/notes/new/``: write a note, saved as a draft or signed at once;
- ``clients/<id>/notes/<note>/``: one note, its revisions and amendments (audited);
- ``clients/<id>/notes/<note>/edit/``: change a draft, or correct a signed note within
  24 hours of signing (its author only);
- ``clients/<id>/notes/<note>/sign/``: sign a draft (POST);
- ``clients/<id>/notes/<note>/amend/``: add an amendment to a locked note.

Someone else's client answers 404, as the record does. A form that cannot be saved is
shown again with the reason and a 400 (409 for a note that has locked meanwhile), and
nothing changes.
"""

from __future__ import annotations

from typing import TYPE_CHECKING, Any
from uuid import uuid4
from zoneinfo import ZoneInfo

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied
from django.http import Http404, HttpResponse
from django.shortcuts import redirect, render
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext as _
from django.views.decorators.http import require_http_methods, require_POST, require_safe

from waypost.access.policy import Action, can
from waypost.caseload.notes import events as note_events
from waypost.caseload.notes import selectors, services
from waypost.caseload.notes.forms import (
    AmendmentForm,
    NoteForm,
    appointment_choices,
    note_initial,
    recent_appointments,
)
from waypost.caseload.notes.models import SessionNote
from waypost.core import events
from waypost.core.timezones import first_zone
from waypost.program.selectors import record_of_client

if TYPE_CHECKING:
    from waypost.accounts.http import AuthenticatedHttpRequest
    from waypost.program.models import Enrollment

STYLESHEET = "session_notes/notes.css"


def _zone(enrollment: Enrollment) -> ZoneInfo:
    """Notes are written in the clinic's time: the day and hour of the session there."""
    return first_zone(enrollment.clinic.time_zone)


def _note(enrollment: Enrollment, note_id: int) -> SessionNote:
    note = selectors.note_of(enrollment, note_id)
    if note is None:
        raise Http404
    return note


def _note_url(note: SessionNote) -> str:
    return reverse("session_notes:note", args=[note.enrollment_id, note.pk])


def _form_page(
    request: AuthenticatedHttpRequest,
    enrollment: Enrollment,
    form: NoteForm,
    *,
    note: SessionNote | None,
    status: int,
) -> HttpResponse:
    return render(
        request,
        "session_notes/note_form.html",
        {
            "enrollment": enrollment,
            "form": form,
            "note": note,
            "shown": selectors.shown(note) if note is not None else None,
            "zone": _zone(enrollment),
        },
        status=status,
    )


@login_required
@require_safe
def note_list(request: AuthenticatedHttpRequest, enrollment_id: int) -> HttpResponse:
    """Every note of the client, with where each stands."""
    enrollment = record_of_client(request.user, enrollment_id, path=request.path)
    events.record_view(
        actor=request.user, enrollment=enrollment, what=note_events.NOTES, path=request.path
    )
    return render(
        request,
        "session_notes/list.html",
        {
            "enrollment": enrollment,
            "notes": selectors.notes_of(enrollment),
            "may_write": can(request.user, Action.WRITE_SESSION_NOTE, enrollment),
        },
    )


@login_required
@require_http_methods(["GET", "POST"])
def new_note(request: AuthenticatedHttpRequest, enrollment_id: int) -> HttpResponse:
    """Write a note: "Save as draft" keeps it to finish later, "Sign" signs it at once."""
    enrollment = record_of_client(
        request.user, enrollment_id, Action.WRITE_SESSION_NOTE, path=request.path
    )
    zone = _zone(enrollment)
    rows = recent_appointments(enrollment.pk)
    choices = appointment_choices(rows, zone)
    if request.method == "POST":
        form = NoteForm(request.POST, appointments=choices)
        if form.is_valid():
            try:
                note = services.write_note(
                    enrollment=enrollment,
                    by=request.user,
                    content=form.content(zone),
                    client_uuid=form.cleaned_data["client_uuid"] or uuid4(),
                    sign=request.POST.get("action") == "sign",
                    path=request.path,
                )
            except services.NoteError as exc:
                form.add_error(None, exc.message)
            else:
                messages.success(
                    request,
                    _("Note signed. You can correct it for 24 hours.")
                    if not note.is_draft
                    else _("Draft saved. Sign it when it is ready."),
                )
                return redirect(_note_url(note))
        return _form_page(request, enrollment, form, note=None, status=400)
    now = timezone.now().astimezone(zone)
    initial: dict[str, Any] = {
        "client_uuid": uuid4(),
        "session_day": now.date(),
        "session_time": now.time().replace(second=0, microsecond=0),
    }
    today = [a for a in rows if a.starts_at.astimezone(zone).date() == now.date()]
    if today:  # the session was most likely the one booked today
        appointment = today[-1]
        initial["appointment"] = appointment.pk
        initial["session_time"] = appointment.starts_at.astimezone(zone).time()
        initial["duration_minutes"] = appointment.booking.duration_minutes
        initial["format"] = (
            SessionNote.Format.VIDEO
            if appointment.booking.mode == "online"
            else SessionNote.Format.IN_PERSON
        )
    form = NoteForm(initial=initial, appointments=choices)
    return _form_page(request, enrollment, form, note=None, status=200)


@login_required
@require_safe
def note_page(request: AuthenticatedHttpRequest, enrollment_id: int, note_id: int) -> HttpResponse:
    """One note in full, its revisions and its amendments; what can be done with it now."""
    enrollment = record_of_client(request.user, enrollment_id, path=request.path)
    note = _note(enrollment, note_id)
    events.record_view(
        actor=request.user, enrollment=enrollment, what=note_events.NOTE, path=request.path
    )
    return _note_page(request, enrollment, note, status=200)


def _note_page(
    request: AuthenticatedHttpRequest,
    enrollment: Enrollment,
    note: SessionNote,
    *,
    status: int,
    error: str = "",
) -> HttpResponse:
    may_write = can(request.user, Action.WRITE_SESSION_NOTE, enrollment)
    return render(
        request,
        "session_notes/note.html",
        {
            "enrollment": enrollment,
            "note": note,
            "shown": selectors.shown(note),
            "may_write": may_write,
            "is_author": may_write and note.author_id == request.user.pk,
            "error": error,
            "zone": _zone(enrollment),
        },
        status=status,
    )


@login_required
@require_http_methods(["GET", "POST"])
def edit_note(request: AuthenticatedHttpRequest, enrollment_id: int, note_id: int) -> HttpResponse:
    """Change a draft (and maybe sign it), or correct a signed note within 24 hours."""
    enrollment = record_of_client(
        request.user, enrollment_id, Action.WRITE_SESSION_NOTE, path=request.path
    )
    note = _note(enrollment, note_id)
    if note.author_id != request.user.pk:
        raise PermissionDenied
    shown = selectors.shown(note)
    zone = _zone(enrollment)
    choices = appointment_choices(recent_appointments(enrollment.pk, note.appointment_id), zone)
    if request.method == "GET":
        if shown.is_locked:
            messages.info(
                request,
                _("This note locked 24 hours after it was signed. You can add an amendment."),
            )
            return redirect(_note_url(note))
        form = NoteForm(initial=note_initial(note, zone), appointments=choices)
        return _form_page(request, enrollment, form, note=note, status=200)
    form = NoteForm(request.POST, appointments=choices)
    status = 400
    if form.is_valid():
        try:
            if note.is_draft:
                services.update_draft(
                    note=note,
                    by=request.user,
                    content=form.content(zone),
                    sign=request.POST.get("action") == "sign",
                    path=request.path,
                )
            else:
                services.correct_note(
                    note=note, by=request.user, content=form.content(zone), path=request.path
                )
        except services.NoteError as exc:
            form.add_error(None, exc.message)
            status = exc.status
        else:
            note.refresh_from_db()
            if shown.is_draft:
                text = (
                    _("Draft saved. Sign it when it is ready.")
                    if note.is_draft
                    else _("Note signed. You can correct it for 24 hours.")
                )
            else:
                text = _("Correction saved. The earlier version is kept.")
            messages.success(request, text)
            return redirect(_note_url(note))
    return _form_page(request, enrollment, form, note=note, status=status)


@login_required
@require_POST
def sign_note(request: AuthenticatedHttpRequest, enrollment_id: int, note_id: int) -> HttpResponse:
    """Sign a draft as it stands; a double tap finds it signed and changes nothing."""
    enrollment = record_of_client(
        request.user, enrollment_id, Action.WRITE_SESSION_NOTE, path=request.path
    )
    note = _note(enrollment, note_id)
    was_draft = note.is_draft
    try:
        services.sign_note(note=note, by=request.user, path=request.path)
    except services.NoteError as exc:
        return _note_page(request, enrollment, note, status=exc.status, error=exc.message)
    if was_draft:
        messages.success(request, _("Note signed. You can correct it for 24 hours."))
    return redirect(_note_url(note))


@login_required
@require_http_methods(["GET", "POST"])
def amend_note(request: AuthenticatedHttpRequest, enrollment_id: int, note_id: int) -> HttpResponse:
    """Add a signed, dated amendment with its reason to a locked note."""
    enrollment = record_of_client(
        request.user, enrollment_id, Action.WRITE_SESSION_NOTE, path=request.path
    )
    note = _note(enrollment, note_id)
    shown = selectors.shown(note)
    if request.method == "GET" and not shown.is_locked:
        messages.info(
            request,
            _("Amendments are for locked notes. Until it locks, its author can correct it."),
        )
        return redirect(_note_url(note))
    form = AmendmentForm(request.POST or None, initial={"client_uuid": uuid4()})
    status = 200
    if request.method == "POST":
        status = 400
        if form.is_valid():
            try:
                services.add_amendment(
                    note=note,
                    by=request.user,
                    text=form.cleaned_data["text"],
                    reason=form.cleaned_data["reason"],
                    client_uuid=form.cleaned_data["client_uuid"],
                    path=request.path,
                )
            except services.NoteError as exc:
                form.add_error(None, exc.message)
            else:
                messages.success(request, _("Amendment added under the note."))
                return redirect(_note_url(note))
    return render(
        request,
        "session_notes/amend.html",
        {"enrollment": enrollment, "note": note, "shown": shown, "form": form},
        status=status,
    )
