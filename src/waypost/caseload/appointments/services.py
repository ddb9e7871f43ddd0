"""Booking, moving and cancelling appointments; keeping the planned sessions in step.

Only the client's primary clinician (``Action.BOOK_APPOINTMENT``) does any of these.
Times come in as the clinic's wall-clock time (a local date and time in the booking's
zone) and are stored in UTC per session (``recurrence``). Every change is one timeline
event (and, being the clinician's, an audit entry); a cancellation keeps the row.

The assessments app opens "before each session" questionnaires ahead of its planned
sessions (``assessments.models.Session``). Each appointment within the planning window
gets its planned session through the assessments services, moves with it and is
cancelled with it, so the clinician never enters a session twice. Sessions further
ahead than assessments accepts are planned by the reminder sweep as they come within
reach (:func:`plan_sessions_ahead`).
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date, datetime, time, timedelta
from typing import TYPE_CHECKING

from django.core.exceptions import PermissionDenied
from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from waypost.access.policy import Action, require
from waypost.assessments import services as assessments
from waypost.caseload.appointments import events as appointment_events
from waypost.caseload.appointments import recurrence
from waypost.caseload.appointments.models import MAX_MINUTES, MIN_MINUTES, Appointment, Booking
from waypost.core import events
from waypost.core.errors import DomainError
from waypost.core.timezones import first_zone_name

if TYPE_CHECKING:
    from django.contrib.auth.models import _User as User

    from waypost.program.models import Enrollment

#: How far ahead the first session may be booked.
BOOK_AHEAD = timedelta(days=366)
#: The assessments app plans sessions up to a year ahead (``assessments.plan_session``).
PLAN_AHEAD = timedelta(days=365)


class AppointmentError(DomainError):
    """A booking, move or cancellation that cannot be done; ``message`` says why."""

    code = "appointment_refused"


@dataclass(frozen=True)
class Plan:
    """What the clinician asks for, in the clinic's wall-clock time."""

    first_day: date
    start_time: time
    duration_minutes: int = 50
    mode: str = Booking.Mode.IN_PERSON
    place: str = ""
    online_url: str = ""
    every_weeks: int | None = None  # None: a one-off
    count: int | None = None
    until: date | None = None


def _check_plan(plan: Plan) -> None:
    if not MIN_MINUTES <= plan.duration_minutes <= MAX_MINUTES:
        raise AppointmentError(
            _("A session lasts between %(low)s and %(high)s minutes.")
            % {"low": MIN_MINUTES, "high": MAX_MINUTES}
        )
    if plan.mode == Booking.Mode.ONLINE and not plan.online_url:
        raise AppointmentError(_("An online session needs the link to join."))
    if plan.online_url and not plan.online_url.startswith("https://"):
        raise AppointmentError(_("Please give a link that starts with https://."))
    if plan.every_weeks is not None:
        if not 1 <= plan.every_weeks <= 8:
            raise AppointmentError(_("Repeat every 1 to 8 weeks."))
        if plan.count is None and plan.until is None:
            raise AppointmentError(_("Please say how many sessions, or until when."))
        if plan.count is not None and not 2 <= plan.count <= recurrence.MAX_OCCURRENCES:
            raise AppointmentError(
                _("A series has between 2 and %(most)s sessions.")
                % {"most": recurrence.MAX_OCCURRENCES}
            )
        if plan.until is not None and plan.until < plan.first_day:
            raise AppointmentError(_("The last day must come after the first session."))


def _check_time(starts_at: datetime, now: datetime) -> None:
    if starts_at <= now:
        raise AppointmentError(_("Please choose a time in the future."))
    if starts_at > now + BOOK_AHEAD:
        raise AppointmentError(_("Please choose a time within the next year."))


def book_appointment(
    *, enrollment: Enrollment, by: User, plan: Plan, at: datetime | None = None
) -> Booking:
    """Book a one-off session or a weekly series with the client; returns the booking.

    ``plan`` is in the clinic's time zone. ``at`` is "now" (the demo back-dates it).
    """
    require(by, Action.BOOK_APPOINTMENT, enrollment)
    now = at or timezone.now()
    _check_plan(plan)
    zone = first_zone_name(enrollment.clinic.time_zone)
    rule = recurrence.Rule(
        first_day=plan.first_day,
        start_time=plan.start_time,
        zone=zone,
        every_weeks=plan.every_weeks,
        count=plan.count,
        until=plan.until,
    )
    starts = recurrence.occurrences(rule)
    _check_time(starts[0], now)
    length = timedelta(minutes=plan.duration_minutes)
    with transaction.atomic():
        booking = Booking.objects.create(
            enrollment=enrollment,
            booked_by=by,
            booked_at=now,
            time_zone=zone,
            mode=plan.mode,
            place=plan.place.strip(),
            online_url=plan.online_url.strip() if plan.mode == Booking.Mode.ONLINE else "",
            duration_minutes=plan.duration_minutes,
            every_weeks=plan.every_weeks,
        )
        made = Appointment.objects.bulk_create(
            Appointment(
                booking=booking,
                enrollment=enrollment,
                sequence=n,
                starts_at=start,
                ends_at=start + length,
                original_starts_at=start,
            )
            for n, start in enumerate(starts)
        )
        events.record(
            enrollment=enrollment,
            kind=appointment_events.BOOKED,
            actor=by,
            data={"count": len(made), "starts_at": starts[0].isoformat()},
            at=now,
        )
        for appointment in Appointment.objects.filter(booking=booking):
            _plan_session(appointment, by)
    return booking


