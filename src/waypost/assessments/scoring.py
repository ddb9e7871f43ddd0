"""Scoring of questionnaires: pure Python, no Django, no I/O.

An :class:`Instrument` is what ``catalog.py`` builds from one JSON file. Its
items carry their options' scores (the FHIR ``itemWeight``); its
:class:`Rule` says how item scores become a total or a subscale: which items,
sum or mean, weights, reverse-keyed items, a final multiplier (WHO-5's ×4)
and rounding. Bands label ranges of the total; screens and critical items
raise flags. :func:`score` turns the list of chosen option scores into a
:class:`Result`; :func:`reliable_change` compares two totals the way
Jacobson and Truax (1991) describe, and :func:`service_change` by a service's
own thresholds (e.g. NHS Talking Therapies for PHQ-9 and GAD-7).
"""

from __future__ import annotations

import math
from collections.abc import Mapping, Sequence
from dataclasses import dataclass, field
from decimal import ROUND_HALF_UP, Decimal
from typing import Literal, TypedDict

Number = int | float
Direction = Literal["higher_is_worse", "higher_is_better"]


class AnswerError(ValueError):
    """The answers do not fit the instrument (wrong count, unknown value …)."""


@dataclass(frozen=True)
class Option:
    code: str
    display: str
    score: Number


@dataclass(frozen=True)
class Item:
    link_id: str
    text: str
    options: tuple[Option, ...]

    @property
    def scores(self) -> tuple[Number, ...]:
        return tuple(option.score for option in self.options)

    @property
    def low(self) -> Number:
        return min(self.scores)

    @property
    def high(self) -> Number:
        return max(self.scores)

    def option_for(self, value: Number) -> Option | None:
        for option in self.options:
            if option.score == value:
                return option
        return None


@dataclass(frozen=True)
class Rule:
    """How item scores become one number (a total or a subscale)."""

    items: tuple[str, ...]
    method: Literal["sum", "mean"] = "sum"
    weights: Mapping[str, Number] = field(default_factory=dict)
    reverse: frozenset[str] = frozenset()
    multiply: Number = 1
    decimals: int = 0

    def weight(self, link_id: str) -> Number:
        return self.weights.get(link_id, 1)

    def apply(self, instrument: Instrument, values: Mapping[str, Number]) -> Number:
        parts = []
        for link_id in self.items:
            item = instrument.item(link_id)
            value = values[link_id]
            if link_id in self.reverse:
                value = item.low + item.high - value
            parts.append(value * self.weight(link_id))
        raw = sum(parts)
        if self.method == "mean":
            raw = raw / sum(self.weight(link_id) for link_id in self.items)
        return self.round(raw * self.multiply)

    def round(self, value: Number) -> Number:
        rounded = Decimal(str(value)).quantize(Decimal(1).scaleb(-self.decimals), ROUND_HALF_UP)
        return int(rounded) if self.decimals == 0 else float(rounded)

    def bounds(self, instrument: Instrument) -> tuple[Number, Number]:
        """The lowest and highest number this rule can give."""
        lows = {link_id: instrument.item(link_id).low for link_id in self.items}
        highs = {link_id: instrument.item(link_id).high for link_id in self.items}
        # With reverse keying, an item's low answer gives its high score and vice
        # versa; with negative weights, too. Take each item's extreme separately.
        low = {}
        high = {}
        for link_id in self.items:
            a = self.apply_one(instrument, link_id, lows[link_id])
            b = self.apply_one(instrument, link_id, highs[link_id])
            low[link_id], high[link_id] = min(a, b), max(a, b)
        divisor = (
            sum(self.weight(link_id) for link_id in self.items) if self.method == "mean" else 1
        )
        return (
            self.round(sum(low.values()) / divisor * self.multiply),
            self.round(sum(high.values()) / divisor * self.multiply),
        )

    def apply_one(self, instrument: Instrument, link_id: str, value: Number) -> Number:
        item = instrument.item(link_id)
        if link_id in self.reverse:
            value = item.low + item.high - value
        return value * self.weight(link_id)

    @property
    def step(self) -> Number:
        """The smallest difference between two results (1 for whole numbers)."""
        return 1 if self.decimals == 0 else 10**-self.decimals


@dataclass(frozen=True)
class Subscale:
    id: str
    name: str
    rule: Rule


@dataclass(frozen=True)
class Band:
    min: Number
    max: Number
    label: str

    def contains(self, value: Number) -> bool:
        return self.min <= value <= self.max


@dataclass(frozen=True)
class Screen:
    """A cut-off: ``flag`` is raised when the total (or a subscale) is at or above ``min``,
    or, for measures where lower is worse (WHO-5), at or below ``max``."""

    flag: str
    label: str
    min: Number | None = None
    subscale: str | None = None
    max: Number | None = None

    def flags(self, value: Number) -> bool:
        return (self.min is None or value >= self.min) and (self.max is None or value <= self.max)


