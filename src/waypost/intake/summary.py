"""The clinician's summary of an intake: each factor, its rule, and the answer behind it."""

from __future__ import annotations

from collections.abc import Iterable, Mapping, Sequence
from dataclasses import dataclass
from typing import TYPE_CHECKING, Any

from django.utils.text import format_lazy
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy, ngettext

from waypost.intake import factors
from waypost.intake.topics import Condition, Impact, Vulnerability, YesNoUnsure

if TYPE_CHECKING:
    from django_stubs_ext import StrOrPromise

LABELS: dict[str, StrOrPromise] = {
    "early_exposure": gettext_lazy("Early first exposure"),
    "long_duration": gettext_lazy("Long duration"),
    "high_hours": gettext_lazy("High weekly hours"),
    "escalation": gettext_lazy("Escalation"),
    "several_attempts": gettext_lazy("Several previous attempts to stop"),
    "co_occurring": gettext_lazy("Co-occurring conditions"),
    "serious_impairment": gettext_lazy("Serious impairment"),
    "night_private_access": gettext_lazy("Night-time use or private access"),
    "high_moral_incongruence": gettext_lazy("High moral incongruence"),
}

RULES: dict[str, StrOrPromise] = {
    "early_exposure": format_lazy(
        gettext_lazy("before age {age}"), age=factors.EARLY_EXPOSURE_UNDER_AGE
    ),
    "long_duration": format_lazy(
        gettext_lazy("more than {years} years"), years=factors.LONG_DURATION_OVER_YEARS
    ),
    "high_hours": format_lazy(
        gettext_lazy("more than {hours} hours a week"), hours=factors.HIGH_HOURS_OVER
    ),
    "escalation": gettext_lazy("any “yes”"),
    "several_attempts": format_lazy(gettext_lazy("{n} or more"), n=factors.SEVERAL_ATTEMPTS_FROM),
    "co_occurring": gettext_lazy("any ticked"),
    "serious_impairment": gettext_lazy("any area “serious”"),
    "night_private_access": gettext_lazy("either ticked"),
    "high_moral_incongruence": format_lazy(
        gettext_lazy("moral or religious share {n} or more out of 10"), n=factors.HIGH_MORAL_FROM
    ),
}

ESCALATION_LABELS = {
    "more_time": gettext_lazy("more time"),
    "more_extreme": gettext_lazy("more extreme or novel content"),
    "values_conflict": gettext_lazy("content against their values"),
}
IMPAIRMENT_LABELS = {
    "work": gettext_lazy("work or study"),
    "relationships": gettext_lazy("relationships"),
    "money": gettext_lazy("money"),
    "legal": gettext_lazy("legal"),
}


@dataclass(frozen=True)
class SummaryRow:
    key: str
    label: StrOrPromise
    rule: StrOrPromise
    answer: str
    present: bool | None


def _number(value: float | None) -> str:
    # A question left blank (the intake never insists) reads as a dash.
    return "–" if value is None else f"{value:g}"


def _join(words: Sequence[object]) -> str:
    return ", ".join(str(w) for w in words)


def _grouped(
    values: dict[str, Any],
    labels: Mapping[str, StrOrPromise],
    choices: Iterable[tuple[str, StrOrPromise]],
) -> str:
    """ "Yes: more time · Not sure: …" from {"more_time": "yes", …}."""
    parts = []
    for choice, choice_label in choices:
        keys = [labels[k] for k, v in values.items() if v == choice]
        if keys:
            parts.append(f"{choice_label}: {_join(keys)}")
    return " · ".join(parts)


def _answer(fact: factors.Fact, answers: dict[str, Any]) -> str:
    value = fact.value
    match fact.key:
        case "early_exposure":
            return _("at %(age)s") % {"age": _number(value)}
        case "long_duration":
            return ngettext("%(n)s year", "%(n)s years", int(value)) % {"n": _number(value)}
        case "high_hours":
            sessions = (answers.get("frequency") or {}).get("sessions_per_week")
            return _("%(hours)s hours a week, %(sessions)s sessions") % {
                "hours": _number(value),
                "sessions": "–" if sessions is None else sessions,
            }
        case "escalation":
            return _grouped(value, ESCALATION_LABELS, YesNoUnsure.choices)
        case "several_attempts":
            return _number(value)
        case "co_occurring":
            names = dict(Condition.choices)
            return _join([names.get(v, v) for v in value]) or _("none ticked")
        case "serious_impairment":
            shown = [c for c in Impact.choices if c[0] != Impact.NONE]
            return _grouped(value, IMPAIRMENT_LABELS, shown) or _("none in any area")
        case "night_private_access":
            names = dict(Vulnerability.choices)
            return _join([names.get(v, v) for v in value]) or _("neither ticked")
        case "high_moral_incongruence":
            return _("moral or religious %(moral)s/10 · loss of control %(control)s/10") % {
                "moral": _number(value["moral"]),
                "control": _number(value["control"]),
            }
    return ""


def summary_rows(answers: dict[str, Any]) -> list[SummaryRow]:
    """The factors in order, each with its rule and the client's answer in words."""
    rows = []
    for fact in factors.recovery_factors(answers):
        answer = "" if fact.present is None else _answer(fact, answers)
        rows.append(SummaryRow(fact.key, LABELS[fact.key], RULES[fact.key], answer, fact.present))
    return rows
