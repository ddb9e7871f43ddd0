"""Reads of the urge log: the chips the form offers, the pattern view and the clinician's numbers.

The chips put the client's own words first (their recent triggers, what they did
instead, where they were), then common ones in plain words. The patterns are
arithmetic in ``patterns.py``; here the urges are read (one query) and labelled.
"""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass
from datetime import date
from typing import TYPE_CHECKING, Any

from django.utils.translation import gettext_lazy as _

from waypost.recovery import patterns
from waypost.recovery.models import Urge
from waypost.recovery.services.urges import is_editable

if TYPE_CHECKING:
    from django.contrib.auth.models import _User as User
    from django_stubs_ext import StrOrPromise

    from waypost.program.models import Enrollment

#: Triggers many people name, in plain words; offered after the client's own.
COMMON_TRIGGERS: tuple[StrOrPromise, ...] = (
    _("Boredom"),
    _("Stress"),
    _("Being alone"),
    _("Late at night"),
    _("After an argument"),
    _("Scrolling"),
    _("Tiredness"),
    _("Alcohol"),
    _("Feeling low"),
    _("Something I saw"),
)
#: Things people do instead, offered after the client's own.
COMMON_COPING: tuple[StrOrPromise, ...] = (
    _("Went for a walk"),
    _("Called or texted someone"),
    _("Rode the wave (urge surfing)"),
    _("Slow breathing"),
    _("Left the room"),
    _("Put the device away"),
    _("Exercise"),
    _("Cold water or a shower"),
    _("Went to bed"),
    _("Prayer or meditation"),
)
COMMON_PLACES: tuple[StrOrPromise, ...] = (
    _("At home"),
    _("In bed"),
    _("In the bathroom"),
    _("At work"),
    _("On the move"),
    _("Out"),
)
# How many of the client's own words are offered, and from how many recent urges.
OWN_CHIPS = 6
OWN_FROM_LAST = 60
#: The pattern view's periods: key, days (None: all), label.
PERIODS: tuple[tuple[str, int | None, StrOrPromise], ...] = (
    ("30", 30, _("30 days")),
    ("90", 90, _("90 days")),
    ("all", None, _("All")),
)
DEFAULT_PERIOD = "30"
RECENT_LIMIT = 12
# The clinician's card covers the last 30 days.
RECORD_DAYS = 30


def _merge(own: list[str], common: tuple[StrOrPromise, ...]) -> list[str]:
    """The client's own words first, then the common ones not already there (ignoring case)."""
    out: list[str] = []
    seen: set[str] = set()
    for word in [*own, *(str(c) for c in common)]:
        key = word.casefold()
        if word and key not in seen:
            seen.add(key)
            out.append(word)
    return out


@dataclass(frozen=True)
class Chips:
    """What the urge form offers to tap: triggers, things done instead, places."""

    triggers: list[str]
    coping: list[str]
    places: list[str]


def chips(enrollment: Enrollment) -> Chips:
    """The client's own recent words first, then common ones; one query."""
    rows = Urge.objects.filter(enrollment=enrollment).order_by("-occurred_at")[:OWN_FROM_LAST]
    recent = list(rows.only("trigger", "instead", "place"))
    triggers = [t.label for t in patterns.tally(u.trigger for u in recent)][:OWN_CHIPS]
    coping = [
        c.label
        for c in patterns.tally(item for u in recent for item in patterns.split_items(u.instead))
    ][:OWN_CHIPS]
    places = [p.label for p in patterns.tally(u.place for u in recent)][:OWN_CHIPS]
    return Chips(
        triggers=_merge(triggers, COMMON_TRIGGERS),
        coping=_merge(coping, COMMON_COPING),
        places=_merge(places, COMMON_PLACES),
    )


def _point(urge: Urge) -> patterns.UrgePoint:
    return patterns.UrgePoint(
        local_date=urge.local_date,
        local_hour=urge.local_hour,
        intensity=urge.intensity,
        outcome=urge.outcome,
        trigger=urge.trigger,
        emotion=urge.emotion,
        hungry=urge.hungry,
        angry=urge.angry,
        lonely=urge.lonely,
        tired=urge.tired,
        instead=patterns.split_items(urge.instead),
    )


def urges_since(enrollment: Enrollment, since: date | None) -> list[Urge]:
    """The client's urges on their local dates from ``since`` (all when None), newest first."""
    # The note and the place are not shown here: left undecrypted.
    rows = Urge.objects.filter(enrollment=enrollment).defer("note", "place")
    if since is not None:
        rows = rows.filter(local_date__gte=since)
    return list(rows.order_by("-occurred_at", "-pk"))


def hour_label(hour: int) -> str:
    return f"{hour:02d}:00"


WEEKDAY_LABELS: tuple[StrOrPromise, ...] = (
    _("Monday"),
    _("Tuesday"),
    _("Wednesday"),
    _("Thursday"),
    _("Friday"),
    _("Saturday"),
    _("Sunday"),
)
HALT_LABELS: dict[str, StrOrPromise] = {
    "hungry": _("Hungry"),
    "angry": _("Angry"),
    "lonely": _("Lonely"),
    "tired": _("Tired"),
}


