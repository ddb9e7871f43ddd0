"""The early-warning rules over the client's Stage 2 data: check-ins and the urge log.

- **Urges rising** (``recovery.urge_rising``): each day's strongest urge (the check-in's
  "strongest urge" or the strongest urge logged that day, whichever is higher), averaged
  over the last ``window_days`` days and over the same number of days before; fires when
  the recent average is at least ``rise`` points higher, with at least ``min_days`` days
  of data in each.
- **Sleep or mood falling** (``recovery.sleep_mood_falling``): the check-ins' mood (1–5)
  and hours of sleep, averaged the same way; fires when mood fell by at least
  ``mood_drop`` or sleep by at least ``sleep_drop`` hours.
- **Check-ins missed** (``recovery.check_ins_missed``): of the last ``window_days`` days
  before today (today is not over yet) since counting began, fires when at least
  ``missed_days`` have no check-in.
- **Middle circle** (``recovery.middle_circle``): fires when the client noted moments on
  slippery ground (the middle-circle log) on at least ``min_days`` different days of the
  last ``window_days`` days, today included.

Averages are rounded to one decimal place *before* they are compared, so the numbers the
clinician sees are exactly the numbers that decided. ``prepare`` reads the plans,
check-ins, urges and middle-circle moments of every evaluated client in four queries,
whatever their number.
"""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from dataclasses import dataclass, field
from datetime import date, datetime, timedelta
from typing import TYPE_CHECKING, Any

from django.utils.translation import gettext_lazy as _

from waypost.recovery import middle_selectors
from waypost.recovery import selectors as recovery_selectors
from waypost.recovery.models import CheckIn, RecoveryPlan, Urge
from waypost.recovery.warnings.rules import Finding, Number, Param, Rule, register

if TYPE_CHECKING:
    from django_stubs_ext import StrOrPromise

    from waypost.program.models import Enrollment

#: The longest window a clinic may choose; comparing two windows reads twice as far back.
MAX_WINDOW_DAYS = 28
LOOKBACK_DAYS = 2 * MAX_WINDOW_DAYS
_ATTRIBUTE = "_early_warning_days"


@dataclass
class DayData:
    mood: int | None = None
    sleep: float | None = None
    urge: int | None = None  # the strongest of the day (check-in or logged)
    checked_in: bool = False
    middle: int = 0  # moments on slippery ground noted that day (the middle-circle log)


@dataclass
class ClientDays:
    """What the recovery rules read about one client: their today, start and recent days."""

    today: date
    start: date | None
    days: dict[date, DayData] = field(default_factory=dict)


def prepare(enrollments: Sequence[Enrollment], now: datetime) -> None:
    """Load the last ``LOOKBACK_DAYS`` of check-ins, urges and middle-circle moments of every
    client, in 4 queries."""
    if not enrollments:
        return
    ids = [e.pk for e in enrollments]
    todays = {e.pk: recovery_selectors.client_today(e, now) for e in enrollments}
    earliest = min(todays.values()) - timedelta(days=LOOKBACK_DAYS)
    starts: dict[int, tuple[int, date]] = {}
    for enrollment_id, version, plan_start in RecoveryPlan.objects.filter(
        enrollment_id__in=ids
    ).values_list("enrollment_id", "version", "start_date"):
        if enrollment_id not in starts or version > starts[enrollment_id][0]:
            starts[enrollment_id] = (version, plan_start)
    loaded: dict[int, ClientDays] = {}
    for e in enrollments:
        start = starts[e.pk][1] if e.pk in starts else recovery_selectors.stage_start(e)
        loaded[e.pk] = ClientDays(today=todays[e.pk], start=start)
    for enrollment_id, day, mood, sleep, urge in (
        CheckIn.objects.filter(enrollment_id__in=ids, local_date__gte=earliest)
        .order_by()
        .values_list("enrollment_id", "local_date", "mood", "sleep_hours", "urge")
    ):
        data = loaded[enrollment_id].days.setdefault(day, DayData())
        data.checked_in = True
        data.mood = mood
        data.sleep = float(sleep) if sleep is not None else None
        data.urge = max(urge, data.urge or 0)
    for enrollment_id, day, intensity in (
        Urge.objects.filter(enrollment_id__in=ids, local_date__gte=earliest)
        .order_by()
        .values_list("enrollment_id", "local_date", "intensity")
    ):
        data = loaded[enrollment_id].days.setdefault(day, DayData())
        data.urge = max(intensity, data.urge or 0)
    for enrollment_id, per_day in middle_selectors.moments_by_day(ids, earliest).items():
        for day, count in per_day.items():
            loaded[enrollment_id].days.setdefault(day, DayData()).middle = count
    for e in enrollments:
        setattr(e, _ATTRIBUTE, loaded[e.pk])


