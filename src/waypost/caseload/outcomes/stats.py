"""The arithmetic behind the clinic's outcomes, with no Django: medians and percentiles, shares
with the small-number rule, stays in a stage, and the check-in days a stay asks for.

Kept pure so each rule can be tested on its own (tests/outcomes/test_stats.py).
"""

from __future__ import annotations

import math
import statistics
from collections.abc import Callable, Iterable, Iterator, Sequence
from dataclasses import dataclass
from datetime import date, datetime, timedelta

# A share of clients counted from fewer clients than this is not shown ("fewer than 5"):
# with so few, a share would come close to saying how one person is doing.
SMALL_NUMBER = 5

# How many check-in days a day asks for under each maintenance rhythm (flourish.Rhythm):
# every day, three days a week, one day a week. Without a maintenance plan: every day.
RHYTHM_WEIGHT = {"daily": 1.0, "several": 3 / 7, "weekly": 1 / 7}


def median(values: Sequence[float]) -> float | None:
    """The middle value (the mean of the two middle ones for an even count); None for none."""
    return statistics.median(values) if values else None


def percentile(values: Sequence[float], p: float) -> float | None:
    """The ``p``-th percentile (0–100), interpolated between the two nearest ranks.

    The usual "linear" definition (the same as a spreadsheet's PERCENTILE.INC): the
    90th percentile of 1…10 is 9.1. None for no values.
    """
    if not values:
        return None
    if not 0 <= p <= 100:
        raise ValueError("a percentile lies between 0 and 100")
    ordered = sorted(values)
    rank = (len(ordered) - 1) * p / 100
    low, high = math.floor(rank), math.ceil(rank)
    return ordered[low] + (ordered[high] - ordered[low]) * (rank - low)


@dataclass(frozen=True)
class ClientShare:
    """``count`` of ``n`` clients; shown only when ``n`` reaches :data:`SMALL_NUMBER`."""

    count: int
    n: int

    @property
    def shown(self) -> bool:
        return self.n >= SMALL_NUMBER

    @property
    def percent(self) -> float | None:
        """The share in per cent, or None when it is not shown (or there is nobody)."""
        if not self.shown or self.n == 0:
            return None
        return 100 * self.count / self.n


def ratio_percent(part: float, whole: float) -> float | None:
    """``part`` of ``whole`` in per cent; None when the whole is nothing."""
    return 100 * part / whole if whole > 0 else None


# --- stays in a stage ------------------------------------------------------------------


@dataclass(frozen=True)
class Stay:
    """One stretch of an enrollment in one stage: from a stage change to the next one."""

    enrollment_id: int
    stage: int
    start: datetime
    end: datetime | None  # None: the client is in this stage now

    def days(self, now: datetime) -> float:
        """How long the stay lasted (or has lasted so far, at ``now``), in days."""
        return max(0.0, ((self.end or now) - self.start).total_seconds() / 86400)


def stays(changes: Iterable[tuple[int, datetime, int]], *, ongoing: set[int]) -> list[Stay]:
    """The stays made by stage changes ``(enrollment id, when, to stage)``.

    ``changes`` come ordered by enrollment, then time. Each change opens a stay that the
    enrollment's next change closes. The last one is still going on for the enrollments
    in ``ongoing`` (the active ones); for any other its end is not known, so it is left out.
    """
    out: list[Stay] = []
    previous: tuple[int, datetime, int] | None = None
    for change in changes:
        if previous is not None:
            same = previous[0] == change[0]
            if same:
                out.append(Stay(previous[0], previous[2], previous[1], change[1]))
            elif previous[0] in ongoing:
                out.append(Stay(previous[0], previous[2], previous[1], None))
        previous = change
    if previous is not None and previous[0] in ongoing:
        out.append(Stay(previous[0], previous[2], previous[1], None))
    return out


@dataclass(frozen=True)
class DayRange:
    """The days from ``first`` to ``last``, both included (empty when ``last`` < ``first``)."""

    first: date
    last: date

    def clip(self, first: date | None, last: date) -> DayRange:
        return DayRange(max(self.first, first) if first else self.first, min(self.last, last))

    def __iter__(self) -> Iterator[date]:
        day = self.first
        while day <= self.last:
            yield day
            day += timedelta(days=1)

    def __contains__(self, day: object) -> bool:
        return isinstance(day, date) and self.first <= day <= self.last

    def __len__(self) -> int:
        return max(0, (self.last - self.first).days + 1)


def stage_days(
    enrollment_stays: Sequence[Stay], local_date: Callable[[datetime], date], today: date
) -> list[tuple[int, DayRange]]:
    """Each stay of one enrollment as the days it covers, in the clinic's calendar.

    A stay starts on the day of its stage change; that day belongs to the new stage, so
    the stay before ends the day before (a stay begun and left on one day covers none).
    A stay still going on runs to ``today``.
    """
    out = []
    for stay in enrollment_stays:
        first = local_date(stay.start)
        last = local_date(stay.end) - timedelta(days=1) if stay.end else today
        out.append((stay.stage, DayRange(first, last)))
    return out


def expected_check_ins(
    days: DayRange,
    *,
    rhythms: Sequence[tuple[date, str]] = (),
    away: Sequence[DayRange] = (),
) -> float:
    """How many check-in days ``days`` ask for.

    Every day asks for one, except under a maintenance plan, whose ``rhythms``
    ``(from day, rhythm)`` (oldest first) ask for fewer (:data:`RHYTHM_WEIGHT`), and the
    days in ``away`` (an alumnus's, who is no longer asked to check in) ask for none.
    """
    total = 0.0
    for day in days:
        if any(day in stretch for stretch in away):
            continue
        weight = 1.0
        for since, rhythm in rhythms:
            if since > day:
                break
            weight = RHYTHM_WEIGHT.get(rhythm, 1.0)
        total += weight
    return total
