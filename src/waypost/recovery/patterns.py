"""Patterns in the urge log: by hour of day, weekday, trigger, feeling, HALT and what worked.

Pure arithmetic on plain values (no Django import), property tested with hypothesis
(``tests/recovery/test_patterns.py``). Callers read the urges once and pass them in
as :class:`UrgePoint` rows, newest first; nothing here reads a clock or a database.

Whose hour and whose weekday? The client's, as stored with each urge when it happened
(``local_hour``, ``local_date``): a pattern does not move when the client travels.

Rules
-----
* Every urge counts once by hour and once by weekday: the counts sum to the number of
  urges.
* Free words (a trigger, a coping step) are grouped without regard to case or
  surrounding spaces; a group is named as its most recent urge spelled it. Groups
  are listed most frequent first; a tie goes to the group seen most recently.
* "What worked" counts, for each coping step named in ``instead``, the urges that
  named it (``used``) and those of them that were ridden out (``worked``); a step
  named twice on one urge counts once for it.
* Bars are scaled to the largest count (that one is 100); a count above zero is
  never drawn as nothing (at least 2).
"""

from __future__ import annotations

from collections.abc import Iterable, Sequence
from dataclasses import dataclass
from datetime import date, timedelta

__all__ = [
    "HALT",
    "HOURS",
    "LAPSED",
    "RESISTED",
    "UNSURE",
    "WEEKDAYS",
    "Bar",
    "Count",
    "Summary",
    "UrgePoint",
    "Worked",
    "bars",
    "busiest_hours",
    "by_hour",
    "by_weekday",
    "feelings",
    "halt",
    "join_items",
    "period_start",
    "split_items",
    "summary",
    "tally",
    "top_triggers",
    "what_worked",
]

RESISTED, LAPSED, UNSURE = "resisted", "lapsed", "unsure"
HALT = ("hungry", "angry", "lonely", "tired")
HOURS = 24
WEEKDAYS = 7  # Monday first, as date.weekday() counts them
# The smallest bar drawn for a count above zero, in percent of the largest.
MIN_BAR = 2


@dataclass(frozen=True)
class UrgePoint:
    """What the patterns need of one urge."""

    local_date: date
    local_hour: int
    intensity: int
    outcome: str = RESISTED
    trigger: str = ""
    emotion: str = ""
    hungry: bool = False
    angry: bool = False
    lonely: bool = False
    tired: bool = False
    instead: tuple[str, ...] = ()


@dataclass(frozen=True)
class Count:
    """One group and how many urges are in it."""

    key: str  # the grouping key (casefolded words, or a stored value)
    label: str  # as the client wrote it most recently (or the key)
    count: int


@dataclass(frozen=True)
class Worked:
    """One coping step: how many urges named it and how many of those were ridden out."""

    key: str
    label: str
    used: int
    worked: int

    @property
    def percent(self) -> int:
        return round(100 * self.worked / self.used) if self.used else 0


@dataclass(frozen=True)
class Summary:
    total: int
    resisted: int
    lapsed: int
    unsure: int
    average_intensity: float | None  # one decimal; None without urges

    @property
    def resisted_percent(self) -> int:
        return round(100 * self.resisted / self.total) if self.total else 0


@dataclass(frozen=True)
class Bar:
    """A count ready to draw: its label, the count and its height in percent of the largest."""

    label: str
    count: int
    percent: int  # 0..100 of the largest count
    key: str = ""


def _key(words: str) -> str:
    return " ".join(words.split()).casefold()


def split_items(text: str) -> tuple[str, ...]:
    """The coping steps in a stored ``instead``: one per line, blanks dropped."""
    return tuple(line.strip() for line in (text or "").splitlines() if line.strip())


def join_items(items: Iterable[str]) -> str:
    """Store coping steps one per line; the same step (ignoring case) once, first spelling kept."""
    seen: dict[str, str] = {}
    for item in items:
        clean = " ".join(str(item).split())
        if clean and _key(clean) not in seen:
            seen[_key(clean)] = clean
    return "\n".join(seen.values())


def period_start(today: date, days: int | None) -> date | None:
    """The first local date of "the last ``days`` days", today included; None for all time."""
    if days is None:
        return None
    if days < 1:
        raise ValueError("a period is at least one day")
    return today - timedelta(days=days - 1)


