"""Instrument files: one JSON file per questionnaire, checked before anything uses it.

Each file is an HL7 FHIR R5 ``Questionnaire`` (checked with ``fhir.resources``)
with one extra top-level member, ``"waypost"``, for what FHIR does not say:
the scoring rule, subscales, severity bands, screens, critical items,
reliability and norms for reliable change, service standards, recall period,
citation and licence. ``docs/instruments.md`` describes the format.

The files shipped with Waypost live beside this module in ``instruments/``;
a clinic adds its own by putting files in the directory named by
``WAYPOST_INSTRUMENTS_DIR``. This module reads them and keeps the
catalogue; what a file must hold is declared with pydantic in
``instrument_file.py`` (the whole file) and ``instrument_schema.py`` (its
parts). A file that breaks any rule stops start-up with an
:class:`InstrumentFileError` naming the file and the problem in plain words
(``instrument_problems.py``).

No Django here: the command line scores without a database.
"""

from __future__ import annotations

import json
import os
from collections.abc import Iterable
from dataclasses import dataclass, field
from functools import cache
from pathlib import Path
from typing import Any
from uuid import UUID

from pydantic import ValidationError

from waypost.assessments import scoring
from waypost.assessments.instrument_file import InstrumentFile
from waypost.assessments.instrument_problems import Problem, plain_problem, problems_in
from waypost.assessments.instrument_schema import ANSWERABLE_TYPES, ITEM_WEIGHT, LICENCE_USES
from waypost.assessments.scoring import Instrument

BUILTIN_DIR = Path(__file__).resolve().parent / "instruments"


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
    client_name: str = ""
    band_details: dict[str, str] = field(default_factory=dict)
    # The code for the total score (FHIR Observation.code), e.g. LOINC 44261-6 for PHQ-9.
    total_code: dict[str, str] | None = None
    # A questionnaire a clinic uploaded on the web: the stored version's id and number
    # (``assessments.models.ClinicInstrument``); None and 0 for files on disk.
    upload_id: UUID | None = None
    revision: int = 0

    @property
    def id(self) -> str:
        return self.instrument.id

    @property
    def plain_name(self) -> str:
        """The name a client reads: the file's ``client_name``, else its title."""
        return self.client_name or self.instrument.title

    @property
    def source(self) -> str:
        """Where the file came from: "built-in", its path, or "uploaded, version 2"."""
        if self.upload_id is not None:
            return f"uploaded, version {self.revision}"
        return "built-in" if self.path.parent == BUILTIN_DIR else str(self.path)

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
            "source": self.source,
        }


# --- reading one file ------------------------------------------------------------


def load_file(path: Path) -> Entry:
    """Read and check one instrument file; an :class:`InstrumentFileError` says what is wrong."""
    try:
        data = json.loads(path.read_text(encoding="utf-8"))
    except (OSError, UnicodeDecodeError) as exc:
        raise InstrumentFileError(path, f"cannot read the file: {exc}") from exc
    except json.JSONDecodeError as exc:
        raise InstrumentFileError(
            path, f"not valid JSON (line {exc.lineno}, column {exc.colno}: {exc.msg})"
        ) from exc
    try:
        declared = _check_rules(path, data)
        if path.stem != declared.id:
            raise InstrumentFileError(
                path, f'the file name must be the Questionnaire id ("{declared.id}")'
            )
        return _entry(path, data, declared)
    except InstrumentFileError:
        raise
    except Exception as exc:
        # A last resort: whatever went wrong, start-up must name the file.
        raise InstrumentFileError(
            path, f"the file could not be checked ({type(exc).__name__}: {exc})"
        ) from exc


def _check_rules(path: Path, data: Any) -> InstrumentFile:
    """The file checked against the format's declaration (:class:`InstrumentFile`)."""
    try:
        return InstrumentFile.model_validate(data)
    except ValidationError as exc:
        raise InstrumentFileError(path, plain_problem(exc, data)) from None


def validate(data: Any) -> tuple[InstrumentFile | None, list[Problem]]:
    """The file checked against the format: the declared file, or every problem in it."""
    try:
        return InstrumentFile.model_validate(data), []
    except ValidationError as exc:
        return None, problems_in(exc, data)


def entry_from(path: Path, data: dict[str, Any], declared: InstrumentFile) -> Entry:
    """The catalogue's entry for a file already checked (:func:`validate`)."""
    return _entry(path, data, declared)


def _entry(path: Path, data: dict[str, Any], declared: InstrumentFile) -> Entry:
    section = declared.waypost
    licence = section.licence
    return Entry(
        instrument=declared.instrument,
        questionnaire={k: v for k, v in data.items() if k != "waypost"},
        path=path,
        measures=section.measures,
        stem=section.stem,
        recall_period=section.recall_period,
        citation=section.citation,
        licence=Licence(
            summary=licence.summary,
            commercial_use=licence.commercial_use,
            electronic_use=licence.electronic_use,
            url=licence.url,
        ),
        loinc=declared.loinc,
        languages=tuple(section.languages),
        short_form_of=section.short_form_of,
        notes=section.notes,
        client_name=section.client_name,
        band_details={band.label: band.detail for band in section.bands},
        total_code=section.total_code.model_dump() if section.total_code else None,
    )


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
    "ANSWERABLE_TYPES",
    "BUILTIN_DIR",
    "Entry",
    "ITEM_WEIGHT",
    "InstrumentFileError",
    "LICENCE_USES",
    "Licence",
    "catalog",
    "entry_from",
    "get",
    "load_directories",
    "load_file",
    "scoring",
    "validate",
]