@dataclass(frozen=True)
class RecentUrge:
    urge: Urge
    editable: bool
    instead: tuple[str, ...]


@dataclass(frozen=True)
class PatternView:
    """Everything the pattern page shows for one period."""

    period: str
    since: date | None
    summary: patterns.Summary
    hours: list[patterns.Bar]  # 24, midnight first
    busiest_hours: list[patterns.Bar]
    weekdays: list[patterns.Bar]  # Monday first
    triggers: list[patterns.Bar]
    feelings: list[patterns.Bar]
    halt: list[patterns.Bar]
    halt_any: int  # urges with at least one of hungry, angry, lonely, tired
    worked: list[tuple[patterns.Worked, patterns.Bar]]  # each with its "worked" count as a bar
    recent: list[RecentUrge]

    @property
    def hour_columns(self) -> list[tuple[int, patterns.Bar]]:
        """(x position in the chart, bar), for the 24-column chart."""
        return [(hour * 10, bar) for hour, bar in enumerate(self.hours)]


def _labelled(
    counts: list[patterns.Count], labels: Mapping[str, StrOrPromise] | None = None
) -> list[patterns.Bar]:
    names = [str(labels.get(c.key, c.label)) if labels else c.label for c in counts]
    found = patterns.bars([c.count for c in counts], names)
    return [
        patterns.Bar(b.label, b.count, b.percent, key=c.key)
        for b, c in zip(found, counts, strict=True)
    ]


def pattern_view(enrollment: Enrollment, today: date, period: str) -> PatternView:
    """The patterns of the urges in ``period`` (a key of ``PERIODS``), one query."""
    days = dict((key, n) for key, n, _label in PERIODS)
    if period not in days:
        period = DEFAULT_PERIOD
    since = patterns.period_start(today, days[period])
    urges = urges_since(enrollment, since)
    points = [_point(u) for u in urges]
    hours = patterns.bars(patterns.by_hour(points), [hour_label(h) for h in range(24)])
    emotions = dict(Urge.Emotion.choices)
    halt_counts = patterns.halt(points)
    worked = patterns.what_worked(points)
    return PatternView(
        period=period,
        since=since,
        summary=patterns.summary(points),
        hours=hours,
        busiest_hours=[hours[h] for h in patterns.busiest_hours(patterns.by_hour(points))],
        weekdays=patterns.bars(patterns.by_weekday(points), [str(d) for d in WEEKDAY_LABELS]),
        triggers=_labelled(patterns.top_triggers(points, limit=10)),
        feelings=_labelled(patterns.feelings(points), emotions),
        halt=_labelled(halt_counts, HALT_LABELS),
        halt_any=sum(1 for p in points if p.hungry or p.angry or p.lonely or p.tired),
        worked=list(zip(worked, patterns.bars([w.worked for w in worked]), strict=True))[:10],
        recent=[
            RecentUrge(u, is_editable(u), patterns.split_items(u.instead))
            for u in urges[:RECENT_LIMIT]
        ],
    )


def own_urge(enrollment: Enrollment, pk: int) -> Urge | None:
    """One of the client's urges by id, or None (someone else's is None too)."""
    return Urge.objects.filter(enrollment=enrollment, pk=pk).first()


@dataclass(frozen=True)
class RecordNumbers:
    """The clinician's card: the last ``RECORD_DAYS`` days of the urge log."""

    since: date
    summary: patterns.Summary
    top_triggers: list[patterns.Count]
    busiest_hours: list[tuple[str, int]]  # ("22:00", 4), most first


def record_numbers(enrollment: Enrollment, today: date) -> RecordNumbers:
    """Count, average strength, ridden out, top three triggers and busiest hours; one query.

    Urges ridden out since the start are on the day counter's card (``record_summary``).
    """
    since = patterns.period_start(today, RECORD_DAYS)
    assert since is not None
    points = [_point(u) for u in urges_since(enrollment, since)]
    hours = patterns.by_hour(points)
    return RecordNumbers(
        since=since,
        summary=patterns.summary(points),
        top_triggers=patterns.top_triggers(points, limit=3),
        busiest_hours=[(hour_label(h), hours[h]) for h in patterns.busiest_hours(hours)],
    )


def export_urges(user: User) -> dict[str, Any]:
    """Every urge the client logged, with all they wrote, oldest first."""
    rows = Urge.objects.filter(enrollment__client=user).order_by("occurred_at", "pk")
    return {
        "urges": [
            {
                "occurred_at": u.occurred_at,
                "day": u.local_date,
                "hour": u.local_hour,
                "intensity": u.intensity,
                "trigger": u.trigger,
                "hungry": u.hungry,
                "angry": u.angry,
                "lonely": u.lonely,
                "tired": u.tired,
                "feeling": u.get_emotion_display() if u.emotion else "",
                "place": u.place,
                "instead": list(patterns.split_items(u.instead)),
                "outcome": u.get_outcome_display(),
                "note": u.note,
                "created_at": u.created_at,
                "updated_at": u.updated_at,
            }
            for u in rows
        ]
    }
