"""Making groups for the tests: through the services, as the clinic's clinician would."""

from __future__ import annotations

from datetime import date, datetime, time, timedelta

from django.utils import timezone

from waypost.connect.groups import schedule, services
from waypost.connect.groups.models import GroupProgramme, Weekday


def plan(
    starts_on: date,
    *,
    weekday: int = Weekday.SATURDAY,
    start: time = time(13, 0),
    end: time = time(15, 0),
    every: int = 2,
    ends_on: date | None = None,
    count: int | None = None,
) -> services.Schedule:
    return services.Schedule(
        starts_on=starts_on,
        weekday=weekday,
        start_time=start,
        end_time=end,
        interval_weeks=every,
        ends_on=ends_on,
        session_count=count,
    )


def make_group(
    cast,
    *,
    starts_on: date | None = None,
    capacity: int = 10,
    members: tuple = (),
    name: str = "Saturday group",
    room: str = "Group room",
    online_url: str = "https://video.example/group",
    **schedule_options,
) -> GroupProgramme:
    """A group of the cast's clinic facilitated by the cast's clinician, with ``members``."""
    starts_on = starts_on or timezone.localdate() - timedelta(weeks=6)
    programme = services.define_programme(
        clinic=cast.clinic,
        by=cast.clinician,
        name=name,
        plan=plan(starts_on, **schedule_options),
        facilitators=[cast.clinician_profile],
        capacity=capacity,
        room=room,
        online_url=online_url,
        at=timezone.now() - timedelta(weeks=8),
    )
    for enrollment in members:
        services.enrol(
            programme=programme,
            enrollment=enrollment,
            by=cast.clinician,
            at=timezone.now() - timedelta(weeks=7),
        )
    return programme


def past_and_next(programme: GroupProgramme) -> tuple[schedule.Occurrence, schedule.Occurrence]:
    """The latest occurrence that has started and the next one still ahead."""
    now = timezone.now()
    series = programme.series
    past = schedule.occurrences(series, now - timedelta(weeks=20), now)
    ahead = schedule.occurrences(series, now, now + timedelta(weeks=20))
    return past[-1], ahead[0]


def local(zone: str, *args: int) -> datetime:
    from zoneinfo import ZoneInfo

    return datetime(*args, tzinfo=ZoneInfo(zone))
