"""An instrument file as a whole: a FHIR Questionnaire whose parts fit together.

:class:`InstrumentFile` declares the file (its parts are in
``instrument_schema.py``). It checks the FHIR part with ``fhir.resources``
before anything else, then, in a ``model_validator``, the rules that look
across parts: linkIds used once, scoring rules and critical items that name
real items, declared ranges that match what the items can give, bands that
cover the total's range with no gap or overlap, and cut-offs, norms and
service standards inside that range. Every mistake found is told, not only
the first (``raise_all``): a clinic admin fixing an uploaded file should not
have to upload it once per mistake. A valid file becomes a
:class:`waypost.assessments.scoring.Instrument` through
:attr:`InstrumentFile.instrument`.

No Django here: the command line checks files without a database.
"""

from __future__ import annotations

from collections.abc import Iterator
from functools import cached_property
from typing import Any

from pydantic import ValidationError, model_validator
from pydantic_core import PydanticCustomError

from waypost.assessments import scoring
from waypost.assessments.instrument_schema import (
    Coding,
    Part,
    QuestionItem,
    ScoringRule,
    WaypostSection,
    problem_about,
    raise_all,
)
from waypost.core.file_schema import Text, problem, repeated

_BANDS = ("waypost", "bands")


# More FHIR problems than this in one file are summed up: the file is likely not one.
MAX_FHIR_PROBLEMS = 20


def fhir_problems(questionnaire: dict[str, Any]) -> list[str]:
    """Why the FHIR part is not a valid FHIR R5 Questionnaire: every reason, or none."""
    from fhir.resources.questionnaire import Questionnaire

    try:
        Questionnaire.model_validate(questionnaire)
    except ValidationError as exc:
        reasons = []
        for error in exc.errors():
            where = ".".join(str(part) for part in error["loc"])
            reason = f"not a valid FHIR Questionnaire: {where}: {error['msg']}"
            if reason not in reasons:
                reasons.append(reason)
        if len(reasons) > MAX_FHIR_PROBLEMS:
            more = len(reasons) - MAX_FHIR_PROBLEMS
            reasons = [*reasons[:MAX_FHIR_PROBLEMS], f"and {more} more problems with FHIR"]
        return reasons
    return []


