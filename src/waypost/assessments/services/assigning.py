"""Assigning questionnaires and planning sessions; opening forms when they fall due."""

from __future__ import annotations

from datetime import datetime, timedelta
from typing import TYPE_CHECKING

from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from waypost.access.policy import Action, require
from waypost.assessments import catalog, instruments, selectors
from waypost.assessments import events as measure_events
from waypost.assessments.models import Administration, Assignment, Session
from waypost.assessments.services.common import (
    MAX_EVERY_WEEKS,
    MAX_WINDOW_DAYS,
    MeasureError,
    entry_for,
)
from waypost.core import events
from waypost.program.models import Enrollment

if TYPE_CHECKING:
    from django.contrib.auth.models import _User as User


def assign_measure(
    *,
    enrollment: Enrollment,
    instrument_id: str,
    by: User,
    schedule: str = Assignment.Schedule.ONCE,
    every_weeks: int | None = None,
    window_days: int = 7,
    at: datetime | None = None,
) -> Assignment:
    """Ask the client to fill in a questionnaire once or on a schedule; open it if due."""
    require(by, Action.ASSIGN_WORK, enrollment)
    entry = entry_for(instrument_id, enrollment.clinic_id)
    if schedule not in Assignment.Schedule.values:
        raise MeasureError(_("Please choose when the questionnaire is due."))
    if schedule == Assignment.Schedule.EVERY_N_WEEKS:
        if not every_weeks or not 1 <= every_weeks <= MAX_EVERY_WEEKS:
            raise MeasureError(
                _("Please give how often, from every 1 to every %(n)d weeks.")
                % {"n": MAX_EVERY_WEEKS}
            )
    else:
        every_weeks = None
    if not 1 <= window_days <= MAX_WINDOW_DAYS:
        raise MeasureError(
            _("A questionnaire can stay open from 1 to %(n)d days.") % {"n": MAX_WINDOW_DAYS}
        )
    current = Assignment.objects.filter(
        enrollment=enrollment, instrument_id=entry.id, ended_at__isnull=True
    )
    if schedule != Assignment.Schedule.ONCE and current.exclude(schedule="once").exists():
        raise MeasureError(
            _("%(name)s is already on a schedule for this client. End that one first.")
            % {"name": entry.instrument.short_name}
        )
    if (
        schedule == Assignment.Schedule.ONCE
        and Administration.objects.filter(
            enrollment=enrollment,
            instrument_id=entry.id,
            status__in=[Administration.Status.OPEN, Administration.Status.IN_PROGRESS],
            closes_at__gt=at or timezone.now(),
        ).exists()
    ):
        raise MeasureError(
            _("%(name)s is already waiting for this client.")
            % {"name": entry.instrument.short_name}
        )
    now = at or timezone.now()
    with transaction.atomic():
        assignment = Assignment.objects.create(
            enrollment=enrollment,
            instrument_id=entry.id,
            clinic_instrument_id=entry.upload_id,
            schedule=schedule,
            every_weeks=every_weeks,
            window_days=window_days,
            starts_at=now,
            created_by=by,
            created_at=now,
        )
        events.record(
            enrollment=enrollment,
            kind=measure_events.ASSIGNED,
            actor=by,
            data=measure_events.data_for(entry, assignment=assignment.pk),
            at=now,
        )
        open_due_forms(enrollment=enrollment, now=now)
    return assignment


# A new client has two weeks for the first questionnaires: the first week is full enough.
BASELINE_WINDOW_DAYS = 14


def assign_baseline(*, enrollment: Enrollment, by: User, at: datetime | None = None) -> list[str]:
    """Give a client who has just joined the clinic's baseline questionnaires, once each.

    The clinic chose them (``ClinicMeasureSettings.baseline_instruments``, PHQ-9, GAD-7,
    WHO-5 and AUDIT-C unless it chose otherwise); ``by`` is who enrolled the client,
    so no further access check is made here. A questionnaire this client already has an
    assignment for (even an ended one) is left alone, and so is an id no longer in the
    catalogue (or a clinic's own questionnaire no longer published). Returns the ids
    assigned, in the clinic's order.
    """
    now = at or timezone.now()
    already = set(
        Assignment.objects.filter(enrollment=enrollment).values_list("instrument_id", flat=True)
    )
    wanted = [
        instrument_id
        for instrument_id in dict.fromkeys(selectors.baseline_instruments(enrollment.clinic_id))
        if instrument_id not in already
    ]
    # The clinic's own questionnaires are looked up only when the baseline names one.
    known = (
        catalog.catalog()
        if all(catalog.get(i) is not None for i in wanted)
        else instruments.available(enrollment.clinic_id)
    )
    chosen = [(i, known[i]) for i in wanted if i in known]
    if not chosen:
        return []
    with transaction.atomic():
        for instrument_id, entry in chosen:
            assignment = Assignment.objects.create(
                enrollment=enrollment,
                instrument_id=instrument_id,
                clinic_instrument_id=entry.upload_id,
                schedule=Assignment.Schedule.ONCE,
                window_days=BASELINE_WINDOW_DAYS,
                starts_at=now,
                created_by=by,
                created_at=now,
            )
            events.record(
                enrollment=enrollment,
                kind=measure_events.ASSIGNED,
                actor=by,
                data=measure_events.data_for(entry, assignment=assignment.pk),
                at=now,
            )
        open_due_forms(enrollment=enrollment, now=now)
    return [instrument_id for instrument_id, _entry in chosen]