@dataclass(frozen=True)
class CriticalItem:
    """An answer that needs a person's attention now, whatever the total."""

    link_id: str
    min_score: Number
    action: Literal["crisis", "review"]
    label: str

    @property
    def flag(self) -> str:
        return f"critical:{self.link_id}"


@dataclass(frozen=True)
class Norm:
    mean: float
    sd: float
    source: str = ""


@dataclass(frozen=True)
class ServiceStandard:
    """A service's own thresholds, e.g. NHS Talking Therapies for PHQ-9 (6 points, 10)."""

    id: str
    name: str
    reliable_change: Number
    caseness: Number
    source: str = ""


@dataclass(frozen=True)
class Instrument:
    id: str
    short_name: str
    title: str
    items: tuple[Item, ...]
    total: Rule
    subscales: tuple[Subscale, ...] = ()
    bands: tuple[Band, ...] = ()
    screens: tuple[Screen, ...] = ()
    critical: tuple[CriticalItem, ...] = ()
    direction: Direction = "higher_is_worse"
    reliability: float | None = None
    clinical_norm: Norm | None = None
    general_norm: Norm | None = None
    service_standards: tuple[ServiceStandard, ...] = ()

    def item(self, link_id: str) -> Item:
        for item in self.items:
            if item.link_id == link_id:
                return item
        raise KeyError(link_id)

    @property
    def range(self) -> tuple[Number, Number]:
        return self.total.bounds(self)

    def band_for(self, total: Number) -> Band | None:
        for band in self.bands:
            if band.contains(total):
                return band
        return None


class ResultDict(TypedDict):
    """A :class:`Result` as plain data (JSON, for the command line)."""

    instrument: str
    total: Number
    subscales: dict[str, Number]
    band: str | None
    flags: list[str]


@dataclass(frozen=True)
class Result:
    instrument: str
    total: Number
    subscales: dict[str, Number]
    band: str | None
    flags: list[str]

    def as_dict(self) -> ResultDict:
        return {
            "instrument": self.instrument,
            "total": self.total,
            "subscales": dict(self.subscales),
            "band": self.band,
            "flags": list(self.flags),
        }


def parse_answers(raw: str) -> list[Number]:
    """``"0,1,2"`` → ``[0, 1, 2]``; anything that is not a number is an :class:`AnswerError`."""
    values: list[Number] = []
    for position, part in enumerate(raw.split(","), start=1):
        text = part.strip()
        try:
            number = float(text)
        except ValueError:
            raise AnswerError(f"answer {position} is not a number: {text!r}") from None
        if not math.isfinite(number):
            raise AnswerError(f"answer {position} is not a number: {text!r}")
        values.append(int(number) if number.is_integer() else number)
    return values


def check_answers(instrument: Instrument, answers: Sequence[Number]) -> dict[str, Number]:
    """The answers by item, or an :class:`AnswerError` saying what is wrong."""
    if len(answers) != len(instrument.items):
        raise AnswerError(
            f"{instrument.id} has {len(instrument.items)} items; got {len(answers)} answers"
        )
    values: dict[str, Number] = {}
    for position, (item, value) in enumerate(zip(instrument.items, answers, strict=True), 1):
        if isinstance(value, bool) or not isinstance(value, int | float):
            raise AnswerError(f"answer {position} is not a number: {value!r}")
        if item.option_for(value) is None:
            allowed = ", ".join(plain_number(s) for s in item.scores)
            raise AnswerError(
                f"answer {position} ({item.link_id}) is {plain_number(value)}; "
                f"it must be one of {allowed}"
            )
        values[item.link_id] = value
    return values


def score(instrument: Instrument, answers: Sequence[Number]) -> Result:
    """Score one completed form. ``answers`` are the chosen options' scores, in item order."""
    values = check_answers(instrument, answers)
    total = instrument.total.apply(instrument, values)
    subscales = {s.id: s.rule.apply(instrument, values) for s in instrument.subscales}
    band = instrument.band_for(total)
    flags = [c.flag for c in instrument.critical if values[c.link_id] >= c.min_score]
    for screen in instrument.screens:
        value = subscales[screen.subscale] if screen.subscale else total
        if screen.flags(value):
            flags.append(screen.flag)
    return Result(
        instrument=instrument.id,
        total=total,
        subscales=subscales,
        band=band.label if band else None,
        flags=flags,
    )


# --- change over time ---------------------------------------------------------------

Verdict = Literal["improved", "deteriorated", "no_reliable_change"]


