"""Instrument files: one JSON file per questionnaire, checked before anything uses it.

Each file is an HL7 FHIR R5 ``Questionnaire`` (checked with ``fhir.resources``)
with one extra top-level member, ``"waypost"``, for what FHIR does not say:
the scoring rule, subscales, severity bands, screens, critical items,
reliability and norms for reliable change, service standards, recall period,
citation and licence. ``docs/instruments.md`` describes the format.

The files shipped with Waypost live beside this module in ``instruments/``;
a clinic adds its own by putting files in the directory named by
``WAYPOST_INSTRUMENTS_DIR``. A file that breaks any rule stops start-up with
an :class:`InstrumentFileError` naming the file and the problem.

No Django here: the command line scores without a database.
"""

from __future__ import annotations

import json
import math
import os
from collections.abc import Iterable
from dataclasses import dataclass, field
from functools import cache
from pathlib import Path
from typing import Any

from waypost.assessments import scoring
from waypost.assessments.scoring import (
    Band,
    CriticalItem,
    Instrument,
    Item,
    Norm,
    Option,
    Rule,
    Screen,
    ServiceStandard,
    Subscale,
)

BUILTIN_DIR = Path(__file__).resolve().parent / "instruments"
ITEM_WEIGHT = "http://hl7.org/fhir/StructureDefinition/itemWeight"
ANSWERABLE_TYPES = {"coding", "choice", "integer", "decimal"}
LICENCE_USES = {"free", "free-with-attribution", "permission-required", "restricted"}


class InstrumentFileError(Exception):
    def __init__(self, path: Path | str, problem: str) -> None:
        super().__init__(f"{path}: {problem}")
        self.path = Path(path)
        self.problem = problem


@dataclass(frozen=True)
class Licence:
    summary: str
    commercial_use: str
    electronic_use: str
    url: str = ""


@dataclass(frozen=True)
class Entry:
    """An instrument with everything people need to read about it."""

    instrument: Instrument
    questionnaire: dict[str, Any]  # the FHIR part, exactly as in the file
    path: Path
    measures: str
    stem: str
    recall_period: str
    citation: str
    licence: Licence
    loinc: str = ""
    languages: tuple[str, ...] = ("en",)
    short_form_of: str = ""
    notes: str = ""
    band_details: dict[str, str] = field(default_factory=dict)
    # The code for the total score (FHIR Observation.code), e.g. LOINC 44261-6 for PHQ-9.
    total_code: dict[str, str] | None = None

    @property
    def id(self) -> str:
        return self.instrument.id

    def summary(self) -> dict[str, Any]:
        low, high = self.instrument.range
        return {
            "id": self.id,
            "short_name": self.instrument.short_name,
            "title": self.instrument.title,
            "measures": self.measures,
            "items": len(self.instrument.items),
            "range": [low, high],
            "direction": self.instrument.direction,
            "subscales": [s.id for s in self.instrument.subscales],
            "bands": [
                {"min": b.min, "max": b.max, "label": b.label} for b in self.instrument.bands
            ],
            "flags": [c.flag for c in self.instrument.critical]
            + [s.flag for s in self.instrument.screens],
            "recall_period": self.recall_period,
            "loinc": self.loinc or None,
            "licence": {
                "commercial_use": self.licence.commercial_use,
                "electronic_use": self.licence.electronic_use,
            },
            "source": "built-in" if self.path.parent == BUILTIN_DIR else str(self.path),
        }


# --- reading one file ------------------------------------------------------------


def load_file(path: Path) -> Entry:
    try:
        data = json.loads(path.read_text(encoding="utf-8"))
    except (OSError, UnicodeDecodeError) as exc:
        raise InstrumentFileError(path, f"cannot read the file: {exc}") from exc
    except json.JSONDecodeError as exc:
        raise InstrumentFileError(
            path, f"not valid JSON (line {exc.lineno}, column {exc.colno}: {exc.msg})"
        ) from exc
    try:
        return _build(path, data)
    except InstrumentFileError:
        raise
    except (KeyError, TypeError, ValueError) as exc:
        raise InstrumentFileError(path, _plain_error(exc)) from exc
    except Exception as exc:
        # A last resort: whatever went wrong, start-up must name the file.
        raise InstrumentFileError(
            path, f"the file could not be checked ({type(exc).__name__}: {exc})"
        ) from exc


