"""An instrument file as a whole: a FHIR Questionnaire whose parts fit together.

:class:`InstrumentFile` declares the file (its parts are in
``instrument_schema.py``). It checks the FHIR part with ``fhir.resources``
before anything else, then, in ``model_validator``s, the rules that look
across parts: linkIds used once, scoring rules and critical items that name
real items, declared ranges that match what the items can give, bands that
cover the total's range with no gap or overlap, and cut-offs, norms and
service standards inside that range. A valid file becomes a
:class:`waypost.assessments.scoring.Instrument` through
:attr:`InstrumentFile.instrument`.

No Django here: the command line checks files without a database.
"""

from __future__ import annotations

from functools import cached_property
from typing import Any

from pydantic import ValidationError, model_validator

from waypost.assessments import scoring
from waypost.assessments.instrument_schema import (
    Coding,
    Part,
    QuestionItem,
    ScoringRule,
    WaypostSection,
)
from waypost.core.file_schema import Text, problem, repeated


def fhir_problem(questionnaire: dict[str, Any]) -> str | None:
    """Why the FHIR part is not a valid FHIR R5 Questionnaire (the first reason), or None."""
    from fhir.resources.questionnaire import Questionnaire

    try:
        Questionnaire.model_validate(questionnaire)
    except ValidationError as exc:
        first = exc.errors()[0]
        where = ".".join(str(part) for part in first["loc"])
        return f"not a valid FHIR Questionnaire: {where}: {first['msg']}"
    return None


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
        reason = fhir_problem({k: v for k, v in data.items() if k != "waypost"})
        if reason:
            raise problem(reason)
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
    def _has_items(self) -> InstrumentFile:
        if not self.item:
            raise problem("the questionnaire has no items")
        return self

    @model_validator(mode="after")
    def _link_ids_are_unique(self) -> InstrumentFile:
        twice = repeated(self.link_ids)
        if twice:
            raise problem(f"linkId used more than once: {', '.join(sorted(twice))}")
        return self

    @model_validator(mode="after")
    def _rules_score_real_items(self) -> InstrumentFile:
        for at, rule in self._rules():
            unknown = rule.unknown_items(self.link_ids)
            if unknown:
                raise problem(f"unknown or unscored items {', '.join(unknown)}", at=at)
            items = rule.scored_items(self.link_ids)
            if rule.method == "mean" and sum(rule.weights.get(x, 1) for x in items) == 0:
                raise problem("the weights of a mean must not add up to 0", at=at)
        return self

    @model_validator(mode="after")
    def _declared_ranges_are_right(self) -> InstrumentFile:
        instrument = self.instrument
        low, high = instrument.range
        declared = self.waypost.scoring.range
        if declared is not None and list(declared) != [low, high]:
            raise problem(f"scoring.range says {list(declared)} but the items give [{low}, {high}]")
        for position, (spec, subscale) in enumerate(
            zip(self.waypost.subscales, instrument.subscales, strict=True)
        ):
            bounds = list(subscale.rule.bounds(instrument))
            if spec.range is not None and list(spec.range) != bounds:
                raise problem(
                    f"range says {list(spec.range)} but the items give {bounds}",
                    at=("waypost", "subscales", position),
                )
        return self

    @model_validator(mode="after")
    def _bands_cover_the_range(self) -> InstrumentFile:
        instrument = self.instrument
        if not instrument.bands:
            return self
        low, high = instrument.range
        step = instrument.total.step
        ordered = sorted(instrument.bands, key=lambda b: b.min)
        if ordered[0].min != low:
            raise problem(f"bands start at {ordered[0].min}, but the lowest total is {low}")
        if ordered[-1].max != high:
            raise problem(f"bands end at {ordered[-1].max}, but the highest total is {high}")
        for before, after in zip(ordered, ordered[1:], strict=False):
            expected = round(before.max + step, 6)
            if after.min < expected:
                raise problem(f"bands {before.label!r} and {after.label!r} overlap")
            if after.min > expected:
                raise problem(
                    f"gap between bands {before.label!r} and {after.label!r}: "
                    f"no band for {expected} to {round(after.min - step, 6)}"
                )
        return self

    @model_validator(mode="after")
    def _screens_cut_inside_their_range(self) -> InstrumentFile:
        instrument = self.instrument
        subscales = {s.id: s for s in instrument.subscales}
        for position, screen in enumerate(instrument.screens):
            at = ("waypost", "screens", position)
            if screen.subscale is None:
                bounds = instrument.range
            elif screen.subscale in subscales:
                bounds = subscales[screen.subscale].rule.bounds(instrument)
            else:
                raise problem("unknown subscale", at=at)
            for cut in (screen.min, screen.max):
                if cut is not None and not bounds[0] <= cut <= bounds[1]:
                    raise problem(f"cut-off {cut} is outside {list(bounds)}", at=at)
        return self

    @model_validator(mode="after")
    def _critical_items_are_real_answers(self) -> InstrumentFile:
        items = {item.link_id: item for item in self.instrument.items}
        for position, critical in enumerate(self.instrument.critical):
            at = ("waypost", "critical_items", position)
            item = items.get(critical.link_id)
            if item is None:
                raise problem("no such item", at=at)
            if not item.low < critical.min_score <= item.high:
                raise problem(
                    "min_score must be above the lowest option's score and no higher than "
                    "the highest",
                    at=at,
                )
        return self

    @model_validator(mode="after")
    def _norms_and_standards_fit_the_range(self) -> InstrumentFile:
        instrument = self.instrument
        low, high = instrument.range
        for name, norm in (
            ("clinical", instrument.clinical_norm),
            ("general", instrument.general_norm),
        ):
            if norm is not None and not low <= norm.mean <= high:
                raise problem(
                    f"mean {norm.mean} is outside the total's range {low}–{high}",
                    at=("waypost", "norms", name),
                )
        for position, standard in enumerate(instrument.service_standards):
            at = ("waypost", "service_standards", position)
            if not low <= standard.caseness <= high:
                raise problem(
                    f"caseness {standard.caseness} is outside the total's range {low}–{high}",
                    at=at,
                )
            if not 0 < standard.reliable_change <= high - low:
                raise problem(
                    f"reliable_change must be above 0 and no more than {high - low}, "
                    "the width of the total's range",
                    at=at,
                )
        return self

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
