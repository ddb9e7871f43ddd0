"""The demo's appointments: each client has a next one and a past one; one is cancelled.

- client 1 (Stage 1): weekly in person, Tuesdays 10:00, a past session three weeks ago;
- client 2: every two weeks online, Thursdays 18:30, one of the series cancelled (a
  public holiday), the others ahead;
- client 3: a one-off in person next week, and one two weeks ago;
- client 4 (clinician2's): monthly-ish check-ins online, every four weeks.

Past sessions are booked back-dated through the service (``at``), so the record shows
them as they would have happened; their planned questionnaire sessions are only made
for sessions still ahead.
"""

from __future__ import annotations

from datetime import time, timedelta
from typing import TYPE_CHECKING

from waypost.caseload.appointments import services
from waypost.caseload.appointments.models import Booking
from waypost.core.timezones import first_zone

if TYPE_CHECKING:
    from waypost.demo import DemoContext

PLACE = "Room 3, level 5"
LINK = "https://video.demo.waypost.test/room-{n}"


def load(context: DemoContext) -> None:
    now = context.now
    zone = first_zone(context.clinic.time_zone)
    today = now.astimezone(zone).date()
    plans = {
        1: (time(10, 0), Booking.Mode.IN_PERSON, 1, 2),  # weekday Tuesday
        2: (time(18, 30), Booking.Mode.ONLINE, 2, 3),  # Thursday
        3: (time(15, 0), Booking.Mode.IN_PERSON, None, 4),  # Friday
        4: (time(9, 30), Booking.Mode.ONLINE, 4, 0),  # Monday
    }
    for n, (start, mode, every, weekday) in plans.items():
        enrollment = context.client(n)
        clinician = enrollment.primary_clinician.user
        # A past session about three weeks ago, booked a week before it.
        past_day = today - timedelta(weeks=3)
        past_day -= timedelta(days=(past_day.weekday() - weekday) % 7)
        online = mode == Booking.Mode.ONLINE
        place = "" if online else PLACE
        link = LINK.format(n=n) if online else ""
        services.book_appointment(
            enrollment=enrollment,
            by=clinician,
            plan=services.Plan(
                first_day=past_day, start_time=start, mode=mode, place=place, online_url=link
            ),
            at=now - timedelta(weeks=4),
        )
        # What is ahead: from the next such weekday on.
        next_day = today + timedelta(days=1)
        next_day += timedelta(days=(weekday - next_day.weekday()) % 7)
        booking = services.book_appointment(
            enrollment=enrollment,
            by=clinician,
            plan=services.Plan(
                first_day=next_day,
                start_time=start,
                mode=mode,
                every_weeks=every,
                count=6 if every else None,
                place=place,
                online_url=link,
            ),
            at=now - timedelta(days=2),
        )
        if n == 2:
            second = booking.appointments.order_by("sequence")[1]
            services.cancel_appointment(
                appointment=second,
                by=clinician,
                reason="Public holiday; the clinic is closed.",
                at=now - timedelta(days=1),
            )