def _build(path: Path, data: Any) -> Entry:
    if not isinstance(data, dict):
        raise InstrumentFileError(path, "the file must hold one JSON object")
    if data.get("resourceType") != "Questionnaire":
        raise InstrumentFileError(path, 'resourceType must be "Questionnaire"')
    extra = data.get("waypost")
    if not isinstance(extra, dict):
        raise InstrumentFileError(path, 'the "waypost" section is missing')
    questionnaire = {k: v for k, v in data.items() if k != "waypost"}
    _check_fhir(path, questionnaire)
    ident = questionnaire.get("id", "")
    if path.stem != ident:
        raise InstrumentFileError(path, f'the file name must be the Questionnaire id ("{ident}")')

    items = tuple(_item(path, raw) for raw in questionnaire.get("item", []))
    if not items:
        raise InstrumentFileError(path, "the questionnaire has no items")
    link_ids = [item.link_id for item in items]
    duplicates = sorted({x for x in link_ids if link_ids.count(x) > 1})
    if duplicates:
        raise InstrumentFileError(path, f"linkId used more than once: {', '.join(duplicates)}")

    total = _rule(path, extra.get("scoring"), link_ids, "scoring")
    raw_bands = _objects(path, extra, "bands")
    subscales = tuple(
        Subscale(
            id=_text(path, raw, "id", "subscale"),
            name=_text(path, raw, "name", "subscale"),
            rule=_rule(path, raw, link_ids, f"subscale {raw.get('id')!r}"),
        )
        for raw in _objects(path, extra, "subscales")
    )
    subscale_ids = [s.id for s in subscales]
    if len(set(subscale_ids)) != len(subscale_ids):
        raise InstrumentFileError(path, "two subscales have the same id")

    direction = extra.get("direction", "higher_is_worse")
    if direction not in ("higher_is_worse", "higher_is_better"):
        raise InstrumentFileError(path, 'direction must be "higher_is_worse" or "higher_is_better"')
    norms = _object(path, extra, "norms")
    reliability = _object(path, extra, "reliability").get("value")
    if reliability is not None and not _is_number(reliability):
        raise InstrumentFileError(path, f"reliability.value must be a number, not {reliability!r}")
    for key in ("stem", "recall_period", "short_form_of", "notes"):
        if not isinstance(extra.get(key, ""), str):
            raise InstrumentFileError(path, f"{key} must be text")
    languages = extra.get("languages", ["en"])
    if not isinstance(languages, list) or not all(isinstance(x, str) for x in languages):
        raise InstrumentFileError(path, "languages must be a list of language codes")
    instrument = Instrument(
        id=ident,
        short_name=_text(path, extra, "short_name", "waypost"),
        title=questionnaire.get("title") or _text(path, extra, "short_name", "waypost"),
        items=items,
        total=total,
        subscales=subscales,
        bands=tuple(
            Band(
                min=_number(path, b, "min"),
                max=_number(path, b, "max"),
                label=_text(path, b, "label", "band"),
            )
            for b in raw_bands
        ),
        screens=tuple(
            Screen(
                flag=_text(path, s, "flag", "screen"),
                label=_text(path, s, "label", "screen"),
                min=_number(path, s, "min") if "min" in s or "max" not in s else None,
                max=_number(path, s, "max") if "max" in s else None,
                subscale=s.get("subscale"),
            )
            for s in _objects(path, extra, "screens")
        ),
        critical=tuple(
            CriticalItem(
                link_id=_text(path, c, "item", "critical item"),
                min_score=_number(path, c, "min_score"),
                action=c.get("action", "crisis"),
                label=_text(path, c, "label", "critical item"),
            )
            for c in _objects(path, extra, "critical_items")
        ),
        direction=direction,
        reliability=reliability,
        clinical_norm=_norm(path, norms.get("clinical"), "norms.clinical"),
        general_norm=_norm(path, norms.get("general"), "norms.general"),
        service_standards=tuple(
            ServiceStandard(
                id=_text(path, s, "id", "service standard"),
                name=_text(path, s, "name", "service standard"),
                reliable_change=_number(path, s, "reliable_change"),
                caseness=_number(path, s, "caseness"),
                source=s.get("source", ""),
            )
            for s in _objects(path, extra, "service_standards")
        ),
    )
    _check_rules(path, instrument, extra, subscale_ids)

    licence = extra.get("licence")
    if not isinstance(licence, dict):
        raise InstrumentFileError(path, 'the "licence" section is missing')
    for key in ("commercial_use", "electronic_use"):
        if licence.get(key) not in LICENCE_USES:
            raise InstrumentFileError(
                path, f"licence.{key} must be one of {', '.join(sorted(LICENCE_USES))}"
            )
    loinc = next(
        (
            c.get("code", "")
            for c in questionnaire.get("code", [])
            if "loinc" in c.get("system", "")
        ),
        "",
    )
    return Entry(
        instrument=instrument,
        questionnaire=questionnaire,
        path=path,
        measures=_text(path, extra, "measures", "waypost"),
        stem=extra.get("stem", ""),
        recall_period=extra.get("recall_period", ""),
        citation=_text(path, extra, "citation", "waypost"),
        licence=Licence(
            summary=_text(path, licence, "summary", "licence"),
            commercial_use=licence["commercial_use"],
            electronic_use=licence["electronic_use"],
            url=licence.get("url", ""),
        ),
        loinc=loinc,
        languages=tuple(languages),
        short_form_of=extra.get("short_form_of", ""),
        notes=extra.get("notes", ""),
        band_details={b["label"]: b.get("detail", "") for b in raw_bands},
        total_code=_total_code(path, extra.get("total_code")),
    )