def client_days(enrollment: Enrollment, now: datetime) -> ClientDays:
    """What ``prepare`` loaded (or, for a single enrollment, load it now)."""
    if not hasattr(enrollment, _ATTRIBUTE):
        prepare([enrollment], now)
    found: ClientDays = getattr(enrollment, _ATTRIBUTE)
    return found


def _window(known: ClientDays, *, days: int, offset: int) -> list[DayData]:
    """The days' data of a window ending ``offset`` days before today (0: ending today)."""
    last = known.today - timedelta(days=offset)
    out = []
    for n in range(days):
        day = last - timedelta(days=n)
        if day in known.days:
            out.append(known.days[day])
    return out


def _average(values: list[float]) -> float | None:
    return round(sum(values) / len(values), 1) if values else None


def _compare(
    known: ClientDays, *, window: int, pick: str
) -> tuple[float | None, float | None, int, int]:
    """(recent average, earlier average, recent days with data, earlier days with data)."""
    recent = [getattr(d, pick) for d in _window(known, days=window, offset=0)]
    earlier = [getattr(d, pick) for d in _window(known, days=window, offset=window)]
    recent = [v for v in recent if v is not None]
    earlier = [v for v in earlier if v is not None]
    return _average(recent), _average(earlier), len(recent), len(earlier)


def _window_param() -> Param:
    return Param(
        "window_days",
        _("Days in each window"),
        7,
        3,
        MAX_WINDOW_DAYS,
        help_text=_("The recent days compared with the same number of days before them."),
    )


def _min_days_param() -> Param:
    return Param(
        "min_days",
        _("Days with data needed in each window"),
        3,
        1,
        MAX_WINDOW_DAYS,
        help_text=_("Fewer days than this say too little to compare."),
        not_above="window_days",
    )


# --- urges rising -------------------------------------------------------------------------


def evaluate_urge_rising(
    enrollment: Enrollment, params: Mapping[str, float], now: datetime
) -> Finding | None:
    """Urges stronger lately than before, by at least ``rise`` points on average."""
    window, minimum = int(params["window_days"]), int(params["min_days"])
    known = client_days(enrollment, now)
    recent, earlier, n_recent, n_earlier = _compare(known, window=window, pick="urge")
    if recent is None or earlier is None or n_recent < minimum or n_earlier < minimum:
        return None
    rise = round(recent - earlier, 1)
    if rise < params["rise"]:
        return None
    return Finding(
        {
            "recent_average": recent,
            "earlier_average": earlier,
            "rise": rise,
            "recent_days": n_recent,
            "earlier_days": n_earlier,
            "window_days": window,
        }
    )


def _urge_nudge(numbers: Mapping[str, Any]) -> StrOrPromise:
    return _(
        "Urges seem to have been stronger this past while than before. That is useful to "
        "know early: it may be a good moment to look at your plan for hard moments."
    )


# --- sleep or mood falling ----------------------------------------------------------------


