"""Booking, moving and cancelling: the services, their events, and the planned sessions."""

from __future__ import annotations

from datetime import UTC, datetime, time, timedelta

import pytest
import time_machine
from django.core.exceptions import PermissionDenied
from django.utils import timezone

from tests.appointments.helpers import book, next_week_day
from waypost.assessments.models import Session
from waypost.caseload.appointments import events as appointment_events
from waypost.caseload.appointments import services
from waypost.caseload.appointments.models import Appointment, Booking
from waypost.core import events
from waypost.core.models import AuditEvent, TimelineEvent

pytestmark = pytest.mark.django_db
NOW = datetime(2026, 3, 2, 2, 0, tzinfo=UTC)  # 10:00 on Monday 2 March in Singapore


@pytest.fixture(autouse=True)
def _frozen():
    with time_machine.travel(NOW, tick=False):
        yield


def test_a_one_off_is_stored_in_utc_from_the_clinics_wall_clock(cast):
    booking = book(cast, start_time=time(15, 30), duration_minutes=45)
    appointment = booking.appointments.get()
    # Singapore is UTC+8: 15:30 local is 07:30 UTC.
    assert appointment.starts_at == datetime(2026, 3, 9, 7, 30, tzinfo=UTC)
    assert appointment.ends_at - appointment.starts_at == timedelta(minutes=45)
    assert booking.time_zone == "Asia/Singapore"
    assert not booking.is_series


def test_a_weekly_series_by_count_and_every_other_week_until_a_day(cast):
    weekly = book(cast, every_weeks=1, count=4)
    starts = list(weekly.appointments.values_list("starts_at", flat=True))
    assert len(starts) == 4
    assert {b - a for a, b in zip(starts, starts[1:], strict=False)} == {timedelta(weeks=1)}
    fortnightly = book(cast, every_weeks=2, until=next_week_day() + timedelta(weeks=5))
    assert fortnightly.appointments.count() == 3  # weeks 0, 2 and 4


def test_booking_is_recorded_on_the_timeline_and_audited(cast):
    book(cast, every_weeks=1, count=3)
    event = TimelineEvent.objects.get(kind=appointment_events.BOOKED)
    assert event.actor == cast.clinician
    assert event.data["count"] == 3
    with timezone.override("UTC"):
        sentence = events.describe(event.kind, event.data, {})
    assert sentence == "Appointments booked: 3 sessions from Mon 9 Mar 2026, 02:00"  # UTC here
    assert AuditEvent.objects.filter(actor=cast.clinician, what="appointment").exists()


@pytest.mark.parametrize(
    ("changes", "message"),
    [
        ({"first_day": NOW.date() - timedelta(days=1)}, "future"),
        ({"first_day": NOW.date() + timedelta(days=400)}, "next year"),
        ({"duration_minutes": 5}, "minutes"),
        ({"mode": Booking.Mode.ONLINE}, "link"),
        ({"mode": Booking.Mode.ONLINE, "online_url": "http://x.test/a"}, "https"),
        ({"every_weeks": 1}, "how many"),
        ({"every_weeks": 1, "count": 80}, "between 2"),
    ],
)
def test_bad_bookings_are_refused_and_change_nothing(cast, changes, message):
    with pytest.raises(services.AppointmentError) as refused:
        book(cast, **changes)
    assert message in refused.value.message
    assert not Appointment.objects.exists()
    assert not TimelineEvent.objects.filter(kind=appointment_events.BOOKED).exists()


def test_only_the_primary_clinician_books(cast):
    for someone in (cast.other_clinician, cast.admin, cast.client, cast.ally_all):
        with pytest.raises(PermissionDenied):
            services.book_appointment(
                enrollment=cast.enrollment,
                by=someone,
                plan=services.Plan(first_day=next_week_day(), start_time=time(10)),
            )
    assert not Booking.objects.exists()


def test_each_session_is_planned_in_the_assessments_app_too(cast):
    booking = book(cast, every_weeks=1, count=3)
    for appointment in booking.appointments.all():
        assert appointment.planned_session is not None
        assert appointment.planned_session.starts_at == appointment.starts_at
        assert appointment.planned_session.cancelled_at is None
    assert Session.objects.filter(enrollment=cast.enrollment).count() == 3


