"""The parts of an instrument file, declared: the items and the ``waypost`` section.

An instrument file is an HL7 FHIR R5 ``Questionnaire`` with one extra
top-level member, ``"waypost"``, for what FHIR does not say. The models here
declare the parts Waypost reads: each field's type and limits, and, in
``model_validator``s, the rules inside one part (a score on every option,
options that score apart, a band's min not above its max, one subscale per
id, one band per label, one screen per flag, one service standard per id).
The whole file, and the rules that look across its parts, are in
``instrument_file.py``; how a problem is told to the person fixing the file
is in ``instrument_problems.py``; ``docs/instruments.md`` describes the
format for people.

No Django here: the command line checks files without a database.
"""

from __future__ import annotations

from collections.abc import Sequence
from typing import Annotated, Any, Literal, get_args

from pydantic import (
    AfterValidator,
    BaseModel,
    ConfigDict,
    Field,
    StrictInt,
    StrictStr,
    ValidationError,
    model_validator,
)
from pydantic_core import InitErrorDetails, PydanticCustomError

from waypost.assessments import scoring
from waypost.core.file_schema import (
    PROBLEM,
    Number,
    PlainText,
    Text,
    above,
    between,
    checked_first,
    explained,
    invalid,
    is_list_of_objects,
    is_number,
    problem,
    repeated,
)

ITEM_WEIGHT = "http://hl7.org/fhir/StructureDefinition/itemWeight"
AnswerableType = Literal["choice", "coding", "decimal", "integer"]
LicenceUse = Literal["free", "free-with-attribution", "permission-required", "restricted"]
Direction = scoring.Direction
ANSWERABLE_TYPES = set(get_args(AnswerableType))
LICENCE_USES = set(get_args(LicenceUse))

ObjectList = checked_first(is_list_of_objects, "must be a list of objects")
LinkIds = Annotated[list[StrictStr], explained("must be a list of linkIds")]


def problem_about(sentence: str, part: tuple[int | str, ...]) -> PydanticCustomError:
    """A problem told as a sentence of its own, found at ``part`` of the file (its JSON
    path is shown beside it): "bands end at 26, but the highest total is 27"."""
    return PydanticCustomError(PROBLEM, "{text}", {"text": sentence, "at": (), "path": part})


def raise_all(problems: Sequence[PydanticCustomError], value: Any) -> None:
    """Raise every one of ``problems`` at once (nothing if there are none).

    A validator that finds several mistakes tells them all, each at its own place:
    the person fixing the file should not have to upload it once per mistake.
    """
    if len(problems) == 1:
        raise problems[0]
    if problems:
        raise ValidationError.from_exception_data(
            "instrument file",
            [InitErrorDetails(type=each, loc=(), input=value) for each in problems],
        )


class Part(BaseModel):
    """A part of the file. Keys Waypost does not read are left alone (FHIR has many)."""

    model_config = ConfigDict(extra="ignore")


# --- the FHIR part: items and their scored options -------------------------------------


class Coding(Part):
    system: str = ""
    code: str = ""
    display: str = ""


class AnswerOption(Part):
    """One answer to an item; its score is the FHIR ``itemWeight`` extension."""

    valueCoding: Coding | None = None
    valueInteger: StrictInt | None = None
    extension: list[dict[str, Any]] = []

    @model_validator(mode="after")
    def _has_one_score(self) -> AnswerOption:
        if self.valueCoding is None and self.valueInteger is None:
            raise invalid("needs valueCoding or valueInteger")
        if self.score is None:
            raise invalid("has no score (itemWeight)")
        return self

    @property
    def score(self) -> scoring.Number | None:
        """The single itemWeight (or, for an integer answer without one, the integer)."""
        weights = [
            extension.get("valueDecimal", extension.get("valueInteger"))
            for extension in self.extension
            if extension.get("url") == ITEM_WEIGHT
        ]
        if self.valueInteger is not None and not weights:
            weights = [self.valueInteger]
        return weights[0] if len(weights) == 1 and is_number(weights[0]) else None

    def to_option(self) -> scoring.Option:
        score = self.score
        assert score is not None  # ``_has_one_score`` refuses an option without one
        if self.valueCoding is not None:
            code, display = self.valueCoding.code, self.valueCoding.display
        else:
            code = display = str(self.valueInteger)
        return scoring.Option(code=code, display=display, score=score)


class QuestionItem(Part):
    """One question, with at least two options that score differently."""

    linkId: Text
    type: Annotated[
        AnswerableType, explained(f"must be one of {', '.join(sorted(ANSWERABLE_TYPES))}")
    ]
    text: Text
    answerOption: list[AnswerOption] = []

    @model_validator(mode="after")
    def _options_score_apart(self) -> QuestionItem:
        if len(self.answerOption) < 2:
            raise problem("needs at least two answer options")
        if repeated(option.score for option in self.answerOption):
            raise problem("two options have the same score")
        return self

    def to_item(self) -> scoring.Item:
        options = tuple(option.to_option() for option in self.answerOption)
        return scoring.Item(link_id=self.linkId, text=self.text, options=options)


# --- the waypost part ---------------------------------------------------------------


def _listed_once(items: list[str] | None) -> list[str] | None:
    # No "items" means every item; an empty list is a mistake, not "every item".
    if items is None:
        return None
    if not items:
        raise invalid("must not be empty")
    twice = repeated(items)
    if twice:
        raise invalid(f"listed more than once: {', '.join(twice)}")
    return items