def _check_fhir(path: Path, questionnaire: dict) -> None:
    from fhir.resources.questionnaire import Questionnaire
    from pydantic import ValidationError

    try:
        Questionnaire.model_validate(questionnaire)
    except ValidationError as exc:
        first = exc.errors()[0]
        where = ".".join(str(part) for part in first["loc"])
        raise InstrumentFileError(
            path, f"not a valid FHIR Questionnaire: {where}: {first['msg']}"
        ) from None
    for key in ("id", "status", "title"):
        if not questionnaire.get(key):
            raise InstrumentFileError(path, f"the Questionnaire needs {key!r}")


def _item(path: Path, raw: dict) -> Item:
    link_id = raw.get("linkId", "")
    if raw.get("type") not in ANSWERABLE_TYPES:
        raise InstrumentFileError(
            path, f"item {link_id}: type must be one of {', '.join(sorted(ANSWERABLE_TYPES))}"
        )
    if not raw.get("text"):
        raise InstrumentFileError(path, f"item {link_id}: the item has no text")
    options = []
    for position, answer in enumerate(raw.get("answerOption", []), start=1):
        coding = answer.get("valueCoding")
        if coding is not None:
            code, display = coding.get("code", ""), coding.get("display", "")
        elif "valueInteger" in answer:
            code = display = str(answer["valueInteger"])
        else:
            raise InstrumentFileError(
                path, f"item {link_id}, option {position}: needs valueCoding or valueInteger"
            )
        weights = [
            e.get("valueDecimal", e.get("valueInteger"))
            for e in answer.get("extension", [])
            if e.get("url") == ITEM_WEIGHT
        ]
        if "valueInteger" in answer and not weights:
            weights = [answer["valueInteger"]]
        if len(weights) != 1 or not _is_number(weights[0]):
            raise InstrumentFileError(
                path, f"item {link_id}, option {position} ({display!r}) has no score (itemWeight)"
            )
        options.append(Option(code=code, display=display, score=weights[0]))
    if len(options) < 2:
        raise InstrumentFileError(path, f"item {link_id}: needs at least two answer options")
    scores = [o.score for o in options]
    if len(set(scores)) != len(scores):
        raise InstrumentFileError(path, f"item {link_id}: two options have the same score")
    return Item(link_id=link_id, text=raw["text"], options=tuple(options))