def evaluate_sleep_mood_falling(
    enrollment: Enrollment, params: Mapping[str, float], now: datetime
) -> Finding | None:
    """Mood lower by ``mood_drop`` or sleep shorter by ``sleep_drop`` hours, on average."""
    window, minimum = int(params["window_days"]), int(params["min_days"])
    known = client_days(enrollment, now)
    numbers: dict[str, Any] = {"window_days": window}
    fired = []
    for pick, drop_key, label in (("mood", "mood_drop", "mood"), ("sleep", "sleep_drop", "sleep")):
        recent, earlier, n_recent, n_earlier = _compare(known, window=window, pick=pick)
        if recent is None or earlier is None or n_recent < minimum or n_earlier < minimum:
            continue
        numbers[f"{label}_recent"] = recent
        numbers[f"{label}_earlier"] = earlier
        drop = round(earlier - recent, 1)
        numbers[f"{label}_drop"] = drop
        if drop >= params[drop_key]:
            fired.append(label)
    if not fired:
        return None
    numbers["falling"] = ",".join(fired)
    return Finding(numbers)


def _sleep_mood_nudge(numbers: Mapping[str, Any]) -> StrOrPromise:
    falling = str(numbers.get("falling", "")).split(",")
    if falling == ["sleep"]:
        return _(
            "Your nights seem to have been shorter lately. Tiredness makes hard moments "
            "harder, so this could be a good time to look after your sleep and your plan."
        )
    if falling == ["mood"]:
        return _(
            "Your days seem to have felt heavier lately. Being kind to yourself and "
            "looking at your plan can help before things build up."
        )
    return _(
        "Your sleep and your mood both seem lower lately. Being kind to yourself and "
        "looking at your plan can help before things build up."
    )


# --- check-ins missed ---------------------------------------------------------------------


def evaluate_check_ins_missed(
    enrollment: Enrollment, params: Mapping[str, float], now: datetime
) -> Finding | None:
    """At least ``missed_days`` of the last ``window_days`` days (before today) unchecked."""
    window, needed = int(params["window_days"]), int(params["missed_days"])
    known = client_days(enrollment, now)
    considered = [known.today - timedelta(days=n) for n in range(1, window + 1)]
    if known.start is not None:
        considered = [day for day in considered if day >= known.start]
    missed = [day for day in considered if not known.days.get(day, DayData()).checked_in]
    if len(missed) < needed:
        return None
    checked = [day for day, data in known.days.items() if data.checked_in]
    return Finding(
        {
            "missed": len(missed),
            "days_considered": len(considered),
            "last_check_in": max(checked).isoformat() if checked else "",
            "window_days": window,
        }
    )


def _missed_nudge(numbers: Mapping[str, Any]) -> StrOrPromise:
    return _(
        "It has been a few days since your last check-in. No catching up needed: a "
        "check-in today is a good place to start again."
    )


# --- middle circle -------------------------------------------------------------------------


def evaluate_middle_circle(
    enrollment: Enrollment, params: Mapping[str, float], now: datetime
) -> Finding | None:
    """Moments on slippery ground noted on at least ``min_days`` of the last ``window_days``."""
    window, needed = int(params["window_days"]), int(params["min_days"])
    known = client_days(enrollment, now)
    counts = [d.middle for d in _window(known, days=window, offset=0) if d.middle]
    if len(counts) < needed:
        return None
    return Finding(
        {"days_with_moments": len(counts), "moments": sum(counts), "window_days": window}
    )


def _middle_nudge(numbers: Mapping[str, Any]) -> StrOrPromise:
    return _(
        "You have noticed slippery ground on a few days lately. Noticing is the skill: "
        "this could be a good moment to look at your plan and what helps you step back."
    )


WINDOW = Number("window_days", _("days in each window"))