class ScoringRule(Part):
    """How item scores become the total (``scoring``) or a subscale."""

    items: Annotated[LinkIds | None, AfterValidator(_listed_once)] = None
    reverse: LinkIds = []
    weights: Annotated[
        dict[str, Number],
        checked_first(lambda value: isinstance(value, dict), "must be an object of linkId: number"),
    ] = {}
    method: Annotated[Literal["sum", "mean"], explained('must be "sum" or "mean"')] = "sum"
    decimals: Annotated[
        StrictInt, Field(ge=0, le=4), explained("must be a whole number from 0 to 4")
    ] = 0
    multiply: Annotated[Number, above(0), explained("must be a number above 0")] = 1
    range: Annotated[tuple[Number, Number], explained("must be [lowest, highest]")] | None = None

    def scored_items(self, link_ids: tuple[str, ...]) -> tuple[str, ...]:
        return tuple(self.items) if self.items is not None else link_ids

    def unknown_items(self, link_ids: tuple[str, ...]) -> list[str]:
        """Items the rule names that the questionnaire has not, or that it does not score."""
        items = self.scored_items(link_ids)
        return (
            [x for x in items if x not in link_ids]
            + [x for x in self.reverse if x not in items]
            + [x for x in self.weights if x not in items]
        )

    def to_rule(self, link_ids: tuple[str, ...]) -> scoring.Rule:
        return scoring.Rule(
            items=self.scored_items(link_ids),
            method=self.method,
            weights=dict(self.weights),
            reverse=frozenset(self.reverse),
            multiply=self.multiply,
            decimals=self.decimals,
        )


class SubscaleRule(ScoringRule):
    id: Text
    name: Text


class BandSpec(Part):
    min: Number
    max: Number
    label: Text
    detail: PlainText = ""

    @model_validator(mode="after")
    def _min_not_above_max(self) -> BandSpec:
        if self.min > self.max:
            raise problem("min is above max")
        return self


class ScreenSpec(Part):
    flag: Text
    label: Text
    min: Number | None = None
    max: Number | None = None
    subscale: Text | None = None

    @model_validator(mode="after")
    def _has_a_cut_off(self) -> ScreenSpec:
        if self.min is None and self.max is None:
            raise problem("needs a cut-off: min, max or both")
        return self


class CriticalItemSpec(Part):
    item: Text
    min_score: Number
    action: Annotated[Literal["crisis", "review"], explained('must be "crisis" or "review"')] = (
        "crisis"
    )
    label: Text


class ReliabilitySpec(Part):
    value: Annotated[Number, between(0, 1)] | None = None


class NormSpec(Part):
    mean: Number
    sd: Annotated[Number, above(0)]
    source: PlainText = ""

    def to_norm(self) -> scoring.Norm:
        return scoring.Norm(mean=float(self.mean), sd=float(self.sd), source=self.source)


class NormsSpec(Part):
    clinical: NormSpec | None = None
    general: NormSpec | None = None


class ServiceStandardSpec(Part):
    id: Text
    name: Text
    reliable_change: Number
    caseness: Number
    source: PlainText = ""


class LicenceSpec(Part):
    summary: Text
    commercial_use: Annotated[
        LicenceUse, explained(f"must be one of {', '.join(sorted(LICENCE_USES))}")
    ]
    electronic_use: Annotated[
        LicenceUse, explained(f"must be one of {', '.join(sorted(LICENCE_USES))}")
    ]
    url: PlainText = ""


def _a_uri(system: str) -> str:
    if not system.startswith(("http://", "https://", "urn:")):
        raise invalid("must be a URI (e.g. http://loinc.org)")
    return system


class TotalCode(Part):
    """The code for the total score's FHIR Observation, e.g. LOINC 44261-6 for PHQ-9."""

    system: Annotated[Text, AfterValidator(_a_uri)]
    code: Text
    display: Text


class WaypostSection(Part):
    """What FHIR does not say: scoring, bands, flags, change, citation and licence.

    Unlike the FHIR parts, an unknown key here is refused: it is most likely a
    misspelling (``critical_item``) that would otherwise silently drop a rule,
    and a dropped critical item means a crisis answer that alerts nobody.
    """

    model_config = ConfigDict(extra="forbid")

    short_name: Text
    # What a client sees instead of the code and title: "Mood questionnaire", not "PHQ-9".
    client_name: PlainText = ""
    measures: Text
    stem: PlainText = ""
    recall_period: PlainText = ""
    direction: Annotated[
        Direction, explained('must be "higher_is_worse" or "higher_is_better"')
    ] = "higher_is_worse"
    languages: Annotated[list[StrictStr], explained("must be a list of language codes")] = ["en"]
    scoring: ScoringRule
    total_code: TotalCode | None = None
    subscales: Annotated[list[SubscaleRule], ObjectList] = []
    bands: Annotated[list[BandSpec], ObjectList] = []
    screens: Annotated[list[ScreenSpec], ObjectList] = []
    critical_items: Annotated[list[CriticalItemSpec], ObjectList] = []
    reliability: ReliabilitySpec = ReliabilitySpec()
    norms: NormsSpec = NormsSpec()
    service_standards: Annotated[list[ServiceStandardSpec], ObjectList] = []
    short_form_of: PlainText = ""
    citation: Text
    licence: LicenceSpec
    notes: PlainText = ""

    @model_validator(mode="after")
    def _names_are_unique(self) -> WaypostSection:
        # Each is how a result points at one of them: two with one name would be one.
        problems = []
        for what, name, values in (
            ("subscales", "id", [s.id for s in self.subscales]),
            ("bands", "label", [b.label for b in self.bands]),
            ("screens", "flag", [s.flag for s in self.screens]),
            ("service standards", "id", [s.id for s in self.service_standards]),
        ):
            twice = repeated(values)
            if twice:
                problems.append(problem(f"two {what} have the same {name} ({', '.join(twice)})"))
        raise_all(problems, self)
        return self
