"""A group programme's recurring schedule: when its sessions fall. Pure, no Django.

A series is "every ``interval_weeks`` weeks on ``weekday``, from ``start`` to ``end``
local time in ``zone``", beginning with the first such weekday on or after
``starts_on``, and ending on ``ends_on`` (inclusive) or after ``count`` sessions, if
either is given. Times are wall-clock times in the clinic's zone: 13:00 stays 13:00
local across a daylight-saving change, so the instant moves by the zone's offset.

A local time that does not exist on a day (inside a spring-forward gap) is read with
the offset before the gap, and an ambiguous one (repeated when clocks go back) as its
first occurrence: what Python's ``zoneinfo`` does with ``fold=0`` and what RFC 5545
prescribes for calendar apps, so a feed and this module agree.

Exceptions change single occurrences without touching the series: a
:class:`Change` cancels one or moves it to another date, time or room. Each is keyed
by the occurrence's *original* start, the instant the series gives it. ``count``
counts the series' occurrences, cancelled ones included, as RRULE's COUNT does.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from datetime import UTC, date, datetime, time, timedelta
from zoneinfo import ZoneInfo

#: How an occurrence is named in URLs and stored keys: its original start in UTC.
KEY_FORMAT = "%Y%m%dT%H%M%SZ"
#: How far ahead :func:`next_occurrence` looks before it says there is none.
HORIZON = timedelta(days=800)
#: The years a schedule, a move or an occurrence key may name: far wider than any
#: group's life, yet far enough from the ends of the calendar (years 1 and 9999) that
#: every instant in them has a local time in every zone (no ``OverflowError``).
FIRST_YEAR, LAST_YEAR = 1970, 2200


class ScheduleError(ValueError):
    """A series that cannot exist (an end before its start, no interval …)."""


@dataclass(frozen=True)
class Series:
    """Every ``interval_weeks`` weeks on ``weekday`` (0 is Monday), ``start``–``end`` local."""

    zone: ZoneInfo
    starts_on: date
    weekday: int
    start: time
    end: time
    interval_weeks: int = 1
    ends_on: date | None = None
    count: int | None = None

    def __post_init__(self) -> None:
        if not 0 <= self.weekday <= 6:
            raise ScheduleError("weekday must be 0 (Monday) to 6 (Sunday)")
        if self.interval_weeks < 1:
            raise ScheduleError("the interval is at least one week")
        if self.end <= self.start:
            raise ScheduleError("a session ends after it starts, on the same day")
        if self.count is not None and self.count < 1:
            raise ScheduleError("a series with a count has at least one session")
        if self.ends_on is not None and self.ends_on < self.first_day:
            raise ScheduleError("the series ends before its first session")

    @property
    def first_day(self) -> date:
        """The local date of the first session: the first ``weekday`` on or after ``starts_on``."""
        return self.starts_on + timedelta(days=(self.weekday - self.starts_on.weekday()) % 7)

    @property
    def step(self) -> timedelta:
        return timedelta(weeks=self.interval_weeks)

    def day(self, n: int) -> date:
        """The local date of session number ``n`` (0 is the first)."""
        return self.first_day + n * self.step

    @property
    def last_index(self) -> int | None:
        """The number of the last session, or None for a series without an end."""
        last: int | None = None
        if self.count is not None:
            last = self.count - 1
        if self.ends_on is not None:
            by_date = (self.ends_on - self.first_day).days // (7 * self.interval_weeks)
            last = by_date if last is None else min(last, by_date)
        return last

    @property
    def last_day(self) -> date | None:
        last = self.last_index
        return None if last is None else self.day(last)

    def starts_at(self, day: date) -> datetime:
        """The session's start on ``day``, aware in the series' zone (wall clock)."""
        return datetime.combine(day, self.start, tzinfo=self.zone)

    def ends_at(self, day: date) -> datetime:
        return datetime.combine(day, self.end, tzinfo=self.zone)

    def index_of(self, day: date) -> int | None:
        """Which session falls on the local date ``day``, or None if none does."""
        offset = (day - self.first_day).days
        if offset < 0 or offset % (7 * self.interval_weeks):
            return None
        n = offset // (7 * self.interval_weeks)
        last = self.last_index
        return None if last is not None and n > last else n

    def occurrence_day(self, original: datetime) -> date | None:
        """The local date of the session that starts at the instant ``original``, if any."""
        local = original.astimezone(self.zone)
        # A start inside a spring-forward gap comes back an hour later: try both readings.
        for day in {local.date(), (local - timedelta(hours=3)).date()}:
            if self.index_of(day) is not None and same_instant(self.starts_at(day), original):
                return day
        return None

    def is_occurrence(self, original: datetime) -> bool:
        return self.occurrence_day(original) is not None

    def days_between(self, since: date, until: date) -> list[date]:
        """The local dates of sessions from ``since`` to ``until``, both included."""
        span = 7 * self.interval_weeks
        first = max(0, -(-(since - self.first_day).days // span))
        last = (until - self.first_day).days // span
        if self.last_index is not None:
            last = min(last, self.last_index)
        return [self.day(n) for n in range(first, last + 1)]


@dataclass(frozen=True)
class Change:
    """An exception to the series for the occurrence that starts at ``original``.

    Cancelled, or moved to ``start``–``end`` (aware) and, if given, another ``room``.
    """

    original: datetime
    cancelled: bool = False
    start: datetime | None = None
    end: datetime | None = None
    room: str = ""
    reason: str = ""

    @property
    def moved(self) -> bool:
        return not self.cancelled and self.start is not None and self.end is not None


@dataclass(frozen=True)
class Occurrence:
    """One session of a series: where it falls now, and where the series put it."""

    original: datetime  # the series' start for it: the key of its exceptions and records
    start: datetime  # aware, in the series' zone
    end: datetime
    cancelled: bool = False
    moved: bool = False
    room: str = ""  # the room it was moved to, when it was ("": the programme's own)
    reason: str = field(default="", compare=False)

    @property
    def key(self) -> str:
        return occurrence_key(self.original)


def same_instant(a: datetime, b: datetime) -> bool:
    """Equal as instants. (Two datetimes of one zone compare by wall clock, ignoring fold.)"""
    return a.astimezone(UTC) == b.astimezone(UTC)


def occurrence_key(original: datetime) -> str:
    """The stable name of an occurrence: its original start in UTC (``20300302T050000Z``)."""
    return original.astimezone(UTC).strftime(KEY_FORMAT)


def parse_key(key: str) -> datetime | None:
    """The instant an occurrence key names, or None for anything else.

    A key outside ``FIRST_YEAR``–``LAST_YEAR`` names nothing: no group meets then, and
    an instant at the ends of the calendar has no local time east or west of UTC.
    """
    try:
        parsed = datetime.strptime(key, KEY_FORMAT)  # noqa: DTZ007 - UTC by the format's Z
    except (ValueError, TypeError):
        return None
    if not in_range(parsed.date()):
        return None
    return parsed.replace(tzinfo=UTC)


def in_range(day: date) -> bool:
    """Whether ``day`` is in the years schedules may use (``FIRST_YEAR``–``LAST_YEAR``)."""
    return FIRST_YEAR <= day.year <= LAST_YEAR


def years_from(day: date, years: int) -> date:
    """The same date ``years`` later (earlier when negative); 29 February becomes the 28th."""
    try:
        return day.replace(year=day.year + years)
    except ValueError:
        return day.replace(year=day.year + years, day=28)


def within_years(day: date, today: date, years: int) -> bool:
    """Whether ``day`` is at most ``years`` years before or after ``today``."""
    return years_from(today, -years) <= day <= years_from(today, years)


def _by_original(changes: tuple[Change, ...] | list[Change]) -> dict[datetime, Change]:
    return {change.original.astimezone(UTC): change for change in changes}


def occurrences(
    series: Series,
    since: datetime,
    until: datetime,
    changes: tuple[Change, ...] | list[Change] = (),
    *,
    include_cancelled: bool = False,
) -> list[Occurrence]:
    """The sessions that start in ``[since, until)``, soonest first, exceptions applied.

    A cancelled session is left out (or, with ``include_cancelled``, kept at its
    original time and marked). A moved one is where it was moved to, once, whatever
    the window its original time was in. A change for a time the series does not
    have is ignored.
    """
    zone = series.zone
    known = _by_original(changes)
    # Compared as UTC instants: two datetimes of one zone would compare by wall clock.
    since, until = since.astimezone(UTC), until.astimezone(UTC)
    # A day either side: the window's ends are instants, the series' days are local.
    days = series.days_between(
        since.astimezone(zone).date() - timedelta(days=1),
        until.astimezone(zone).date() + timedelta(days=1),
    )
    found: list[Occurrence] = []
    for day in days:
        original = series.starts_at(day)
        change = known.get(original.astimezone(UTC))
        if change is not None and change.moved:
            continue  # placed below, where it was moved to
        if not since <= original.astimezone(UTC) < until:
            continue
        if change is not None and change.cancelled:
            if include_cancelled:
                found.append(
                    Occurrence(
                        original,
                        original,
                        series.ends_at(day),
                        cancelled=True,
                        reason=change.reason,
                    )
                )
            continue
        found.append(Occurrence(original, original, series.ends_at(day)))
    for change in known.values():
        if not change.moved or change.start is None or change.end is None:
            continue
        moved_from = series.occurrence_day(change.original)
        if moved_from is None or not since <= change.start.astimezone(UTC) < until:
            continue
        found.append(
            Occurrence(
                series.starts_at(moved_from),
                change.start.astimezone(zone),
                change.end.astimezone(zone),
                moved=True,
                room=change.room,
                reason=change.reason,
            )
        )
    return sorted(found, key=lambda o: (o.start.astimezone(UTC), o.original.astimezone(UTC)))


def occurrence(
    series: Series, original: datetime, changes: tuple[Change, ...] | list[Change] = ()
) -> Occurrence | None:
    """The occurrence whose original start is ``original`` (cancelled or moved), if any."""
    day = series.occurrence_day(original)
    if day is None:
        return None
    start = series.starts_at(day)
    change = _by_original(changes).get(start.astimezone(UTC))
    if change is not None and change.cancelled:
        return Occurrence(start, start, series.ends_at(day), cancelled=True, reason=change.reason)
    if change is not None and change.moved and change.start and change.end:
        return Occurrence(
            start,
            change.start.astimezone(series.zone),
            change.end.astimezone(series.zone),
            moved=True,
            room=change.room,
            reason=change.reason,
        )
    return Occurrence(start, start, series.ends_at(day))


def next_occurrence(
    series: Series, after: datetime, changes: tuple[Change, ...] | list[Change] = ()
) -> Occurrence | None:
    """The first session that starts at or after ``after``, cancelled ones left out."""
    window = max(4 * series.step, timedelta(days=60))
    last_day = series.last_day
    latest_move = max(
        (c.start.astimezone(UTC) for c in changes if c.moved and c.start is not None),
        default=None,
    )
    since = after.astimezone(UTC)
    while since - after < HORIZON:
        found = occurrences(series, since, since + window, changes)
        if found:
            return found[0]
        since += window
        ended = last_day is not None and series.starts_at(last_day) < since
        if ended and (latest_move is None or latest_move < since):
            return None
    return None