def summary(points: Sequence[UrgePoint]) -> Summary:
    """How many urges, how they ended and how strong they were on average."""
    outcomes = [p.outcome for p in points]
    total = len(points)
    average = round(sum(p.intensity for p in points) / total, 1) if total else None
    return Summary(
        total=total,
        resisted=outcomes.count(RESISTED),
        lapsed=outcomes.count(LAPSED),
        unsure=total - outcomes.count(RESISTED) - outcomes.count(LAPSED),
        average_intensity=average,
    )


def by_hour(points: Iterable[UrgePoint]) -> list[int]:
    """Urges by the client's local hour, 0 to 23."""
    counts = [0] * HOURS
    for point in points:
        if not 0 <= point.local_hour < HOURS:
            raise ValueError(f"an hour is 0 to 23, not {point.local_hour}")
        counts[point.local_hour] += 1
    return counts


def by_weekday(points: Iterable[UrgePoint]) -> list[int]:
    """Urges by the weekday of the client's local date, Monday first."""
    counts = [0] * WEEKDAYS
    for point in points:
        counts[point.local_date.weekday()] += 1
    return counts


def busiest_hours(hours: Sequence[int], limit: int = 3) -> list[int]:
    """The hours with the most urges (none without any), most first; a tie goes to the earlier."""
    ranked = sorted((h for h in range(len(hours)) if hours[h] > 0), key=lambda h: (-hours[h], h))
    return ranked[:limit]


def tally(values: Iterable[str], limit: int | None = None) -> list[Count]:
    """Group free words (given newest first) ignoring case: most frequent, then most recent."""
    counts: dict[str, int] = {}
    labels: dict[str, str] = {}
    for value in values:
        key = _key(value or "")
        if not key:
            continue
        labels.setdefault(key, " ".join(value.split()))
        counts[key] = counts.get(key, 0) + 1
    order = {key: n for n, key in enumerate(labels)}
    ranked = sorted(counts, key=lambda k: (-counts[k], order[k]))
    return [Count(k, labels[k], counts[k]) for k in ranked[:limit]]


def top_triggers(points: Iterable[UrgePoint], limit: int | None = None) -> list[Count]:
    """What set the urges off, most frequent first (urges without a trigger left out)."""
    return tally((p.trigger for p in points), limit)


def feelings(points: Iterable[UrgePoint]) -> list[Count]:
    """The feelings named (stored values), most frequent first."""
    return tally(p.emotion for p in points)


def halt(points: Iterable[UrgePoint]) -> list[Count]:
    """How many urges came when hungry, angry, lonely or tired, in that order (HALT)."""
    counts = dict.fromkeys(HALT, 0)
    for point in points:
        for state in HALT:
            if getattr(point, state):
                counts[state] += 1
    return [Count(state, state, counts[state]) for state in HALT]


def what_worked(points: Iterable[UrgePoint]) -> list[Worked]:
    """Each coping step named in ``instead``: urges that named it, and how many were ridden out.

    Listed by how often it worked, then how often it was tried, then most recent.
    """
    used: dict[str, int] = {}
    worked: dict[str, int] = {}
    labels: dict[str, str] = {}
    for point in points:
        named: dict[str, str] = {}
        for item in point.instead:
            if _key(item):
                named.setdefault(_key(item), " ".join(item.split()))
        for key, label in named.items():
            labels.setdefault(key, label)
            used[key] = used.get(key, 0) + 1
            if point.outcome == RESISTED:
                worked[key] = worked.get(key, 0) + 1
    order = {key: n for n, key in enumerate(labels)}
    ranked = sorted(used, key=lambda k: (-worked.get(k, 0), -used[k], order[k]))
    return [Worked(k, labels[k], used[k], worked.get(k, 0)) for k in ranked]


def bars(counts: Sequence[int], labels: Sequence[str] | None = None) -> list[Bar]:
    """Counts as bars scaled to the largest (100); a count above zero is at least ``MIN_BAR``."""
    if labels is not None and len(labels) != len(counts):
        raise ValueError("one label per count")
    if any(c < 0 for c in counts):
        raise ValueError("counts are never negative")
    top = max(counts, default=0)
    out = []
    for n, count in enumerate(counts):
        percent = 0 if top == 0 else round(100 * count / top)
        if count > 0:
            percent = max(percent, MIN_BAR)
        out.append(Bar(labels[n] if labels is not None else str(n), count, percent))
    return out