URGE_RISING = Rule(
    key="recovery.urge_rising",
    label=_("Urges rising"),
    explanation=_(
        "Each day's strongest urge (from the check-in or the urge log, whichever is "
        "higher) is averaged over the recent window and over the window before it. The "
        "rule fires when the recent average is higher by at least the chosen rise, and "
        "both windows have enough days with data."
    ),
    params=(
        _window_param(),
        Param("rise", _("Rise in average strength (0–10 scale)"), 2.0, 0.5, 10, whole=False),
        _min_days_param(),
    ),
    numbers=(
        Number("recent_average", _("recent average (0–10)")),
        Number("earlier_average", _("average before (0–10)")),
        Number("rise", _("rise")),
        Number("recent_days", _("recent days with data")),
        Number("earlier_days", _("earlier days with data")),
        WINDOW,
    ),
    evaluate=evaluate_urge_rising,
    nudge=_urge_nudge,
    prepare=prepare,
    order=10,
)

SLEEP_MOOD_FALLING = Rule(
    key="recovery.sleep_mood_falling",
    label=_("Sleep or mood falling"),
    explanation=_(
        "The check-ins' mood (1–5) and hours of sleep are averaged over the recent window "
        "and over the window before it. The rule fires when mood fell by at least the "
        "chosen drop, or sleep by at least the chosen hours, with enough check-ins in both."
    ),
    params=(
        _window_param(),
        Param("mood_drop", _("Fall in average mood (1–5 scale)"), 1.0, 0.5, 4, whole=False),
        Param("sleep_drop", _("Fall in average sleep (hours)"), 1.5, 0.5, 8, whole=False),
        _min_days_param(),
    ),
    numbers=(
        Number("mood_recent", _("recent mood (1–5)")),
        Number("mood_earlier", _("mood before (1–5)")),
        Number("sleep_recent", _("recent sleep (hours)")),
        Number("sleep_earlier", _("sleep before (hours)")),
        WINDOW,
    ),
    evaluate=evaluate_sleep_mood_falling,
    nudge=_sleep_mood_nudge,
    prepare=prepare,
    order=20,
)

CHECK_INS_MISSED = Rule(
    key="recovery.check_ins_missed",
    label=_("Check-ins missed"),
    explanation=_(
        "Counts the days without a check-in among the last days of the window before "
        "today (today is not over yet), from the day counting began. The rule fires when "
        "at least the chosen number are missing."
    ),
    params=(
        Param(
            "window_days",
            _("Days looked at"),
            7,
            3,
            MAX_WINDOW_DAYS,
        ),
        Param(
            "missed_days",
            _("Days without a check-in"),
            3,
            1,
            MAX_WINDOW_DAYS,
            not_above="window_days",
        ),
    ),
    numbers=(
        Number("missed", _("days without a check-in")),
        Number("days_considered", _("days looked at")),
        Number("last_check_in", _("last check-in")),
    ),
    evaluate=evaluate_check_ins_missed,
    nudge=_missed_nudge,
    prepare=prepare,
    order=30,
)


MIDDLE_CIRCLE = Rule(
    key="recovery.middle_circle",
    label=_("Middle circle"),
    explanation=_(
        "Counts the different days on which the client noted a moment on slippery ground "
        "(their middle circle) among the last days looked at, today included. The rule "
        "fires when there are at least the chosen number of such days."
    ),
    params=(
        Param("window_days", _("Days looked at"), 7, 3, MAX_WINDOW_DAYS),
        Param(
            "min_days",
            _("Days with a middle-circle moment"),
            2,
            1,
            MAX_WINDOW_DAYS,
            help_text=_("Several moments on one day count as one day."),
            not_above="window_days",
        ),
    ),
    numbers=(
        Number("days_with_moments", _("days with a middle-circle moment")),
        Number("moments", _("middle-circle moments in all")),
        Number("window_days", _("days looked at")),
    ),
    evaluate=evaluate_middle_circle,
    nudge=_middle_nudge,
    prepare=prepare,
    order=40,
)


def register_all() -> None:
    for rule in (URGE_RISING, SLEEP_MOOD_FALLING, CHECK_INS_MISSED, MIDDLE_CIRCLE):
        register(rule)
