"""Which questionnaires are due, read without writing anything.

Forms fall due in the background (``tasks.send_reminders`` opens them every
15 minutes) and when the client presses Start (``services.start_due_form``, a
POST). Pages never open forms while they render: they show the forms already
open together with the ones that fell due since the last sweep, computed here.
"""

from __future__ import annotations

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


def occurrences(assignment: Assignment, now: datetime) -> list[tuple[datetime, datetime]]:
    """The (opens, closes) of the form(s) the assignment should have open by ``now``.

    Needs ``assignment.enrollment.clinic`` (its time zone) for a weekly schedule.
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
    sessions = Session.objects.filter(
        enrollment_id=assignment.enrollment_id,
        cancelled_at__isnull=True,
        starts_at__gt=max(now, assignment.starts_at),
        starts_at__lte=now + SESSION_LEAD,
    )
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
    made: set[tuple[int, datetime]] = set()
    with_forms: set[int] = set()
    for assignment_id, opens_at in Administration.objects.filter(
        assignment__in=assignments
    ).values_list("assignment_id", "opens_at"):
        made.add((assignment_id, opens_at))
        with_forms.add(assignment_id)
    due = []
    for assignment in assignments:
        if assignment.schedule == Assignment.Schedule.ONCE and assignment.pk in with_forms:
            continue  # "once" means once, even after that form closed
        for opens, closes in occurrences(assignment, now):
            if closes > now and (assignment.pk, opens) not in made:
                due.append(DueOccurrence(assignment=assignment, opens=opens, closes=closes))
    return due


def waiting_forms(enrollment: Enrollment, now: datetime | None = None) -> list[Administration]:
    """What the client can fill in now, soonest closing first.

    The forms already open, and the ones that fell due since the last sweep as
    unsaved forms (``pk`` is None) that a Start button (a POST) opens.
    """
    now = now or timezone.now()
    waiting = list(results.open_forms(enrollment))
    for due in due_occurrences(enrollment=enrollment, now=now):
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