def move_appointment(
    *,
    appointment: Appointment,
    by: User,
    day: date,
    start_time: time,
    reason: str = "",
    at: datetime | None = None,
) -> Appointment:
    """Move one session to another local day and time; the rest of a series stays."""
    enrollment = appointment.enrollment
    require(by, Action.BOOK_APPOINTMENT, enrollment)
    now = at or timezone.now()
    if appointment.is_cancelled:
        raise AppointmentError(_("This session was cancelled; book a new one instead."))
    if appointment.starts_at <= now:
        raise AppointmentError(_("This session has already begun."))
    booking = appointment.booking
    starts_at = recurrence.to_utc(day, start_time, booking.time_zone)
    _check_time(starts_at, now)
    with transaction.atomic():
        old_session = appointment.planned_session
        appointment.starts_at = starts_at
        appointment.ends_at = starts_at + timedelta(minutes=booking.duration_minutes)
        appointment.moved_at = now
        appointment.move_reason = reason.strip()
        appointment.reminded_at = None  # a new time deserves its own reminder
        appointment.planned_session = None
        appointment.save(
            update_fields=[
                "starts_at",
                "ends_at",
                "moved_at",
                "move_reason",
                "reminded_at",
                "planned_session",
            ]
        )
        if old_session is not None:
            assessments.cancel_session(session=old_session, by=by)
        _plan_session(appointment, by)
        events.record(
            enrollment=enrollment,
            kind=appointment_events.MOVED,
            actor=by,
            data={"starts_at": starts_at.isoformat()},
            detail=reason.strip(),
            at=now,
        )
    return appointment


def cancel_appointment(
    *,
    appointment: Appointment,
    by: User,
    reason: str,
    rest_of_series: bool = False,
    at: datetime | None = None,
) -> list[Appointment]:
    """Cancel one session, or it and every later one of its series; returns those cancelled.

    The rows stay, marked cancelled with who, when and why; their planned sessions go.
    """
    enrollment = appointment.enrollment
    require(by, Action.BOOK_APPOINTMENT, enrollment)
    now = at or timezone.now()
    reason = reason.strip()
    if not reason:
        raise AppointmentError(_("Please give a reason; the client's record keeps it."))
    if appointment.is_cancelled:
        raise AppointmentError(_("This session is already cancelled."))
    if appointment.starts_at <= now:
        raise AppointmentError(_("This session has already begun."))
    chosen = Appointment.objects.filter(pk=appointment.pk)
    if rest_of_series:
        chosen = Appointment.objects.filter(
            booking_id=appointment.booking_id,
            status=Appointment.Status.PLANNED,
            starts_at__gt=now,
            sequence__gte=appointment.sequence,
        )
    with transaction.atomic():
        cancelled = list(
            chosen.select_for_update(of=("self",))
            .filter(status=Appointment.Status.PLANNED)
            .select_related("planned_session__enrollment")
        )
        if not cancelled:
            raise AppointmentError(_("This session is already cancelled."))
        for each in cancelled:
            each.status = Appointment.Status.CANCELLED
            each.cancelled_at = now
            each.cancelled_by = by
            each.cancel_reason = reason
            each.save(update_fields=["status", "cancelled_at", "cancelled_by", "cancel_reason"])
            if each.planned_session is not None:
                assessments.cancel_session(session=each.planned_session, by=by)
        first = min(cancelled, key=lambda a: a.starts_at)
        events.record(
            enrollment=enrollment,
            kind=appointment_events.CANCELLED,
            actor=by,
            data={"count": len(cancelled), "starts_at": first.starts_at.isoformat()},
            detail=reason,
            at=now,
        )
    return cancelled


# --- keeping the assessments app's planned sessions in step ---------------------------------


def _plan_session(appointment: Appointment, by: User) -> bool:
    """Plan the assessments session for this appointment, if it is within reach."""
    now = timezone.now()
    if appointment.planned_session_id is not None or appointment.is_cancelled:
        return False
    if not now < appointment.starts_at <= now + PLAN_AHEAD:
        return False
    try:
        session = assessments.plan_session(
            enrollment=appointment.enrollment,
            starts_at=appointment.starts_at,
            by=by,
            shown_elsewhere=True,
        )
    except (assessments.MeasureError, PermissionDenied):
        return False
    Appointment.objects.filter(pk=appointment.pk).update(planned_session=session)
    appointment.planned_session = session
    return True


def plan_sessions_ahead(now: datetime | None = None) -> int:
    """Plan the sessions of appointments that have come within the planning window.

    Planned by the client's current primary clinician (the one who booked may have
    handed the client on). Returns how many were planned.
    """
    now = now or timezone.now()
    due = Appointment.objects.filter(
        status=Appointment.Status.PLANNED,
        planned_session__isnull=True,
        starts_at__gt=now,
        starts_at__lte=now + PLAN_AHEAD,
    ).select_related("enrollment__primary_clinician__user", "enrollment__clinic")
    planned = 0
    for appointment in due:
        clinician = appointment.enrollment.primary_clinician
        if clinician is not None and _plan_session(appointment, clinician.user):
            planned += 1
    return planned