class InstrumentFile(Part):
    """One instrument file: a FHIR Questionnaire with a ``waypost`` section."""

    id: Text
    status: Text
    title: Text
    code: list[Coding] = []
    item: list[QuestionItem] = []
    waypost: WaypostSection

    @model_validator(mode="before")
    @classmethod
    def _a_fhir_questionnaire_first(cls, data: Any) -> Any:
        # In this order, so that one mistake is told once, by the check that knows it best.
        if not isinstance(data, dict):
            raise problem("the file must hold one JSON object")
        if data.get("resourceType") != "Questionnaire":
            raise problem('resourceType must be "Questionnaire"')
        if not isinstance(data.get("waypost"), dict):
            raise problem('the "waypost" section is missing')
        reasons = fhir_problems({k: v for k, v in data.items() if k != "waypost"})
        raise_all([problem(reason) for reason in reasons], data)
        return data

    @property
    def link_ids(self) -> tuple[str, ...]:
        return tuple(item.linkId for item in self.item)

    @property
    def loinc(self) -> str:
        """The questionnaire's LOINC code, or ``""``."""
        return next((c.code for c in self.code if "loinc" in c.system), "")

    def _rules(self) -> list[tuple[tuple[Any, ...], ScoringRule]]:
        rules: list[tuple[tuple[Any, ...], ScoringRule]] = [
            (("waypost", "scoring"), self.waypost.scoring)
        ]
        for position, subscale in enumerate(self.waypost.subscales):
            rules.append((("waypost", "subscales", position), subscale))
        return rules

    @model_validator(mode="after")
    def _parts_fit_together(self) -> InstrumentFile:
        # Every problem is told at once. The instrument can only be built from items
        # and rules that are known good, so the checks that need it wait for those.
        problems = [*self._items_problems(), *self._rules_problems()]
        if not problems:
            problems = [
                *self._range_problems(),
                *self._band_problems(),
                *self._screen_problems(),
                *self._critical_item_problems(),
                *self._norm_and_standard_problems(),
            ]
        raise_all(problems, self)
        return self

    def _items_problems(self) -> Iterator[PydanticCustomError]:
        if not self.item:
            yield problem_about("the questionnaire has no items", ("item",))
        twice = repeated(self.link_ids)
        if twice:
            yield problem_about(
                f"linkId used more than once: {', '.join(sorted(twice))}", ("item",)
            )

    def _rules_problems(self) -> Iterator[PydanticCustomError]:
        for at, rule in self._rules():
            unknown = rule.unknown_items(self.link_ids)
            if unknown:
                yield problem(f"unknown or unscored items {', '.join(unknown)}", at=at)
                continue
            items = rule.scored_items(self.link_ids)
            if rule.method == "mean" and sum(rule.weights.get(x, 1) for x in items) == 0:
                yield problem("the weights of a mean must not add up to 0", at=at)

    def _range_problems(self) -> Iterator[PydanticCustomError]:
        instrument = self.instrument
        low, high = instrument.range
        declared = self.waypost.scoring.range
        if declared is not None and list(declared) != [low, high]:
            yield problem_about(
                f"scoring.range says {list(declared)} but the items give [{low}, {high}]",
                ("waypost", "scoring", "range"),
            )
        for position, (spec, subscale) in enumerate(
            zip(self.waypost.subscales, instrument.subscales, strict=True)
        ):
            bounds = list(subscale.rule.bounds(instrument))
            if spec.range is not None and list(spec.range) != bounds:
                yield problem(
                    f"range says {list(spec.range)} but the items give {bounds}",
                    at=("waypost", "subscales", position),
                )

    def _band_problems(self) -> Iterator[PydanticCustomError]:
        instrument = self.instrument
        if not instrument.bands:
            return
        low, high = instrument.range
        step = instrument.total.step
        ordered = sorted(instrument.bands, key=lambda b: b.min)
        if ordered[0].min != low:
            yield problem_about(
                f"bands start at {ordered[0].min}, but the lowest total is {low}", _BANDS
            )
        if ordered[-1].max != high:
            yield problem_about(
                f"bands end at {ordered[-1].max}, but the highest total is {high}", _BANDS
            )
        for before, after in zip(ordered, ordered[1:], strict=False):
            expected = round(before.max + step, 6)
            if after.min < expected:
                yield problem_about(f"bands {before.label!r} and {after.label!r} overlap", _BANDS)
            elif after.min > expected:
                yield problem_about(
                    f"gap between bands {before.label!r} and {after.label!r}: "
                    f"no band for {expected} to {round(after.min - step, 6)}",
                    _BANDS,
                )

    def _screen_problems(self) -> Iterator[PydanticCustomError]:
        instrument = self.instrument
        subscales = {s.id: s for s in instrument.subscales}
        for position, screen in enumerate(instrument.screens):
            at = ("waypost", "screens", position)
            if screen.subscale is None:
                bounds = instrument.range
            elif screen.subscale in subscales:
                bounds = subscales[screen.subscale].rule.bounds(instrument)
            else:
                yield problem("unknown subscale", at=at)
                continue
            for cut in (screen.min, screen.max):
                if cut is not None and not bounds[0] <= cut <= bounds[1]:
                    yield problem(f"cut-off {cut} is outside {list(bounds)}", at=at)

    def _critical_item_problems(self) -> Iterator[PydanticCustomError]:
        items = {item.link_id: item for item in self.instrument.items}
        for position, critical in enumerate(self.instrument.critical):
            at = ("waypost", "critical_items", position)
            item = items.get(critical.link_id)
            if item is None:
                yield problem("no such item", at=at)
            elif not item.low < critical.min_score <= item.high:
                yield problem(
                    "min_score must be above the lowest option's score and no higher than "
                    "the highest",
                    at=at,
                )

    def _norm_and_standard_problems(self) -> Iterator[PydanticCustomError]:
        instrument = self.instrument
        low, high = instrument.range
        for name, norm in (
            ("clinical", instrument.clinical_norm),
            ("general", instrument.general_norm),
        ):
            if norm is not None and not low <= norm.mean <= high:
                yield problem(
                    f"mean {norm.mean} is outside the total's range {low}–{high}",
                    at=("waypost", "norms", name),
                )
        for position, standard in enumerate(instrument.service_standards):
            at = ("waypost", "service_standards", position)
            if not low <= standard.caseness <= high:
                yield problem(
                    f"caseness {standard.caseness} is outside the total's range {low}–{high}",
                    at=at,
                )
            if not 0 < standard.reliable_change <= high - low:
                yield problem(
                    f"reliable_change must be above 0 and no more than {high - low}, "
                    "the width of the total's range",
                    at=at,
                )

    @cached_property
    def instrument(self) -> scoring.Instrument:
        """The instrument as scoring knows it (built once the items and rules are known good)."""
        section = self.waypost
        link_ids = self.link_ids
        norms = section.norms
        return scoring.Instrument(
            id=self.id,
            short_name=section.short_name,
            title=self.title,
            items=tuple(item.to_item() for item in self.item),
            total=section.scoring.to_rule(link_ids),
            subscales=tuple(
                scoring.Subscale(id=s.id, name=s.name, rule=s.to_rule(link_ids))
                for s in section.subscales
            ),
            bands=tuple(scoring.Band(min=b.min, max=b.max, label=b.label) for b in section.bands),
            screens=tuple(
                scoring.Screen(
                    flag=s.flag, label=s.label, min=s.min, max=s.max, subscale=s.subscale
                )
                for s in section.screens
            ),
            critical=tuple(
                scoring.CriticalItem(
                    link_id=c.item, min_score=c.min_score, action=c.action, label=c.label
                )
                for c in section.critical_items
            ),
            direction=section.direction,
            reliability=section.reliability.value,
            clinical_norm=norms.clinical.to_norm() if norms.clinical else None,
            general_norm=norms.general.to_norm() if norms.general else None,
            service_standards=tuple(
                scoring.ServiceStandard(
                    id=s.id,
                    name=s.name,
                    reliable_change=s.reliable_change,
                    caseness=s.caseness,
                    source=s.source,
                )
                for s in section.service_standards
            ),
        )
