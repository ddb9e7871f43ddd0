"""The day counter: current streak, total sober days, longest streak and milestones.

Pure: no Django import (stdlib and ``zoneinfo`` only), so the arithmetic is property
tested with hypothesis directly (``tests/recovery/test_days.py``). Callers pass plain
dates that were stored with each check-in and lapse; this module never reads a clock.

Words (UX.md, "Words we use"): a *lapse*, a *streak*, *total days*. A lapse starts a new
streak; nothing is "reset" and nothing else is lost — the total, the longest streak and
the milestones already celebrated stay. How a day with a lapse is *worded* (kindly,
pointing to learning) is the UI's job; here ``current_streak`` is simply 0 on that day.

Rules
-----
* A day is a date on the client's own calendar (see "Time zones" below). The plan runs
  from ``start`` (its day 1) to ``today``, both included.
* Lapse days before ``start`` or after ``today`` are ignored (an earlier plan's lapses,
  or a date not reached yet, do not count).
* Lapse days are a set: the same date given twice (two lapses on one day) counts once.
* A lapse day is not a sober day and ends the streak it falls in. The day after a lapse
  begins a new streak of 1.
* If ``today`` is a lapse day, ``current_streak`` is 0.
* A ``start`` in the future (``today < start``) gives zeros everywhere; the next
  milestone is 1, reached on the start day, ``days_to_next`` days from today.
* ``days_to_next`` is how many days after ``today`` the next milestone is reached if
  no lapse comes first (always at least 1).

Invariants (each is a property test):

* ``total_sober_days + lapses == days in start..today`` (0 before the start);
* ``current_streak <= longest_streak <= total_sober_days``;
* as ``today`` advances with the same lapse days, ``total_sober_days``,
  ``longest_streak`` and ``lapses`` never decrease;
* walking day by day, :func:`milestones_crossed` yields each milestone of each streak
  exactly once, on the day the streak reaches it.

``today`` counts as a sober day until a lapse is recorded for it. So recording a lapse
*for today* (or, while check-ins are still editable, for an earlier day) turns a day
that was counted into a lapse day: the total is one lower than it was a moment before,
though never lower than it was at the end of yesterday. Day after day, it never goes
down.

Milestones
----------
``MILESTONES`` = 1, 7, 14, 30, 40, 60, 90 days — the SPEC's list; 40 and 90 are the
common abstinence periods (90 the default plan). After 90 they are *monthly*, taken as
every 30 days: 120, 150, 180, … A streak is a count of days, not a span of calendar
dates, so "a month" is 30 days: the same milestone falls on the same streak length
whatever the start date, and checking one is arithmetic, not calendar work. Milestones
belong to a streak: a new streak reaches 1, 7, 14, … again, and each is celebrated once
per streak (:func:`milestones_crossed`).

Time zones
----------
A client's day is the date where they are: :func:`local_date` turns an aware moment
into the date in their IANA zone (``ValueError`` for an unknown zone name). Each
check-in, urge and lapse is stored with that local date when it happens, and the
counter works only on stored dates. Changing zone or crossing the date line therefore
changes which date a *new* event is stamped with, never the dates already stored: no day
is created or lost. Flying west over the date line (Kiritimati, UTC+14, to Pago Pago,
UTC−11) makes the calendar step back a day or two — those dates are already counted
(a second check-in on one of them updates it, one per local day); :func:`today_for`
keeps the counter's ``today`` from stepping back with it. Flying east skips a date or
two on the calendar; the skipped dates are days of the plan like any other.

Cost
----
:func:`counter` keeps the distinct lapse days inside ``start..today``, sorts them and
walks them once: O(k log k) for k lapse days (O(k) if given sorted), whatever the number
of days — years of recovery cost what a week does. Only ``milestones_reached`` grows
with the streak, by one entry per 30 days after day 90.
"""

from __future__ import annotations

from collections.abc import Iterable
from dataclasses import dataclass
from datetime import date, datetime, timedelta
from zoneinfo import ZoneInfo, ZoneInfoNotFoundError

__all__ = [
    "MILESTONES",
    "MONTHLY_EVERY",
    "Counter",
    "counter",
    "is_milestone",
    "local_date",
    "milestones_crossed",
    "milestones_up_to",
    "next_milestone_after",
    "not_before",
    "today_for",
    "zone_named",
]

#: The fixed milestones, in days of a streak. After the last, one every MONTHLY_EVERY days.
MILESTONES: tuple[int, ...] = (1, 7, 14, 30, 40, 60, 90)
#: "Monthly" after 90: every 30 days (120, 150, …), a count of days, not calendar months.
MONTHLY_EVERY = 30

_LAST_FIXED = MILESTONES[-1]


def is_milestone(days: int) -> bool:
    """Whether a streak of ``days`` days is a milestone."""
    if days in MILESTONES:
        return True
    return days > _LAST_FIXED and (days - _LAST_FIXED) % MONTHLY_EVERY == 0


def milestones_up_to(days: int) -> tuple[int, ...]:
    """Every milestone a streak of ``days`` days has reached, smallest first."""
    fixed = tuple(m for m in MILESTONES if m <= days)
    monthly = tuple(range(_LAST_FIXED + MONTHLY_EVERY, days + 1, MONTHLY_EVERY))
    return fixed + monthly