@dataclass(frozen=True)
class Change:
    before: Number
    after: Number
    difference: Number  # after - before
    threshold: float  # the smallest difference that counts as reliable
    verdict: Verdict
    # Clinically significant change: moved from the clinical to the general range.
    cutoff: float | None = None
    clinically_significant: bool = False
    method: str = "jacobson-truax"

    @property
    def reliable(self) -> bool:
        return self.verdict != "no_reliable_change"

    @property
    def recovered(self) -> bool:
        return self.verdict == "improved" and self.clinically_significant


def reliable_change_threshold(sd: float, reliability: float, z: float = 1.96) -> float:
    """Jacobson–Truax: the difference beyond which change is unlikely to be measurement error.

    SE = SD·√(1−r), S_diff = √2·SE, and a change is reliable when
    |after − before| > z·S_diff (z = 1.96 for 95%).
    """
    if not (0 < reliability < 1) or sd <= 0:
        raise ValueError("reliability must be between 0 and 1 and SD above 0")
    return z * math.sqrt(2) * sd * math.sqrt(1 - reliability)


def clinical_cutoff(clinical: Norm | None, general: Norm | None, direction: Direction) -> float:
    """Jacobson–Truax cut-off between the clinical and the general population.

    With both norms, c = (SD₀·M₁ + SD₁·M₀)/(SD₀ + SD₁); with the clinical norm only,
    a = 2 SD from the clinical mean towards health; with the general norm only,
    b = 2 SD from the general mean towards the clinical side.
    """
    towards_health = -1 if direction == "higher_is_worse" else 1
    if clinical is not None and general is not None:
        return (clinical.sd * general.mean + general.sd * clinical.mean) / (
            clinical.sd + general.sd
        )
    if clinical is not None:
        return clinical.mean + towards_health * 2 * clinical.sd
    if general is not None:
        return general.mean - towards_health * 2 * general.sd
    raise ValueError("a cut-off needs a clinical or a general-population norm")


def _verdict(difference: Number, threshold: float, direction: Direction) -> Verdict:
    if abs(difference) <= threshold:
        return "no_reliable_change"
    better = difference < 0 if direction == "higher_is_worse" else difference > 0
    return "improved" if better else "deteriorated"


def _in_clinical_range(value: Number, cutoff: float, direction: Direction) -> bool:
    return value >= cutoff if direction == "higher_is_worse" else value <= cutoff


def reliable_change(instrument: Instrument, before: Number, after: Number) -> Change | None:
    """The Jacobson–Truax verdict, or ``None`` when the file gives no reliability and norms.

    The standard error uses the clinical SD when the file has one, else the
    general population's (Jacobson & Truax, 1991, allow either).
    """
    norm = instrument.clinical_norm or instrument.general_norm
    if instrument.reliability is None or norm is None:
        return None
    threshold = reliable_change_threshold(norm.sd, instrument.reliability)
    difference = after - before
    verdict = _verdict(difference, threshold, instrument.direction)
    cutoff = clinical_cutoff(
        instrument.clinical_norm, instrument.general_norm, instrument.direction
    )
    significant = _in_clinical_range(
        before, cutoff, instrument.direction
    ) and not _in_clinical_range(after, cutoff, instrument.direction)
    return Change(
        before=before,
        after=after,
        difference=difference,
        threshold=threshold,
        verdict=verdict,
        cutoff=cutoff,
        clinically_significant=significant,
    )


def service_change(
    instrument: Instrument, standard_id: str, before: Number, after: Number
) -> Change | None:
    """The verdict by a service standard's own thresholds (a change of at least N points).

    NHS Talking Therapies counts a change *of at least* the threshold as reliable
    and a score *at or above* caseness as a case; recovery is moving from case to
    not a case with reliable improvement.
    """
    standard = next((s for s in instrument.service_standards if s.id == standard_id), None)
    if standard is None:
        return None
    difference = after - before
    if abs(difference) >= standard.reliable_change:
        better = difference < 0 if instrument.direction == "higher_is_worse" else difference > 0
        verdict: Verdict = "improved" if better else "deteriorated"
    else:
        verdict = "no_reliable_change"
    was_case = _in_clinical_range(before, standard.caseness, instrument.direction)
    is_case = _in_clinical_range(after, standard.caseness, instrument.direction)
    return Change(
        before=before,
        after=after,
        difference=difference,
        threshold=float(standard.reliable_change),
        verdict=verdict,
        cutoff=float(standard.caseness),
        clinically_significant=was_case and not is_case,
        method=standard.id,
    )


def plain_number(value: Number) -> str:
    """A score as people write it: ``17``, not ``17.0``; ``2.5`` stays ``2.5``."""
    return str(int(value)) if float(value).is_integer() else f"{value:g}"