def end_assignment(*, assignment: Assignment, by: User, at: datetime | None = None) -> None:
    """Stop a schedule; forms already open stay open until they close."""
    require(by, Action.ASSIGN_WORK, assignment.enrollment)
    if assignment.ended_at is not None:
        return
    now = at or timezone.now()
    with transaction.atomic():
        Assignment.objects.filter(pk=assignment.pk).update(ended_at=now)
        assignment.ended_at = now
        events.record_change(
            actor=by,
            enrollment=assignment.enrollment,
            what="measure schedule ended",
            at=now,
        )


def plan_session(
    *, enrollment: Enrollment, starts_at: datetime, by: User, shown_elsewhere: bool = False
) -> Session:
    """Note the next session, so "before each session" questionnaires open ahead of it.

    ``shown_elsewhere``: an app that shows the session to the client itself (a booked
    appointment) plans it so; Today's "coming up" then leaves it to that app.
    """
    require(by, Action.ASSIGN_WORK, enrollment)
    now = timezone.now()
    if starts_at <= now:
        raise MeasureError(_("Please choose a time in the future."))
    if starts_at > now + timedelta(days=366):
        raise MeasureError(_("Please choose a time within the next year."))
    with transaction.atomic():
        session = Session.objects.create(
            enrollment=enrollment,
            starts_at=starts_at,
            created_by=by,
            shown_elsewhere=shown_elsewhere,
        )
        events.record_change(actor=by, enrollment=enrollment, what="session planned")
        open_due_forms(enrollment=enrollment, now=now)
    return session


def cancel_session(*, session: Session, by: User) -> None:
    """Remove a planned session; a form opened for it closes too."""
    require(by, Action.ASSIGN_WORK, session.enrollment)
    if session.cancelled_at is None:
        Session.objects.filter(pk=session.pk).update(cancelled_at=timezone.now())
        Administration.objects.filter(
            enrollment=session.enrollment,
            assignment__schedule=Assignment.Schedule.BEFORE_SESSION,
            closes_at=session.starts_at,
            status__in=[Administration.Status.OPEN, Administration.Status.IN_PROGRESS],
        ).update(status=Administration.Status.EXPIRED)
        events.record_change(actor=by, enrollment=session.enrollment, what="session cancelled")


# --- opening and closing forms ------------------------------------------------------


def open_due_forms(
    *, enrollment: Enrollment | None = None, now: datetime | None = None
) -> list[Administration]:
    """Create the forms that have fallen due, once each; return the new ones.

    Only the sweep (``tasks``) and POSTs call this: pages show what is due through
    ``selectors.waiting_forms`` without writing.
    """
    now = now or timezone.now()
    created = []
    for due in selectors.due_occurrences(enrollment=enrollment, now=now):
        form, made = Administration.objects.get_or_create(
            assignment=due.assignment,
            opens_at=due.opens,
            defaults={
                "enrollment": due.assignment.enrollment,
                "instrument_id": due.assignment.instrument_id,
                "clinic_instrument_id": due.assignment.clinic_instrument_id,
                "instrument_version": _version(due.assignment),
                "closes_at": due.closes,
                "created_at": now,
            },
        )
        if made:
            created.append(form)
    return created


def start_due_form(
    *, assignment: Assignment, by: User, at: datetime | None = None
) -> Administration:
    """The client starts a questionnaire that is due: its form, opened now if not yet.

    The POST behind a Start button for a form that fell due since the last sweep,
    so the client never waits for the background task.
    """
    require(by, Action.VIEW_OWN, assignment.enrollment)
    now = at or timezone.now()
    open_due_forms(enrollment=assignment.enrollment, now=now)
    form = (
        Administration.objects.filter(
            assignment=assignment,
            status__in=[Administration.Status.OPEN, Administration.Status.IN_PROGRESS],
            opens_at__lte=now,
            closes_at__gt=now,
        )
        .order_by("closes_at")
        .first()
    )
    if form is None:
        raise MeasureError(_("That questionnaire has closed. There is nothing you need to do."))
    return form


def expire_closed_forms(now: datetime | None = None) -> int:
    """Forms past their closing time that nobody finished: expired, kindly, not missed."""
    now = now or timezone.now()
    return Administration.objects.filter(
        status__in=[Administration.Status.OPEN, Administration.Status.IN_PROGRESS],
        closes_at__lte=now,
    ).update(status=Administration.Status.EXPIRED)


def _version(assignment: Assignment) -> str:
    entry = assignment.entry
    return str(entry.questionnaire.get("version", ""))[:32] if entry else ""
