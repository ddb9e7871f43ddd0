"""Which factors that make a longer recovery likely are present in an intake.

Pure (no Django): answers in, facts out. Each fact is shown to the clinician
next to the answer it comes from. There is deliberately no total, weight or
"risk level": the factors come from the clinical literature as things that
tend to lengthen recovery, not from a validated prediction model, and adding
them up would invent one.
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass
from typing import Any

# Thresholds, stated in the clinician's summary beside each fact.
EARLY_EXPOSURE_UNDER_AGE = 13
LONG_DURATION_OVER_YEARS = 5
HIGH_HOURS_OVER = 10
SEVERAL_ATTEMPTS_FROM = 2
HIGH_MORAL_FROM = 7
# "Mainly moral": the moral/religious share is at least this and above the loss-of-control share.
MAINLY_MORAL_FROM = 5

FACT_KEYS = (
    "early_exposure",
    "long_duration",
    "high_hours",
    "escalation",
    "several_attempts",
    "co_occurring",
    "serious_impairment",
    "night_private_access",
    "high_moral_incongruence",
)


@dataclass(frozen=True)
class Fact:
    """One factor: whether it is present (None when the topic is not answered yet)
    and the answers it was read from."""

    key: str
    present: bool | None
    value: Any = None


def _topic(answers: dict[str, Any], key: str) -> dict[str, Any] | None:
    value = answers.get(key)
    return value if isinstance(value, dict) else None


def _number(topic: dict[str, Any] | None, name: str) -> float | None:
    if topic is None:
        return None
    value = topic.get(name)
    if isinstance(value, bool) or not isinstance(value, int | float):
        return None
    return value


def _threshold(key: str, value: float | None, test: Callable[[float], bool]) -> Fact:
    return Fact(key, None if value is None else bool(test(value)), value)


def _listed(topic: dict[str, Any] | None, name: str) -> list[str] | None:
    if topic is None:
        return None
    value = topic.get(name)
    if not isinstance(value, list):
        return []
    return [v for v in value if isinstance(v, str)]


def escalation(answers: dict[str, Any]) -> Fact:
    topic = _topic(answers, "escalation")
    if topic is None:
        return Fact("escalation", None)
    values = {k: topic.get(k) for k in ("more_time", "more_extreme", "values_conflict")}
    if not any(values.values()):  # saved with every question left blank: still unknown
        return Fact("escalation", None, values)
    return Fact("escalation", any(v == "yes" for v in values.values()), values)


def serious_impairment(answers: dict[str, Any]) -> Fact:
    topic = _topic(answers, "impairment")
    if topic is None:
        return Fact("serious_impairment", None)
    areas = {k: topic.get(k) for k in ("work", "relationships", "money", "legal")}
    if not any(areas.values()):  # saved with every area left blank: still unknown
        return Fact("serious_impairment", None, areas)
    return Fact("serious_impairment", any(v == "serious" for v in areas.values()), areas)


def night_private_access(answers: dict[str, Any]) -> Fact:
    items = _listed(_topic(answers, "vulnerabilities"), "items")
    if items is None:
        return Fact("night_private_access", None)
    found = [v for v in ("night", "private_device") if v in items]
    return Fact("night_private_access", bool(found), found)


def moral_scores(answers: dict[str, Any]) -> tuple[float | None, float | None]:
    topic = _topic(answers, "moral")
    return _number(topic, "moral_distress"), _number(topic, "control_distress")


def mainly_moral(answers: dict[str, Any]) -> bool | None:
    """Does the client place more of their distress in moral or religious disapproval
    than in loss of control? ICD-11 does not count distress that comes solely from
    moral incongruence as compulsive sexual behaviour disorder."""
    moral, control = moral_scores(answers)
    if moral is None or control is None:
        return None
    return moral >= MAINLY_MORAL_FROM and moral > control


def recovery_factors(answers: dict[str, Any]) -> list[Fact]:
    """Every factor, in the order the clinician's summary lists them."""
    first = _topic(answers, "first_exposure")
    duration = _topic(answers, "duration")
    frequency = _topic(answers, "frequency")
    attempts = _topic(answers, "attempts")
    conditions = _listed(_topic(answers, "conditions"), "conditions")
    moral, control = moral_scores(answers)
    return [
        _threshold(
            "early_exposure",
            _number(first, "first_exposure_age"),
            lambda age: age < EARLY_EXPOSURE_UNDER_AGE,
        ),
        _threshold(
            "long_duration", _number(duration, "years"), lambda y: y > LONG_DURATION_OVER_YEARS
        ),
        _threshold(
            "high_hours", _number(frequency, "hours_per_week"), lambda h: h > HIGH_HOURS_OVER
        ),
        escalation(answers),
        _threshold(
            "several_attempts", _number(attempts, "count"), lambda n: n >= SEVERAL_ATTEMPTS_FROM
        ),
        Fact("co_occurring", None if conditions is None else bool(conditions), conditions),
        serious_impairment(answers),
        night_private_access(answers),
        Fact(
            "high_moral_incongruence",
            None if moral is None else moral >= HIGH_MORAL_FROM,
            {"moral": moral, "control": control},
        ),
    ]
