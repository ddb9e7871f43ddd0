"""Bookings for the tests: the cast's clinic is in Asia/Singapore (no daylight saving)."""

from __future__ import annotations

from datetime import date, time, timedelta

from django.utils import timezone

from waypost.caseload.appointments import services
from waypost.caseload.appointments.models import Appointment, Booking


def next_week_day() -> date:
    return timezone.localdate(timezone.now(), timezone=_zone()) + timedelta(days=7)


def _zone():
    from zoneinfo import ZoneInfo

    return ZoneInfo("Asia/Singapore")


def book(cast, **changes) -> Booking:
    plan = {
        "first_day": next_week_day(),
        "start_time": time(10, 0),
        "duration_minutes": 50,
        "mode": Booking.Mode.IN_PERSON,
        "place": "Room 3",
    } | changes
    return services.book_appointment(
        enrollment=cast.enrollment, by=cast.clinician, plan=services.Plan(**plan)
    )


def one_appointment(cast) -> Appointment:
    return book(cast).appointments.get()