def _rule(path: Path, raw: Any, link_ids: list[str], where: str) -> Rule:
    if not isinstance(raw, dict):
        raise InstrumentFileError(path, f"{where}: the scoring rule is missing")
    # No "items" means every item; an empty list is a mistake, not "every item".
    items = tuple(_link_ids(path, raw, "items", where, link_ids))
    if not items:
        raise InstrumentFileError(path, f"{where}: items must not be empty")
    repeated = sorted({x for x in items if items.count(x) > 1})
    if repeated:
        raise InstrumentFileError(
            path, f"{where}: items listed more than once: {', '.join(repeated)}"
        )
    reverse = _link_ids(path, raw, "reverse", where, [])
    weights = raw.get("weights", {})
    if not isinstance(weights, dict):
        raise InstrumentFileError(path, f"{where}: weights must be an object of linkId: number")
    unknown = [x for x in items if x not in link_ids]
    unknown += [x for x in reverse if x not in items]
    unknown += [x for x in weights if x not in items]
    if unknown:
        raise InstrumentFileError(path, f"{where}: unknown or unscored items {', '.join(unknown)}")
    for link_id, weight in weights.items():
        if not _is_number(weight):
            raise InstrumentFileError(
                path, f"{where}: the weight of {link_id} must be a number, not {weight!r}"
            )
    method = raw.get("method", "sum")
    if method not in ("sum", "mean"):
        raise InstrumentFileError(path, f'{where}: method must be "sum" or "mean"')
    if method == "mean" and sum(weights.get(x, 1) for x in items) == 0:
        raise InstrumentFileError(path, f"{where}: the weights of a mean must not add up to 0")
    decimals = raw.get("decimals", 0)
    if not isinstance(decimals, int) or isinstance(decimals, bool) or not 0 <= decimals <= 4:
        raise InstrumentFileError(path, f"{where}: decimals must be a whole number from 0 to 4")
    multiply = raw.get("multiply", 1)
    if not _is_number(multiply) or multiply <= 0:
        raise InstrumentFileError(path, f"{where}: multiply must be a number above 0")
    declared = raw.get("range")
    if declared is not None and (
        not isinstance(declared, list)
        or len(declared) != 2
        or not all(_is_number(x) for x in declared)
    ):
        raise InstrumentFileError(path, f"{where}: range must be [lowest, highest]")
    return Rule(
        items=items,
        method=method,
        weights=dict(weights),
        reverse=frozenset(reverse),
        multiply=multiply,
        decimals=decimals,
    )


def _link_ids(path: Path, raw: dict, key: str, where: str, default: list[str]) -> list[str]:
    value = raw.get(key)
    if value is None:
        return default
    if not isinstance(value, list) or not all(isinstance(x, str) for x in value):
        raise InstrumentFileError(path, f"{where}: {key} must be a list of linkIds")
    return value


