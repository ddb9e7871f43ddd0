"""Homework pages.

For the client's primary clinician:
- ``clients/<id>/homework/``: everything set, per source, with completion (audited);
- ``clients/<id>/homework/exercises/new/``: set an exercise (``?note=<id>`` from a note);
- ``clients/<id>/homework/exercises/<exercise>/withdraw/``: take one back (POST).

For the client:
- ``exercises/``: their exercises, to mark done with an optional reflection;
- ``exercises/<exercise>/done/``: mark one done (POST; a second tap changes nothing).
"""

from __future__ import annotations

from typing import TYPE_CHECKING
from uuid import uuid4

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.http import Http404, HttpResponse
from django.shortcuts import redirect, render
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext as _
from django.views.decorators.http import require_http_methods, require_POST, require_safe

from waypost.access.policy import Action, can, own_enrollment
from waypost.caseload.notes import events as note_events
from waypost.caseload.notes import homework as own_homework
from waypost.caseload.notes import selectors, services
from waypost.caseload.notes.forms import DoneForm, ExerciseForm
from waypost.caseload.notes.models import Exercise, SessionNote
from waypost.core import events, homework
from waypost.program.selectors import record_of_client

if TYPE_CHECKING:
    from waypost.accounts.http import AuthenticatedHttpRequest
    from waypost.program.models import Enrollment


def _homework_url(enrollment: Enrollment) -> str:
    return reverse("session_notes:homework", args=[enrollment.pk])


@login_required
@require_safe
def homework_page(request: AuthenticatedHttpRequest, enrollment_id: int) -> HttpResponse:
    """The client's exercises in full, then every other kind of homework, with completion."""
    enrollment = record_of_client(request.user, enrollment_id, path=request.path)
    events.record_view(
        actor=request.user, enrollment=enrollment, what=note_events.HOMEWORK, path=request.path
    )
    today = services.client_today(enrollment)
    groups = [
        group
        for group in homework.homework_for(enrollment, today=today)
        if group.source.key != own_homework.SOURCE.key
    ]
    exercises = list(
        Exercise.objects.filter(enrollment=enrollment)
        .select_related("set_by")  # the note only by its id: a link, never its text
        .order_by("-set_at", "-id")
    )
    return render(
        request,
        "session_notes/homework.html",
        {
            "enrollment": enrollment,
            "groups": groups,
            "exercises": exercises,
            "today": today,
            "may_set": can(request.user, Action.WRITE_SESSION_NOTE, enrollment),
        },
    )


@login_required
@require_http_methods(["GET", "POST"])
def set_exercise(request: AuthenticatedHttpRequest, enrollment_id: int) -> HttpResponse:
    """Set the client an exercise, optionally due by a day, from a note or the record."""
    enrollment = record_of_client(
        request.user, enrollment_id, Action.WRITE_SESSION_NOTE, path=request.path
    )
    form = ExerciseForm(
        request.POST or None,
        initial={"client_uuid": uuid4(), "note": request.GET.get("note", "")},
    )
    note: SessionNote | None = None
    status = 200
    if request.method == "POST":
        status = 400
        if form.is_valid():
            note_id = form.cleaned_data["note"]
            note = selectors.note_of(enrollment, note_id) if note_id else None
            if note_id and note is None:
                form.add_error(None, _("That note is not this client's."))
            else:
                try:
                    services.set_exercise(
                        enrollment=enrollment,
                        by=request.user,
                        text=form.cleaned_data["text"],
                        due_on=form.cleaned_data["due_on"],
                        client_uuid=form.cleaned_data["client_uuid"],
                        note=note,
                        path=request.path,
                    )
                except services.ExerciseError as exc:
                    form.add_error(None, exc.message)
                else:
                    messages.success(request, _("Exercise set. The client sees it under Me."))
                    if note is not None:
                        return redirect(
                            reverse("session_notes:note", args=[enrollment.pk, note.pk])
                        )
                    return redirect(_homework_url(enrollment))
    else:
        raw = request.GET.get("note", "")
        # ASCII digits only: "²".isdigit() is true, but int("²") fails
        wanted = int(raw) if raw.isascii() and raw.isdigit() else None
        note = selectors.note_of(enrollment, wanted) if wanted else None
    return render(
        request,
        "session_notes/set_exercise.html",
        {"enrollment": enrollment, "form": form, "note": note},
        status=status,
    )


@login_required
@require_POST
def withdraw_exercise(
    request: AuthenticatedHttpRequest, enrollment_id: int, exercise_id: int
) -> HttpResponse:
    """Take back an exercise not done yet; it stays in the record as withdrawn."""
    enrollment = record_of_client(
        request.user, enrollment_id, Action.WRITE_SESSION_NOTE, path=request.path
    )
    exercise = selectors.exercise_of(enrollment, exercise_id)
    if exercise is None:
        raise Http404
    if services.withdraw_exercise(exercise=exercise, by=request.user, path=request.path):
        messages.success(request, _("Exercise withdrawn. The client no longer sees it."))
    else:
        messages.info(request, _("This exercise was already done or withdrawn; nothing changed."))
    return redirect(_homework_url(enrollment))


# --- the client's own exercises -------------------------------------------------------


def _mine(
    request: AuthenticatedHttpRequest,
    enrollment: Enrollment,
    *,
    failed: tuple[int, DoneForm] | None = None,
    status: int = 200,
) -> HttpResponse:
    exercises = selectors.exercises_for_client(enrollment)
    return render(
        request,
        "session_notes/mine.html",
        {
            "enrollment": enrollment,
            "open": [e for e in exercises if not e.is_done],
            "done": [e for e in exercises if e.is_done],
            "today": timezone.localdate(),
            "failed_id": failed[0] if failed else None,
            "failed_form": failed[1] if failed else None,
        },
        status=status,
    )


@login_required
@require_safe
def mine(request: AuthenticatedHttpRequest) -> HttpResponse:
    """The client's exercises: what is still to do, then what they have done."""
    return _mine(request, own_enrollment(request.user))


@login_required
@require_POST
def mark_done(request: AuthenticatedHttpRequest, exercise_id: int) -> HttpResponse:
    """Mark one exercise done, with an optional reflection; again, nothing changes."""
    enrollment = own_enrollment(request.user)
    exercise = selectors.exercise_of(enrollment, exercise_id)
    if exercise is None:
        raise Http404
    form = DoneForm(request.POST)
    if not form.is_valid():
        return _mine(request, enrollment, failed=(exercise.pk, form), status=400)
    try:
        changed = services.mark_done(
            exercise=exercise, by=request.user, reflection=form.cleaned_data["reflection"]
        )
    except services.ExerciseError as exc:
        form.add_error(None, exc.message)
        return _mine(request, enrollment, failed=(exercise.pk, form), status=400)
    if changed:
        messages.success(request, _("Marked as done. Thank you for making the time for it."))
    return redirect(reverse("session_notes:mine"))
