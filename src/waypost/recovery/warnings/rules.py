"""The early-warning rules: a registry of transparent rules over a client's own data.

Each :class:`Rule` names what it looks at (``label``), says in one paragraph how it
decides (``explanation``, shown to clinicians and clinic admins), has parameters a clinic
may tune (:class:`Param`, each with its default) and an ``evaluate`` function that gets
the enrollment, the clinic's parameters and the moment and returns a :class:`Finding`
with the numbers behind it, or ``None``. There is no score: a rule fires or it does not,
and the numbers say why.

Rules are registered from ``AppConfig.ready()``: the recovery rules here
(``recovery_rules``), Shield's from ``shield.early_warning`` (Shield sits above
recovery, so it registers into this registry rather than being named by it).

Evaluation is batched (``services.evaluate``): a rule's ``prepare`` loads what it needs
for *all* the enrollments being evaluated at once and leaves it on each enrollment, so
``evaluate`` reads no database. The same ``prepare`` shared by several rules runs once.
"""

from __future__ import annotations

from collections.abc import Callable, Mapping, Sequence
from dataclasses import dataclass, field
from datetime import datetime
from typing import TYPE_CHECKING, Any

if TYPE_CHECKING:
    from django_stubs_ext import StrOrPromise

    from waypost.program.models import Enrollment


@dataclass(frozen=True)
class Param:
    """One tunable number of a rule: its default and the range a clinic may choose from."""

    key: str
    label: StrOrPromise
    default: float
    minimum: float
    maximum: float
    # whole numbers (days, counts) or one decimal place (hours, points on a scale)
    whole: bool = True
    help_text: StrOrPromise = ""
    # Another parameter of the same rule this one may not exceed (a number of days within
    # a window of days): a clinic's choice above it would make the rule never fire.
    not_above: str = ""

    def clean(self, value: Any) -> float:
        """``value`` as this parameter's number, kept within its range."""
        try:
            number = float(value)
        except (TypeError, ValueError):
            return self.default
        number = min(max(number, self.minimum), self.maximum)
        return float(round(number)) if self.whole else round(number, 1)


@dataclass(frozen=True)
class Number:
    """One number behind a finding, with the words that say what it is."""

    key: str
    label: StrOrPromise


@dataclass(frozen=True)
class Finding:
    """What a rule saw: its numbers (JSON-ready: ints, floats, strings), stored as they are."""

    numbers: Mapping[str, Any]


Evaluate = Callable[["Enrollment", Mapping[str, float], datetime], Finding | None]
Prepare = Callable[[Sequence["Enrollment"], datetime], None]
Nudge = Callable[[Mapping[str, Any]], "StrOrPromise"]


@dataclass(frozen=True)
class Rule:
    key: str  # dotted, owned by its app: "recovery.urge_rising"
    label: StrOrPromise  # its name for clinicians: "Urges rising"
    explanation: StrOrPromise  # how it decides, in plain words, with its parameters
    params: tuple[Param, ...]
    evaluate: Evaluate
    # The numbers a finding carries, in the order they are shown, with their labels.
    numbers: tuple[Number, ...]
    # The client's kind words for what was noticed (no numbers needed, no verdict).
    nudge: Nudge
    prepare: Prepare | None = None
    # Clients in these stages are evaluated (Stage 2 on: the daily data begins there).
    min_stage: int = 2
    order: int = 100
    extra: dict[str, Any] = field(default_factory=dict, compare=False)

    def defaults(self) -> dict[str, float]:
        return {p.key: p.default for p in self.params}

    def tuned(self, chosen: Mapping[str, Any] | None) -> dict[str, float]:
        """The defaults, overridden by a clinic's chosen values (each kept in range)."""
        values = self.defaults()
        for param in self.params:
            if chosen and param.key in chosen:
                values[param.key] = param.clean(chosen[param.key])
        return values

    def shown_numbers(self, numbers: Mapping[str, Any]) -> list[tuple[StrOrPromise, Any]]:
        """The stored numbers as (label, value) pairs, in the rule's order."""
        return [(n.label, numbers[n.key]) for n in self.numbers if n.key in numbers]


_rules: dict[str, Rule] = {}


def register(rule: Rule) -> Rule:
    """Add (or, with the same key, replace) a rule."""
    _rules[rule.key] = rule
    return rule


def unregister(key: str) -> None:
    _rules.pop(key, None)


def all_rules() -> list[Rule]:
    return sorted(_rules.values(), key=lambda r: (r.order, r.key))


def get(key: str) -> Rule | None:
    return _rules.get(key)