def _check_rules(path: Path, instrument: Instrument, extra: dict, subscale_ids: list) -> None:
    low, high = instrument.range
    declared = extra["scoring"].get("range")
    if declared is not None and list(declared) != [low, high]:
        raise InstrumentFileError(
            path, f"scoring.range says {declared} but the items give [{low}, {high}]"
        )
    for subscale in instrument.subscales:
        sub_declared = next(
            (s.get("range") for s in extra.get("subscales", []) if s.get("id") == subscale.id),
            None,
        )
        bounds = list(subscale.rule.bounds(instrument))
        if sub_declared is not None and list(sub_declared) != bounds:
            raise InstrumentFileError(
                path, f"subscale {subscale.id}: range says {sub_declared} but items give {bounds}"
            )
    if instrument.bands:
        _check_bands(path, instrument.bands, low, high, instrument.total.step)
    for screen in instrument.screens:
        if screen.subscale is not None and screen.subscale not in subscale_ids:
            raise InstrumentFileError(path, f"screen {screen.flag}: unknown subscale")
        if screen.subscale is None:
            bounds = (low, high)
        else:
            rule = next(s for s in instrument.subscales if s.id == screen.subscale).rule
            bounds = rule.bounds(instrument)
        for cut in (screen.min, screen.max):
            if cut is not None and not bounds[0] <= cut <= bounds[1]:
                raise InstrumentFileError(
                    path, f"screen {screen.flag}: cut-off {cut} is outside {list(bounds)}"
                )
    for critical in instrument.critical:
        try:
            item = instrument.item(critical.link_id)
        except KeyError:
            raise InstrumentFileError(
                path, f"critical item {critical.link_id}: no such item"
            ) from None
        if not item.low < critical.min_score <= item.high:
            raise InstrumentFileError(
                path,
                f"critical item {critical.link_id}: min_score must be above the lowest "
                "option's score and no higher than the highest",
            )
        if critical.action not in ("crisis", "review"):
            raise InstrumentFileError(
                path, f'critical item {critical.link_id}: action must be "crisis" or "review"'
            )
    if instrument.reliability is not None and not 0 < instrument.reliability < 1:
        raise InstrumentFileError(path, "reliability.value must be between 0 and 1")
    low, high = instrument.range
    for name, norm in (
        ("clinical", instrument.clinical_norm),
        ("general", instrument.general_norm),
    ):
        if norm is None:
            continue
        if norm.sd <= 0:
            raise InstrumentFileError(path, f"norms.{name}: sd must be above 0")
        if not low <= norm.mean <= high:
            raise InstrumentFileError(
                path, f"norms.{name}: mean {norm.mean} is outside the total's range {low}–{high}"
            )
    for standard in instrument.service_standards:
        if not low <= standard.caseness <= high:
            raise InstrumentFileError(
                path,
                f"service standard {standard.id}: caseness {standard.caseness} "
                f"is outside the total's range {low}–{high}",
            )
        if not 0 < standard.reliable_change <= high - low:
            raise InstrumentFileError(
                path,
                f"service standard {standard.id}: reliable_change must be above 0 "
                f"and no more than {high - low}, the width of the total's range",
            )


def _check_bands(path: Path, bands: tuple[Band, ...], low, high, step) -> None:
    ordered = sorted(bands, key=lambda b: b.min)
    for band in ordered:
        if band.min > band.max:
            raise InstrumentFileError(path, f"band {band.label!r}: min is above max")
    if ordered[0].min != low:
        raise InstrumentFileError(
            path, f"bands start at {ordered[0].min}, but the lowest total is {low}"
        )
    if ordered[-1].max != high:
        raise InstrumentFileError(
            path, f"bands end at {ordered[-1].max}, but the highest total is {high}"
        )
    for before, after in zip(ordered, ordered[1:], strict=False):
        expected = round(before.max + step, 6)
        if after.min < expected:
            raise InstrumentFileError(path, f"bands {before.label!r} and {after.label!r} overlap")
        if after.min > expected:
            raise InstrumentFileError(
                path,
                f"gap between bands {before.label!r} and {after.label!r}: "
                f"no band for {expected} to {round(after.min - step, 6)}",
            )


def _norm(path: Path, raw: Any, where: str) -> Norm | None:
    if raw is None:
        return None
    if not isinstance(raw, dict):
        raise InstrumentFileError(path, f"{where} must be an object")
    return Norm(
        mean=float(_number(path, raw, "mean")),
        sd=float(_number(path, raw, "sd")),
        source=raw.get("source", ""),
    )


