"""Reads of check-ins and the day counter, for pages, panels and next steps (never writing).

Whose day is it? Always the client's: their own time zone, else their clinic's
(``client_time_zone``), also when their clinician is reading in another zone.

Where counting starts (the rule for now): the client's local date of entering the
stage they are in, from Stage 2 on (``enrollment.stage_entered_at``). The recovery
plan, with a start date and a period chosen with the clinician, replaces this rule
when it arrives. Lapse days are the check-ins that say the inner circle was not kept
(the lapse log comes later); days without a check-in count as kept.

Today counts once it is checked in (``counted_through``): until then the counter
stands on yesterday. So a lapse logged for today starts a new streak and takes
nothing away — the total and the longest streak never go down within a day.
Correcting an earlier day to "not kept" does change them: it corrects the record.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date, datetime, timedelta
from decimal import Decimal
from typing import TYPE_CHECKING

from django.db.models import Q
from django.utils import timezone

from waypost.core.timezones import first_zone_name
from waypost.program.models import Stage
from waypost.recovery import days
from waypost.recovery.models import CheckIn

if TYPE_CHECKING:
    from django.contrib.auth.models import _User as User
    from django.http import HttpRequest

    from waypost.program.models import Enrollment

# How many days back a check-in may still be changed: today and the two before.
EDIT_DAYS = 3
# The clinician's record shows this many days of check-ins.
RECENT_DAYS = 14


def client_time_zone(enrollment: Enrollment, *, client: User | None = None) -> str:
    """The client's own time zone, else their clinic's.

    Pass the signed-in ``client`` when it is them (their own pages): their user row is
    then not read again.
    """
    person = client if client is not None and client.pk == enrollment.client_id else None
    own = (person or enrollment.client).time_zone
    return first_zone_name(own, enrollment.clinic.time_zone)


def client_today(
    enrollment: Enrollment, now: datetime | None = None, *, client: User | None = None
) -> date:
    """The client's local date now."""
    return days.local_date(now or timezone.now(), client_time_zone(enrollment, client=client))


def counting_start(enrollment: Enrollment, *, client: User | None = None) -> date | None:
    """The first counted day, or None before Stage 2 (see the module's note on the rule)."""
    if enrollment.stage < Stage.ABSTINENCE:
        return None
    return days.local_date(enrollment.stage_entered_at, client_time_zone(enrollment, client=client))


def counted_through(today: date, *, checked_in_today: bool) -> date:
    """The last day the counter counts: today once it is checked in, else yesterday."""
    return today if checked_in_today else today - timedelta(days=1)


def editable_days(today: date) -> list[date]:
    """The days a check-in may be written or changed for, newest first."""
    return [today - timedelta(days=n) for n in range(EDIT_DAYS)]


def check_in_for(enrollment: Enrollment, day: date) -> CheckIn | None:
    return CheckIn.objects.filter(enrollment=enrollment, local_date=day).first()


@dataclass(frozen=True)
class TodayState:
    """What Today needs, from one query: the counter and whether today is checked in."""

    counter: days.Counter
    checked_in_today: bool


def today_state(
    enrollment: Enrollment, today: date, *, client: User | None = None
) -> TodayState | None:
    """The counter and today's check-in, in one query whatever the history (lapse dates only)."""
    start = counting_start(enrollment, client=client)
    if start is None:
        return None
    rows = CheckIn.objects.filter(
        Q(sober=False) | Q(local_date=today), enrollment=enrollment
    ).values_list("local_date", "sober")
    lapses, checked_in = [], False
    for day, sober in rows:
        if day == today:
            checked_in = True
        if not sober and day >= start:
            lapses.append(day)
    through = counted_through(today, checked_in_today=checked_in)
    counter = days.counter(start=start, today=through, lapse_days=lapses)
    return TodayState(counter=counter, checked_in_today=checked_in)


_CACHE = "_waypost_recovery_today"


def today_state_for(request: HttpRequest, enrollment: Enrollment) -> TodayState | None:
    """``today_state`` for the client's date, once per request (next step and panel)."""
    cache: dict[int, TodayState | None] = getattr(request, _CACHE, None) or {}
    if enrollment.pk not in cache:
        user = request.user if request.user.is_authenticated else None
        today = client_today(enrollment, client=user)
        cache[enrollment.pk] = today_state(enrollment, today, client=user)
        setattr(request, _CACHE, cache)
    return cache[enrollment.pk]


@dataclass(frozen=True)
class Day:
    """One of the recent days on the clinician's record: a check-in, or none that day."""

    day: date
    check_in: DayValues | None


@dataclass(frozen=True)
class DayValues:
    sober: bool
    mood: int
    urge: int
    sleep_hours: Decimal | None
    mindfulness_minutes: int


@dataclass(frozen=True)
class RecordSummary:
    counter: days.Counter
    recent: list[Day]  # newest first
    checked_in_days: int  # of the last RECENT_DAYS

    @property
    def adherence_percent(self) -> int:
        return round(100 * self.checked_in_days / RECENT_DAYS)


def record_summary(enrollment: Enrollment, today: date | None = None) -> RecordSummary | None:
    """The counter and the last fortnight of check-ins, in one query whatever the history."""
    start = counting_start(enrollment)
    if start is None:
        return None
    today = today or client_today(enrollment)
    since = today - timedelta(days=RECENT_DAYS - 1)
    rows = CheckIn.objects.filter(
        Q(sober=False) | Q(local_date__gte=since, local_date__lte=today), enrollment=enrollment
    ).values_list("local_date", "sober", "mood", "urge", "sleep_hours", "mindfulness_minutes")
    lapses: list[date] = []
    recent: dict[date, DayValues] = {}
    for day, sober, mood, urge, sleep, minutes in rows:
        if not sober and day >= start:
            lapses.append(day)
        if since <= day <= today:
            recent[day] = DayValues(sober, mood, urge, sleep, minutes)
    through = counted_through(today, checked_in_today=today in recent)
    counter = days.counter(start=start, today=through, lapse_days=lapses)
    listed = [today - timedelta(days=n) for n in range(RECENT_DAYS)]
    return RecordSummary(
        counter=counter,
        recent=[Day(day, recent.get(day)) for day in listed],
        checked_in_days=len(recent),
    )


def recent_check_ins(enrollment: Enrollment, today: date) -> list[CheckIn]:
    """The check-ins that may still be changed (at most ``EDIT_DAYS``), newest first."""
    oldest = today - timedelta(days=EDIT_DAYS - 1)
    return list(
        CheckIn.objects.filter(
            enrollment=enrollment, local_date__gte=oldest, local_date__lte=today
        ).order_by("-local_date")
    )
