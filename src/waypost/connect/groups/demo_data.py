"""The demo clinic's therapy group: every other Saturday, 13:00–15:00 Singapore time.

- facilitated by Dr Mei Ling Tan (the demo clinician) and Arjun Nair;
- started about fourteen weeks ago; Marcus (client 4) has been in it from the start,
  Wei Jie (client 2) joined five weeks ago on his clinician's advice, Farid (client 3)
  when he reached stage 3;
- attendance taken at every past session: mostly present, Marcus excused once, Wei Jie
  absent once; notes on the last session;
- the session after next is cancelled (a public holiday), and the one after that is
  moved to Sunday morning in another room;
- Wei Jie shares "Group sessions" with his ally, so her page shows them.

Everything goes through the services, back-dated to when it would have happened.
"""

from __future__ import annotations

from datetime import datetime, time, timedelta
from typing import TYPE_CHECKING

from waypost.connect.groups import schedule, services
from waypost.connect.groups.feeds import ALLY_SCOPE
from waypost.connect.groups.models import Attendance, Weekday
from waypost.connect.models import AllyLink
from waypost.connect.services import set_consent
from waypost.core.timezones import first_zone

if TYPE_CHECKING:
    from waypost.demo import DemoContext

NAME = "Saturday group"
WEEKS_RUNNING = 14


def load(context: DemoContext) -> None:
    clinic, now = context.clinic, context.now
    mei_ling, arjun = context.clinicians[0], context.clinicians[1]
    zone = first_zone(clinic.time_zone)
    today = now.astimezone(zone).date()
    began = today - timedelta(weeks=WEEKS_RUNNING)
    began -= timedelta(days=(began.weekday() - Weekday.SATURDAY) % 7)  # a Saturday
    programme = services.define_programme(
        clinic=clinic,
        by=arjun.user,
        name=NAME,
        about=(
            "A small, steady group: a check-in round, a theme, and time to listen. "
            "Come as you are; you never have to share more than you want to."
        ),
        plan=services.Schedule(
            starts_on=began,
            weekday=Weekday.SATURDAY,
            start_time=time(13, 0),
            end_time=time(15, 0),
            interval_weeks=2,
        ),
        facilitators=[mei_ling, arjun],
        capacity=10,
        room="Group room, level 5",
        online_url="https://video.demo.waypost.test/saturday-group",
        at=datetime.combine(began - timedelta(weeks=3), time(10), tzinfo=zone),
    )
    series = programme.series
    past = schedule.occurrences(series, series.starts_at(series.first_day), now)
    marcus, wei_jie, farid = context.client(4), context.client(2), context.client(3)
    joined = {
        marcus.pk: series.starts_at(series.first_day) - timedelta(days=6),
        wei_jie.pk: now - timedelta(weeks=5),
        farid.pk: max(farid.stage_entered_at + timedelta(days=2), now - timedelta(weeks=3)),
    }
    for enrollment in (marcus, wei_jie, farid):
        services.enrol(
            programme=programme, enrollment=enrollment, by=arjun.user, at=joined[enrollment.pk]
        )
    for n, occurrence in enumerate(past):
        taken_at = occurrence.end + timedelta(minutes=10)
        for enrollment in (marcus, wei_jie, farid):
            if joined[enrollment.pk] > occurrence.start:
                continue
            status = Attendance.Status.PRESENT
            if enrollment == marcus and n == 2:
                status = Attendance.Status.EXCUSED
            elif enrollment == wei_jie and occurrence == _after(past, joined[wei_jie.pk], 1):
                status = Attendance.Status.ABSENT
            services.take_attendance(
                programme=programme,
                original=occurrence.original,
                enrollment=enrollment,
                status=status,
                by=arjun.user,
                at=taken_at,
            )
    if past:
        last = past[-1]
        services.save_notes(
            programme=programme,
            original=last.original,
            text=(
                "Check-in round, then the theme: getting through long weekends. "
                "Good listening; two members want to come back to it next time."
            ),
            by=arjun.user,
            at=last.end + timedelta(minutes=20),
        )
    ahead = schedule.occurrences(series, now, now + timedelta(weeks=8))
    if len(ahead) >= 3:
        services.cancel_occurrence(
            programme=programme,
            original=ahead[1].original,
            reason="The clinic is closed for the public holiday.",
            by=arjun.user,
            at=now - timedelta(days=2),
        )
        sunday = ahead[2].start.date() + timedelta(days=1)
        services.move_occurrence(
            programme=programme,
            original=ahead[2].original,
            start=datetime.combine(sunday, time(10, 0), tzinfo=zone),
            end=datetime.combine(sunday, time(12, 0), tzinfo=zone),
            room="Room 2, level 5",
            reason="The group room is being repainted that weekend.",
            by=arjun.user,
            at=now - timedelta(days=2),
        )
    link = AllyLink.objects.filter(enrollment=wei_jie, ended_at__isnull=True).first()
    if link is not None:
        set_consent(link=link, scopes=[*link.scopes, ALLY_SCOPE], by=wei_jie.client)


def _after(past: list[schedule.Occurrence], moment: datetime, n: int) -> schedule.Occurrence | None:
    """The ``n``-th session (0: the first) that started after ``moment``."""
    later = [o for o in past if o.start >= moment]
    return later[n] if len(later) > n else None