def _total_code(path: Path, raw: Any) -> dict[str, str] | None:
    """``{system, code, display}`` for the total score's Observation, or ``None``."""
    if raw is None:
        return None
    if not isinstance(raw, dict):
        raise InstrumentFileError(path, "total_code must be an object")
    code = {key: _text(path, raw, key, "total_code") for key in ("system", "code", "display")}
    if not code["system"].startswith(("http://", "https://", "urn:")):
        raise InstrumentFileError(path, "total_code.system must be a URI (e.g. http://loinc.org)")
    return code


def _object(path: Path, raw: dict, key: str) -> dict:
    """``raw[key]`` as a JSON object (empty when absent)."""
    value = raw.get(key, {})
    if not isinstance(value, dict):
        raise InstrumentFileError(path, f"{key} must be an object")
    return value


def _objects(path: Path, raw: dict, key: str) -> list[dict]:
    """``raw[key]`` as a list of JSON objects (empty when absent)."""
    value = raw.get(key, [])
    if not isinstance(value, list) or not all(isinstance(x, dict) for x in value):
        raise InstrumentFileError(path, f"{key} must be a list of objects")
    return value


def _text(path: Path, raw: dict, key: str, where: str) -> str:
    value = raw.get(key) if isinstance(raw, dict) else None
    if not isinstance(value, str) or not value.strip():
        raise InstrumentFileError(path, f"{where}: {key!r} is missing")
    return value


def _number(path: Path, raw: dict, key: str):
    value = raw.get(key)
    if not _is_number(value):
        raise InstrumentFileError(path, f"{key!r} must be a number, not {value!r}")
    return value


def _is_number(value: Any) -> bool:
    # json.loads accepts NaN and Infinity; neither is a score.
    if isinstance(value, bool) or not isinstance(value, int | float):
        return False
    return isinstance(value, int) or math.isfinite(value)


def _plain_error(exc: Exception) -> str:
    if isinstance(exc, KeyError):
        return f"{exc.args[0]!r} is missing"
    return str(exc)


# --- the catalogue ------------------------------------------------------------------


def directories() -> list[Path]:
    """Built-in instruments first, then the clinic's own (``WAYPOST_INSTRUMENTS_DIR``)."""
    dirs = [BUILTIN_DIR]
    extra = os.environ.get("WAYPOST_INSTRUMENTS_DIR", "").strip()
    if extra:
        dirs.append(Path(extra))
    return dirs


def load_directories(dirs: Iterable[Path]) -> dict[str, Entry]:
    entries: dict[str, Entry] = {}
    for directory in dirs:
        if not directory.is_dir():
            raise InstrumentFileError(directory, "the instruments directory does not exist")
        for path in sorted(directory.glob("*.json")):
            entry = load_file(path)
            if entry.id in entries:
                raise InstrumentFileError(
                    path, f"instrument {entry.id!r} is already defined in {entries[entry.id].path}"
                )
            entries[entry.id] = entry
    for entry in entries.values():
        if entry.short_form_of and entry.short_form_of not in entries:
            raise InstrumentFileError(
                entry.path, f"short_form_of names {entry.short_form_of!r}, which is not loaded"
            )
    return entries


@cache
def _cached(dirs: tuple[Path, ...]) -> dict[str, Entry]:
    return load_directories(dirs)


def catalog() -> dict[str, Entry]:
    """Every instrument, by id (loaded once per process and directory list)."""
    return _cached(tuple(directories()))


def get(instrument_id: str) -> Entry | None:
    return catalog().get(instrument_id)


__all__ = [
    "BUILTIN_DIR",
    "Entry",
    "InstrumentFileError",
    "Licence",
    "catalog",
    "get",
    "load_directories",
    "load_file",
    "scoring",
]
