"""Which questionnaires are due, read without writing anything.

Forms fall due in the background (``tasks.send_reminders`` opens them every
15 minutes) and when the client presses Start (``services.start_due_form``, a
POST). Pages never open forms while they render: they show the forms already
open together with the ones that fell due since the last sweep, computed here.
"""

from __future__ import annotations

from collections.abc import Iterable, Sequence
from dataclasses import dataclass
from datetime import datetime, timedelta

from django.utils import timezone

from waypost.assessments import recurrence, results
from waypost.assessments.models import (
    DEFAULT_BASELINE,
    Administration,
    Assignment,
    ClinicMeasureSettings,
    Session,
)
from waypost.program.models import Enrollment

SESSION_LEAD = timedelta(days=2)  # a "before each session" form opens this long before


@dataclass(frozen=True)
class DueOccurrence:
    """A form an assignment should have open by now and that does not exist yet."""

    assignment: Assignment
    opens: datetime
    closes: datetime


def occurrences(
    assignment: Assignment, now: datetime, sessions: Iterable[Session] | None = None
) -> list[tuple[datetime, datetime]]:
    """The (opens, closes) of the form(s) the assignment should have open by ``now``.

    Needs ``assignment.enrollment.clinic`` (its time zone) for a weekly schedule.
    ``sessions``: the enrollment's sessions ahead and not called off, when already read.
    """
    window = timedelta(days=assignment.window_days)
    if assignment.schedule == Assignment.Schedule.ONCE:
        return [(assignment.starts_at, assignment.starts_at + window)]
    if assignment.schedule == Assignment.Schedule.EVERY_N_WEEKS:
        # Only the latest occurrence, counted in weeks on the clinic's wall clock:
        # a missed form is not made up for later.
        return [
            recurrence.current_window(
                first=assignment.starts_at,
                every_weeks=assignment.every_weeks or 1,
                window_days=assignment.window_days,
                now=now,
                zone=assignment.enrollment.clinic.time_zone,
            )
        ]
    # Before each session: open from SESSION_LEAD ahead until the session starts.
    after = max(now, assignment.starts_at)
    if sessions is None:
        sessions = Session.objects.filter(
            enrollment_id=assignment.enrollment_id,
            cancelled_at__isnull=True,
            starts_at__gt=after,
            starts_at__lte=now + SESSION_LEAD,
        )
    else:
        sessions = [s for s in sessions if after < s.starts_at <= now + SESSION_LEAD]
    return [(s.starts_at - SESSION_LEAD, s.starts_at) for s in sessions]


def due_occurrences(
    *, enrollment: Enrollment | None = None, now: datetime | None = None
) -> list[DueOccurrence]:
    """Forms that have fallen due by ``now`` and are not made yet, for active enrolments.

    A query for the assignments and one for their existing forms, whatever the
    history, plus one per "before each session" schedule.
    """
    now = now or timezone.now()
    active = Assignment.objects.filter(
        ended_at__isnull=True,
        starts_at__lte=now,
        enrollment__status=Enrollment.Status.ACTIVE,
    ).select_related("enrollment__clinic")
    if enrollment is not None:
        active = active.filter(enrollment=enrollment)
    assignments = list(active)
    if not assignments:
        return []
    made = Administration.objects.filter(assignment__in=assignments).values_list(
        "assignment_id", "opens_at"
    )
    return _due(assignments, made, now)


def _due(
    assignments: Iterable[Assignment],
    made_forms: Iterable[tuple[int | None, datetime]],
    now: datetime,
    sessions: Iterable[Session] | None = None,
) -> list[DueOccurrence]:
    """The occurrences of ``assignments`` due by ``now`` among which no form is made yet.

    ``made_forms``: (assignment id, opens) of the forms the assignments have made.
    """
    made = set(made_forms)
    with_forms = {assignment_id for assignment_id, _opens in made}
    due = []
    for assignment in assignments:
        if assignment.schedule == Assignment.Schedule.ONCE and assignment.pk in with_forms:
            continue  # "once" means once, even after that form closed
        for opens, closes in occurrences(assignment, now, sessions):
            if closes > now and (assignment.pk, opens) not in made:
                due.append(DueOccurrence(assignment=assignment, opens=opens, closes=closes))
    return due


@dataclass(frozen=True)
class Known:
    """What ``waiting_forms`` reads, already read (Today's facts, ``next_steps``)."""

    open_forms: Sequence[Administration]  # open or begun, open now
    assignments: Sequence[Assignment]  # not ended, started by now
    made: Sequence[tuple[int | None, datetime]]  # (assignment id, opens) of every form
    sessions: Sequence[Session]  # ahead and not called off


def waiting_forms(
    enrollment: Enrollment, now: datetime | None = None, known: Known | None = None
) -> list[Administration]:
    """What the client can fill in now, soonest closing first.

    The forms already open, and the ones that fell due since the last sweep as
    unsaved forms (``pk`` is None) that a Start button (a POST) opens. With
    ``known`` (read at ``now``) it reads nothing itself.
    """
    now = now or timezone.now()
    if known is None:
        waiting = list(results.open_forms(enrollment))
        due_now = due_occurrences(enrollment=enrollment, now=now)
    else:
        waiting = list(known.open_forms)
        active = enrollment.status == Enrollment.Status.ACTIVE
        for assignment in known.assignments:
            assignment.enrollment = enrollment
        due_now = _due(known.assignments, known.made, now, known.sessions) if active else []
    for due in due_now:
        waiting.append(
            Administration(
                enrollment=enrollment,
                assignment=due.assignment,
                instrument_id=due.assignment.instrument_id,
                clinic_instrument_id=due.assignment.clinic_instrument_id,
                opens_at=due.opens,
                closes_at=due.closes,
                created_at=now,
            )
        )
    return sorted(waiting, key=lambda form: form.closes_at)


def baseline_instruments(clinic_id: int) -> list[str]:
    """The questionnaires the clinic gives each new client, by id (the default if unset)."""
    chosen = (
        ClinicMeasureSettings.objects.filter(clinic_id=clinic_id)
        .values_list("baseline_instruments", flat=True)
        .first()
    )
    return list(DEFAULT_BASELINE) if chosen is None else list(chosen)
