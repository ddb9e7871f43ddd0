"""Exercises: free-text homework the clinician sets, and the client marks done.

The primary clinician sets one (``Action.WRITE_SESSION_NOTE``), from a session note or
from the record, optionally due by a day, and may withdraw it. The client marks it
done once, with an optional short reflection; marking it again changes nothing.
"""

from __future__ import annotations

from datetime import date, datetime, timedelta
from typing import TYPE_CHECKING
from uuid import UUID

from django.db import IntegrityError, transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from waypost.access.policy import Action, can, require
from waypost.caseload.notes import events as note_events
from waypost.caseload.notes.models import Exercise, SessionNote
from waypost.core import events
from waypost.core.errors import DomainError
from waypost.core.timezones import first_zone

if TYPE_CHECKING:
    from django.contrib.auth.models import _User as User

    from waypost.program.models import Enrollment

TEXT_MAX = 500
REFLECTION_MAX = 1_000
#: How far ahead an exercise may be due.
DUE_AHEAD = timedelta(days=366)


class ExerciseError(DomainError):
    """An exercise that cannot be set, withdrawn or marked done; ``message`` says why."""

    code = "exercise_refused"


def client_today(enrollment: Enrollment, now: datetime | None = None) -> date:
    """The client's own date now (their zone, else their clinic's)."""
    zone = first_zone(enrollment.client.time_zone, enrollment.clinic.time_zone)
    return (now or timezone.now()).astimezone(zone).date()


def set_exercise(
    *,
    enrollment: Enrollment,
    by: User,
    text: str,
    client_uuid: UUID,
    due_on: date | None = None,
    note: SessionNote | None = None,
    path: str = "",
    at: datetime | None = None,
) -> Exercise:
    """Set the client an exercise; returns it (the one already kept, for a repeated uuid)."""
    require(by, Action.WRITE_SESSION_NOTE, enrollment)
    now = at or timezone.now()
    text = text.strip()
    existing = Exercise.objects.filter(enrollment=enrollment, client_uuid=client_uuid).first()
    if existing is not None:
        return existing
    if not text:
        raise ExerciseError(_("Please say what the exercise is."))
    if len(text) > TEXT_MAX:
        raise ExerciseError(
            _("An exercise holds up to %(n)s characters: keep it short and clear.")
            % {"n": TEXT_MAX}
        )
    if due_on is not None:
        today = client_today(enrollment, now)
        if due_on < today:
            raise ExerciseError(_("Please choose a day from today on."))
        if due_on > today + DUE_AHEAD:
            raise ExerciseError(_("Please choose a day within the next year."))
    if note is not None and note.enrollment_id != enrollment.pk:
        raise ExerciseError(_("That note is not this client's."))
    try:
        with transaction.atomic():
            exercise = Exercise.objects.create(
                enrollment=enrollment,
                client_uuid=client_uuid,
                text=text,
                due_on=due_on,
                note=note,
                set_by=by,
                set_at=now,
            )
            events.record(
                enrollment=enrollment,
                kind=note_events.EXERCISE_SET,
                actor=by,
                data={"exercise": exercise.pk, "due_on": due_on.isoformat() if due_on else None},
                at=now,
                path=path,
            )
    except IntegrityError:
        stored = Exercise.objects.filter(enrollment=enrollment, client_uuid=client_uuid).first()
        if stored is None:
            raise
        return stored
    return exercise


def withdraw_exercise(
    *, exercise: Exercise, by: User, path: str = "", at: datetime | None = None
) -> bool:
    """Withdraw an exercise not done yet; False if it was done or withdrawn already."""
    require(by, Action.WRITE_SESSION_NOTE, exercise.enrollment)
    now = at or timezone.now()
    with transaction.atomic():
        changed = Exercise.objects.filter(
            pk=exercise.pk, withdrawn_at__isnull=True, done_at__isnull=True
        ).update(withdrawn_at=now, withdrawn_by=by)
        if not changed:
            return False
        events.record(
            enrollment=exercise.enrollment,
            kind=note_events.EXERCISE_WITHDRAWN,
            actor=by,
            data={"exercise": exercise.pk},
            at=now,
            path=path,
        )
    exercise.refresh_from_db()
    return True


def mark_done(
    *,
    exercise: Exercise,
    by: User,
    reflection: str = "",
    at: datetime | None = None,
) -> bool:
    """The client marks their exercise done, with an optional reflection.

    Once only: a second tap changes nothing and returns False. A withdrawn exercise
    cannot be marked.
    """
    if not can(by, Action.VIEW_OWN, exercise.enrollment):
        raise ExerciseError(_("This is not one of your exercises."))
    now = at or timezone.now()
    reflection = reflection.strip()
    if len(reflection) > REFLECTION_MAX:
        raise ExerciseError(_("A reflection holds up to %(n)s characters.") % {"n": REFLECTION_MAX})
    if exercise.is_withdrawn:
        raise ExerciseError(_("Your clinician has taken this exercise back."))
    with transaction.atomic():
        changed = Exercise.objects.filter(
            pk=exercise.pk, done_at__isnull=True, withdrawn_at__isnull=True
        ).update(done_at=now, reflection=reflection)
        if not changed:
            exercise.refresh_from_db()
            if exercise.is_withdrawn and not exercise.is_done:
                raise ExerciseError(_("Your clinician has taken this exercise back."))
            return False
        events.record(
            enrollment=exercise.enrollment,
            kind=note_events.EXERCISE_DONE,
            actor=by,
            data={"exercise": exercise.pk},
            at=now,
        )
    exercise.refresh_from_db()
    return True
