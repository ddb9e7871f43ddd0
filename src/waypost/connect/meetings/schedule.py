"""When a weekly meeting starts: pure time arithmetic, no Django.

A meeting is held on some days of the week (Meeting Guide numbers them 0 = Sunday to
6 = Saturday) at a wall-clock time in its own time zone. Every function here works in
aware instants and returns them in UTC; the viewer's zone is applied only when showing.

Daylight saving time, by the rules of :mod:`zoneinfo` (PEP 495), with ``fold=0``:

- **A gap** (the clocks jump forward, e.g. 02:00 → 03:00): a meeting at 02:30 on that day
  is read with the offset in force *before* the jump, so it starts at the instant the
  clocks would have shown 02:30 had they not jumped: 03:30 by the new clocks. Shifting
  forward by the length of the gap keeps the meeting on its day and never earlier than
  planned, which is what a group meeting in a room would do.
- **A fold** (the clocks go back, e.g. 02:00 → 01:00): a meeting at 01:30 happens once,
  at the *first* 01:30 (the one still in summer time).

So a meeting is on its own weekday at its own wall time every week, except on the one
day a year its time does not exist, when it starts as much later as the clocks jumped.
"""

from __future__ import annotations

from collections.abc import Iterable, Iterator
from datetime import UTC, date, datetime, time, timedelta, tzinfo

DAYS_IN_WEEK = 7
# Days before the instant's local date to start looking from: a start read with the
# offset before a jump can land on the next local day (a zone that skipped a whole day).
_LOOK_BEHIND = 2


def day_number(day: date) -> int:
    """Meeting Guide's number of ``day``'s weekday: 0 = Sunday … 6 = Saturday."""
    return (day.weekday() + 1) % DAYS_IN_WEEK


def start_on(day: date, at: time, zone: tzinfo) -> datetime:
    """The instant (UTC) the meeting at wall time ``at`` on the local date ``day`` starts.

    ``fold=0``: in a gap the time is read with the offset before the jump (so it is as
    much later as the clocks jumped); in a fold it is the first of the two.
    """
    local = datetime.combine(day, at.replace(tzinfo=None, fold=0), tzinfo=zone)
    return local.astimezone(UTC)


def wall_time_exists(day: date, at: time, zone: tzinfo) -> bool:
    """Whether the clocks in ``zone`` show ``at`` on ``day`` (False in a spring-forward gap)."""
    local = datetime.combine(day, at.replace(tzinfo=None, fold=0), tzinfo=zone)
    back = local.astimezone(UTC).astimezone(zone)
    return (back.date(), back.time().replace(tzinfo=None)) == (day, local.time())


def clean_days(days: Iterable[int]) -> list[int]:
    """The distinct days 0–6 in ``days``, in order; anything else is dropped."""
    return sorted({d for d in days if isinstance(d, int) and 0 <= d < DAYS_IN_WEEK})


def occurrences(days: Iterable[int], at: time, zone: tzinfo, after: datetime) -> Iterator[datetime]:
    """Every start at or after the instant ``after``, soonest first, strictly increasing.

    Endless for a meeting with days; nothing for a meeting with none (by appointment).
    """
    if after.tzinfo is None:
        raise ValueError("'after' must be an aware datetime")
    wanted = set(clean_days(days))
    if not wanted:
        return
    day = after.astimezone(zone).date() - timedelta(days=_LOOK_BEHIND)
    last: datetime | None = None
    while True:
        if day_number(day) in wanted:
            start = start_on(day, at, zone)
            if start >= after and (last is None or start > last):
                last = start
                yield start
        day += timedelta(days=1)


def next_start(days: Iterable[int], at: time, zone: tzinfo, after: datetime) -> datetime | None:
    """The first start at or after ``after``; None for a meeting without days."""
    return next(occurrences(days, at, zone, after), None)


def starts_between(
    days: Iterable[int], at: time, zone: tzinfo, start: datetime, end: datetime
) -> list[datetime]:
    """Every start from ``start`` to ``end``, both included, soonest first."""
    found = []
    for moment in occurrences(days, at, zone, start):
        if moment > end:
            break
        found.append(moment)
    return found


def starts_within(
    days: Iterable[int], at: time, zone: tzinfo, instant: datetime, hours: float
) -> datetime | None:
    """The first start from ``instant`` to ``hours`` later (both included), or None."""
    first = next_start(days, at, zone, instant)
    if first is not None and first <= instant + timedelta(hours=hours):
        return first
    return None


def ends_at(start: datetime, at: time, end_time: time | None, zone: tzinfo) -> datetime:
    """When the meeting that began at ``start`` ends: its end time, or an hour later.

    An end time earlier than the start time means the meeting runs past midnight.
    """
    if end_time is None:
        return start + timedelta(hours=1)
    local = start.astimezone(zone)
    length = datetime.combine(local.date(), end_time) - datetime.combine(local.date(), at)
    if length <= timedelta(0):
        length += timedelta(days=1)
    return start + length


def weekly_slots(
    days: Iterable[int], at: time, zone: tzinfo, viewer: tzinfo, now: datetime
) -> list[datetime]:
    """Each day's next start after ``now``, in the viewer's zone, soonest first.

    What "Tuesdays at 9:00 your time" means for a meeting held elsewhere: the viewer's
    weekday and time of the coming occurrence of each of its days.
    """
    starts = []
    for moment in occurrences(days, at, zone, now):
        starts.append(moment.astimezone(viewer))
        if len(starts) >= len(clean_days(days)):
            break
    return starts


def in_window(moment: time, start: time | None, end: time | None) -> bool:
    """Whether the wall time ``moment`` is from ``start`` to ``end`` (both included).

    A window whose end is before its start runs past midnight (22:00 to 02:00); either
    bound left out leaves that side open.
    """
    if start is not None and end is not None and end < start:
        return moment >= start or moment <= end
    return (start is None or moment >= start) and (end is None or moment <= end)
