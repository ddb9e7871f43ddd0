"""Session note pages, for the client's primary clinician only.

- ``clients/<id>/notes/``: every note, newest session first (a read of the notes, audited);
- ``clients/<id>/notes/new/``: write a note, saved as a draft or signed at once;
- ``clients/<id>/notes/<note>/``: one note, its revisions and amendments (audited);
- ``clients/<id>/notes/<note>/edit/``: change a draft, or correct a signed note within
  24 hours of signing (its author only);
- ``clients/<id>/notes/<note>/sign/``: sign a draft (POST);
- ``clients/<id>/notes/<note>/amend/``: add an amendment to a locked note;
- ``clients/<id>/notes/<note>/discard/``: discard a draft left by a former clinician of
  the client, which nobody can sign any more (POST).

Someone else's client answers 404, as the record does. A form that cannot be saved is
shown again with the reason and a 400 (409 for a note that has locked, or was changed
in another tab, meanwhile), and nothing changes.
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
from waypost.core.models import TimelineEvent
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
    return _note_page(request, enrollment, note, status=200)


def _note_page(
    request: AuthenticatedHttpRequest,
    enrollment: Enrollment,
    note: SessionNote,
    *,
    status: int,
    error: str = "",
) -> HttpResponse:
    """The note in full: a read of the record, audited whatever brought the page."""
    events.record_view(
        actor=request.user, enrollment=enrollment, what=note_events.NOTE, path=request.path
    )
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
            "orphaned": may_write and services.is_orphaned(note),
            "error": error,
            "zone": _zone(enrollment),
        },
        status=status,
    )


# What each button of the edit form asks for: a draft saved, signed, or a correction.
_DRAFT, _SIGN, _CORRECT = "draft", "sign", "correct"


@login_required
@require_http_methods(["GET", "POST"])
def edit_note(request: AuthenticatedHttpRequest, enrollment_id: int, note_id: int) -> HttpResponse:
    """Change a draft (and maybe sign it), or correct a signed note within 24 hours.

    What is done is what the form was for (its button), at the version it showed: a
    draft's form never corrects a note signed meanwhile, and a form shown before
    someone else's change (another tab) changes nothing: it answers 409 with the
    current version.
    """
    enrollment = record_of_client(
        request.user, enrollment_id, Action.WRITE_SESSION_NOTE, path=request.path
    )
    note = _note(enrollment, note_id)
    if note.author_id != request.user.pk:
        raise PermissionDenied
    zone = _zone(enrollment)
    choices = appointment_choices(recent_appointments(enrollment.pk, note.appointment_id), zone)
    if request.method == "GET":
        if selectors.shown(note).is_locked:
            messages.info(
                request,
                _("This note locked 24 hours after it was signed. You can add an amendment."),
            )
            return redirect(_note_url(note))
        return _current_form(request, enrollment, note, choices, status=200)
    form = NoteForm(request.POST, appointments=choices)
    action = request.POST.get("action", "")
    if action not in (_DRAFT, _SIGN, _CORRECT):
        form.add_error(None, _("Please use one of the buttons below the note."))
        return _form_page(request, enrollment, form, note=note, status=400)
    if not form.is_valid():
        return _form_page(request, enrollment, form, note=note, status=400)
    version = form.cleaned_data["version"]
    try:
        if version is None:  # a form from before versions: it cannot say what it showed
            raise services.NoteConflict
        if action == _CORRECT:
            services.correct_note(
                note=note,
                by=request.user,
                content=form.content(zone),
                version=version,
                path=request.path,
            )
        else:
            services.update_draft(
                note=note,
                by=request.user,
                content=form.content(zone),
                sign=action == _SIGN,
                version=version,
                path=request.path,
            )
    except services.NoteConflict as exc:
        note.refresh_from_db()
        if selectors.shown(note).is_locked:
            return _note_page(request, enrollment, note, status=exc.status, error=exc.message)
        return _current_form(
            request, enrollment, note, choices, status=exc.status, error=exc.message, unsaved=form
        )
    except services.NoteError as exc:
        form.add_error(None, exc.message)
        return _form_page(request, enrollment, form, note=note, status=exc.status)
    messages.success(
        request,
        {
            _DRAFT: _("Draft saved. Sign it when it is ready."),
            _SIGN: _("Note signed. You can correct it for 24 hours."),
            _CORRECT: _("Correction saved. The earlier version is kept."),
        }[action],
    )
    return redirect(_note_url(note))


def _current_form(
    request: AuthenticatedHttpRequest,
    enrollment: Enrollment,
    note: SessionNote,
    choices: list[tuple[str, str]],
    *,
    status: int,
    error: str = "",
    unsaved: NoteForm | None = None,
) -> HttpResponse:
    """The edit form with the note as it is stored now (a read of it, audited).

    After a conflict, ``error`` says so, and ``unsaved`` is the form that was not saved:
    its texts are shown apart, to copy from, so nothing typed is lost.
    """
    events.record_view(
        actor=request.user, enrollment=enrollment, what=note_events.NOTE, path=request.path
    )
    form = NoteForm(initial=note_initial(note, _zone(enrollment)), appointments=choices)
    return render(
        request,
        "session_notes/note_form.html",
        {
            "enrollment": enrollment,
            "form": form,
            "note": note,
            "shown": selectors.shown(note),
            "zone": _zone(enrollment),
            "conflict": error,
            "unsaved": _unsaved_texts(unsaved) if unsaved is not None else [],
        },
        status=status,
    )


def _unsaved_texts(form: NoteForm) -> list[tuple[str, str]]:
    """The texts of a form that was not saved, with their labels, those not empty."""
    data: dict[str, Any] = form.cleaned_data
    return [
        (str(form.fields[name].label), data[name])
        for name in ("discussed", "assessment", "plan", "risk_note")
        if data.get(name, "").strip()
    ]


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
@require_POST
def discard_draft(
    request: AuthenticatedHttpRequest, enrollment_id: int, note_id: int
) -> HttpResponse:
    """Discard a draft a former clinician of the client left, which nobody can sign.

    The box "I have read this draft" must be ticked; a second tap finds it gone.
    """
    enrollment = record_of_client(
        request.user, enrollment_id, Action.WRITE_SESSION_NOTE, path=request.path
    )
    list_url = reverse("session_notes:list", args=[enrollment.pk])
    note = selectors.note_of(enrollment, note_id)
    if note is None:
        if TimelineEvent.objects.filter(
            enrollment=enrollment, kind=note_events.NOTE_DISCARDED, data__note=note_id
        ).exists():
            messages.info(request, _("That draft was discarded already."))
            return redirect(list_url)
        raise Http404
    if request.POST.get("confirm") != "yes":
        return _note_page(
            request,
            enrollment,
            note,
            status=400,
            error=_("Please tick the box to say you have read the draft first."),
        )
    try:
        services.discard_orphaned_draft(note=note, by=request.user, path=request.path)
    except services.NoteError as exc:
        note.refresh_from_db()
        return _note_page(request, enrollment, note, status=exc.status, error=exc.message)
    messages.success(request, _("Draft discarded. The timeline records it."))
    return redirect(list_url)


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