def next_milestone_after(days: int) -> int:
    """The smallest milestone greater than ``days``."""
    for milestone in MILESTONES:
        if milestone > days:
            return milestone
    return _LAST_FIXED + ((days - _LAST_FIXED) // MONTHLY_EVERY + 1) * MONTHLY_EVERY


@dataclass(frozen=True)
class Counter:
    """A client's days on ``today``; see the module docstring for the rules."""

    start: date  # the plan's first day
    today: date  # the client's local date
    current_streak: int  # days since the last lapse day (or since start), today included
    total_sober_days: int  # days in start..today that are not lapse days
    longest_streak: int
    lapses: int  # distinct lapse days in start..today
    milestones_reached: tuple[int, ...]  # milestones the current streak has reached
    next_milestone: int | None  # never None with today's schedule (milestones go on monthly)
    days_to_next: int | None  # days after today on which next_milestone is reached

    @property
    def streak_began(self) -> date | None:
        """The first day of the current streak; None on a lapse day or before the start."""
        if self.current_streak == 0:
            return None
        return self.today - timedelta(days=self.current_streak - 1)

    @property
    def days(self) -> int:
        """Days of the plan so far (start..today); 0 before the start."""
        return self.total_sober_days + self.lapses


def _only_date(value: date, name: str) -> date:
    # datetime is a subclass of date; mixing the two fails later with an obscure TypeError.
    if isinstance(value, datetime):
        raise TypeError(
            f"{name} must be a date, not a datetime: "
            "turn a moment into the client's date with local_date()"
        )
    return value


def counter(*, start: date, today: date, lapse_days: Iterable[date]) -> Counter:
    """The counter on ``today`` for a plan begun on ``start`` with these lapse days."""
    _only_date(start, "start")
    _only_date(today, "today")
    if today < start:
        return Counter(
            start=start,
            today=today,
            current_streak=0,
            total_sober_days=0,
            longest_streak=0,
            lapses=0,
            milestones_reached=(),
            next_milestone=MILESTONES[0],
            days_to_next=(start - today).days + MILESTONES[0] - 1,
        )
    first, last = start.toordinal(), today.toordinal()
    lapses = sorted(
        {
            ordinal
            for day in lapse_days
            if first <= (ordinal := _only_date(day, "a lapse day").toordinal()) <= last
        }
    )
    days = last - first + 1
    current = last - lapses[-1] if lapses else days
    longest = current
    previous = first - 1  # as if the day before the start had been a lapse day
    for lapse in lapses:
        longest = max(longest, lapse - previous - 1)
        previous = lapse
    upcoming = next_milestone_after(current)
    return Counter(
        start=start,
        today=today,
        current_streak=current,
        total_sober_days=days - len(lapses),
        longest_streak=longest,
        lapses=len(lapses),
        milestones_reached=milestones_up_to(current),
        next_milestone=upcoming,
        days_to_next=upcoming - current,
    )


def milestones_crossed(before: Counter | None, after: Counter) -> tuple[int, ...]:
    """The milestones reached since ``before`` was shown: each celebrated exactly once.

    Within one streak (the same first day) these are the milestones above the streak
    ``before`` had. Anything else — no earlier counter, a lapse in between, a lapse
    recorded or removed so that the streak now begins on another day — is a different
    streak, whose milestones count from 1 again: all it has reached are new. A counter
    on a lapse day, or before the start, has crossed nothing.
    """
    if before is None or before.streak_began != after.streak_began:
        return after.milestones_reached
    return tuple(m for m in after.milestones_reached if m > before.current_streak)


def zone_named(time_zone: str) -> ZoneInfo:
    """The IANA zone named ``time_zone``; ValueError if there is none by that name."""
    try:
        return ZoneInfo(time_zone)
    except (ZoneInfoNotFoundError, ValueError, OSError):
        raise ValueError(
            f"Unknown time zone {time_zone!r}: expected an IANA name such as "
            "'Europe/London' or 'Asia/Singapore'"
        ) from None


def local_date(moment: datetime, time_zone: str) -> date:
    """The date where the person is at ``moment`` (an aware datetime), in ``time_zone``."""
    if moment.tzinfo is None or moment.utcoffset() is None:
        raise ValueError("local_date needs an aware datetime (with a time zone), not a naive one")
    return moment.astimezone(zone_named(time_zone)).date()


def today_for(moment: datetime, time_zone: str, *, latest_recorded: date | None = None) -> date:
    """The ``today`` to count to: the local date, never before a date already recorded.

    After flying west over the date line the local calendar steps back a day or two,
    onto dates the client has already lived and recorded; the counter stays on the
    latest recorded date until the calendar catches up, so no total goes down.
    """
    return not_before(local_date(moment, time_zone), latest_recorded)


def not_before(local: date, latest_recorded: date | None) -> date:
    """``local``, or the latest date already recorded if that is later (see :func:`today_for`)."""
    if latest_recorded is not None and latest_recorded > local:
        return _only_date(latest_recorded, "latest_recorded")
    return local