def test_sessions_beyond_the_planning_window_are_planned_when_they_come_within_reach(cast):
    booking = book(cast, every_weeks=8, count=8)  # the last ones are more than a year ahead
    later = booking.appointments.filter(planned_session__isnull=True)
    assert later.exists()
    last = booking.appointments.order_by("-starts_at").first()
    with time_machine.travel(last.starts_at - timedelta(days=300), tick=False):
        assert services.plan_sessions_ahead() >= 1
    last.refresh_from_db()
    assert last.planned_session is not None


def test_moving_a_session_moves_it_alone_and_its_planned_session(cast):
    booking = book(cast, every_weeks=1, count=3)
    first, second, third = booking.appointments.order_by("sequence")
    old_session = second.planned_session
    services.move_appointment(
        appointment=second,
        by=cast.clinician,
        day=second.starts_at.date() + timedelta(days=1),
        start_time=time(16, 0),
        reason="Client asked for a later time.",
    )
    second.refresh_from_db()
    assert second.starts_at == datetime.combine(
        second.original_starts_at.date() + timedelta(days=1), time(8, 0), tzinfo=UTC
    )
    assert second.was_moved and second.move_reason == "Client asked for a later time."
    old_session.refresh_from_db()
    assert old_session.cancelled_at is not None
    assert second.planned_session.starts_at == second.starts_at
    first.refresh_from_db()
    third.refresh_from_db()
    assert not first.was_moved and not third.was_moved
    moved = TimelineEvent.objects.get(kind=appointment_events.MOVED)
    assert moved.detail == "Client asked for a later time."


def test_cancelling_one_keeps_the_row_with_who_when_and_why(cast):
    booking = book(cast, every_weeks=1, count=3)
    first, second, third = booking.appointments.order_by("sequence")
    services.cancel_appointment(appointment=second, by=cast.clinician, reason="Clinic closed.")
    assert Appointment.objects.count() == 3  # never deleted
    second.refresh_from_db()
    assert second.is_cancelled
    assert second.cancelled_by == cast.clinician and second.cancelled_at == NOW
    assert second.cancel_reason == "Clinic closed."
    assert second.planned_session.cancelled_at is not None
    assert not Appointment.objects.get(pk=third.pk).is_cancelled
    event = TimelineEvent.objects.get(kind=appointment_events.CANCELLED)
    assert event.detail == "Clinic closed." and event.data["count"] == 1
    # the reason is encrypted at rest
    from django.db import connection

    with connection.cursor() as cursor:
        cursor.execute(
            "select cancel_reason from appointments_appointment where id=%s", [second.pk]
        )
        assert "Clinic closed" not in cursor.fetchone()[0]


def test_cancelling_the_rest_of_a_series(cast):
    booking = book(cast, every_weeks=1, count=4)
    appointments = list(booking.appointments.order_by("sequence"))
    cancelled = services.cancel_appointment(
        appointment=appointments[1], by=cast.clinician, reason="Moving on.", rest_of_series=True
    )
    assert [a.pk for a in cancelled] == [a.pk for a in appointments[1:]]
    statuses = list(booking.appointments.order_by("sequence").values_list("status", flat=True))
    assert statuses == ["planned", "cancelled", "cancelled", "cancelled"]
    assert TimelineEvent.objects.get(kind=appointment_events.CANCELLED).data["count"] == 3


def test_a_cancellation_needs_a_reason_and_happens_once(cast):
    appointment = book(cast).appointments.get()
    with pytest.raises(services.AppointmentError):
        services.cancel_appointment(appointment=appointment, by=cast.clinician, reason="  ")
    services.cancel_appointment(appointment=appointment, by=cast.clinician, reason="Ill.")
    appointment.refresh_from_db()
    with pytest.raises(services.AppointmentError):
        services.cancel_appointment(appointment=appointment, by=cast.clinician, reason="Again.")
    with pytest.raises(services.AppointmentError):
        services.move_appointment(
            appointment=appointment, by=cast.clinician, day=next_week_day(), start_time=time(9)
        )
    assert TimelineEvent.objects.filter(kind=appointment_events.CANCELLED).count() == 1
