"""When the sessions of a booking fall: wall-clock times in the clinic's zone, stored in UTC.

No Django. A weekly booking keeps its local time across daylight-saving changes: the
k-th session is on ``first_day + k × interval`` weeks at the same local time, and only
then converted to UTC, so 10:00 stays 10:00 in the clinic while the UTC hour shifts.
A local time that does not exist on a given day (the hour skipped when clocks go
forward) resolves with the offset in force before the change, i.e. it falls one hour
later by the clock; an ambiguous one (the repeated hour) takes its first occurrence.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import UTC, date, datetime, time, timedelta
from zoneinfo import ZoneInfo

#: The most sessions one booking may hold (a year of weekly sessions).
MAX_OCCURRENCES = 52


@dataclass(frozen=True)
class Rule:
    """A booking's shape: the first local start, and how it repeats (if it does).

    ``every_weeks`` None is a one-off. A repeating booking ends after ``count``
    sessions or on ``until`` (inclusive, a local date), whichever comes first (the first
    session is always kept); with
    neither, or beyond :data:`MAX_OCCURRENCES`, it stops there.
    """

    first_day: date
    start_time: time
    zone: str
    every_weeks: int | None = None
    count: int | None = None
    until: date | None = None

    def local_days(self) -> list[date]:
        if not self.every_weeks:
            return [self.first_day]
        limit = min(self.count or MAX_OCCURRENCES, MAX_OCCURRENCES)
        days = []
        for k in range(limit):
            day = self.first_day + timedelta(weeks=self.every_weeks * k)
            if k and self.until is not None and day > self.until:
                break
            days.append(day)
        return days


def to_utc(day: date, at: time, zone: str) -> datetime:
    """The UTC moment of a local wall-clock time in ``zone`` (see the module's note on gaps)."""
    local = datetime.combine(day, at.replace(tzinfo=None), tzinfo=ZoneInfo(zone))
    return local.astimezone(UTC)


def occurrences(rule: Rule) -> list[datetime]:
    """Every session's start, in UTC, in order."""
    return [to_utc(day, rule.start_time, rule.zone) for day in rule.local_days()]
