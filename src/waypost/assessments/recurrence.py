"""When a questionnaire due "every N weeks" opens and closes, on the clinic's wall clock.

A form due every 2 weeks at 09:00 should open at 09:00 where the clinic is, before
and after the clocks change. Adding ``timedelta(weeks=...)`` to UTC instants drifts
by the change (an hour, usually), so the weeks are added to the local, naive
wall-clock time and only the result is turned back into UTC.

Pure: no Django import, so the invariants are tested with hypothesis directly.
"""

from __future__ import annotations

from datetime import UTC, datetime, timedelta, tzinfo
from zoneinfo import ZoneInfo

DAYS_PER_WEEK = 7


def _zone(zone: str | tzinfo) -> tzinfo:
    return ZoneInfo(zone) if isinstance(zone, str) else zone


def shift_local(moment: datetime, *, days: int, zone: str | tzinfo) -> datetime:
    """``moment`` (aware) moved by whole days on the local wall clock, returned in UTC.

    The wall-clock time is kept. Where it does not exist on the new day (the hour
    skipped when clocks go forward) it lands as far after the change as it was meant
    to be after the hour before it; where it exists twice (the hour repeated when
    clocks go back) the first of the two is taken.
    """
    if moment.tzinfo is None:
        raise ValueError("shift_local needs an aware datetime")
    if days == 0:
        return moment.astimezone(UTC)  # the instant itself, even inside a repeated hour
    local_zone = _zone(zone)
    wall = moment.astimezone(local_zone).replace(tzinfo=None) + timedelta(days=days)
    return wall.replace(tzinfo=local_zone, fold=0).astimezone(UTC)


def opening(*, first: datetime, every_weeks: int, index: int, zone: str | tzinfo) -> datetime:
    """The ``index``-th opening (0 is ``first``) of a form due every ``every_weeks`` weeks."""
    if every_weeks < 1:
        raise ValueError("every_weeks must be at least 1")
    return shift_local(first, days=index * every_weeks * DAYS_PER_WEEK, zone=zone)


def latest_index(*, first: datetime, every_weeks: int, now: datetime, zone: str | tzinfo) -> int:
    """Which opening is the latest one not after ``now`` (0 when ``now`` is before ``first``)."""
    local_zone = _zone(zone)
    period = timedelta(days=every_weeks * DAYS_PER_WEEK)
    first_wall = first.astimezone(local_zone).replace(tzinfo=None)
    now_wall = now.astimezone(local_zone).replace(tzinfo=None)
    index = max(0, (now_wall - first_wall) // period)
    # The wall-clock estimate can be one off within hours of a change of offset;
    # the real instants settle it.
    while index > 0 and opening(first=first, every_weeks=every_weeks, index=index, zone=zone) > now:
        index -= 1
    while opening(first=first, every_weeks=every_weeks, index=index + 1, zone=zone) <= now:
        index += 1
    return index


def current_window(
    *, first: datetime, every_weeks: int, window_days: int, now: datetime, zone: str | tzinfo
) -> tuple[datetime, datetime]:
    """(opens, closes) in UTC of the latest form due by ``now``; missed ones are not made up.

    A form stays open ``window_days`` local days, and never past the next opening:
    with a window as long as the period, one form closes as the next one opens.
    """
    index = latest_index(first=first, every_weeks=every_weeks, now=now, zone=zone)
    period_days = every_weeks * DAYS_PER_WEEK
    opens = opening(first=first, every_weeks=every_weeks, index=index, zone=zone)
    closes = shift_local(first, days=index * period_days + min(window_days, period_days), zone=zone)
    return opens, closes
