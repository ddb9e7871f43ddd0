"""Which questionnaires a clinic has: the installed ones and its own published uploads.

The installed questionnaires (``catalog``: Waypost's own and the folder named by
``WAYPOST_INSTRUMENTS_DIR``) are every clinic's. A clinic's own questionnaires
(``models.ClinicInstrument``, uploaded on the web) are that clinic's only, and
only once published. Every page and service that asks "which questionnaires
can be given here?" asks :func:`available` or :func:`current`; a form or an
assignment knows its questionnaire through :func:`entry_of` (its ``.entry``),
which resolves a clinic's questionnaire to the exact version the form was
opened with, never to a newer one.

Uploaded versions never change, so each is parsed once per process and kept
(by its UUID, which is never reused). A clinic with no uploads costs no query:
the installed questionnaires are looked up first.
"""

from __future__ import annotations

import json
import logging
import threading
from dataclasses import replace
from pathlib import Path
from uuid import UUID

from waypost.assessments import catalog
from waypost.assessments.catalog import Entry
from waypost.assessments.models import ClinicInstrument

log = logging.getLogger(__name__)

# Parsed versions, by id. Bounded so a process never grows without end; cleared when full.
_MAX_CACHED = 2000
_parsed: dict[UUID, Entry | None] = {}
_lock = threading.Lock()


def forget() -> None:
    """Drop every parsed version (tests; nothing else needs to: versions never change)."""
    with _lock:
        _parsed.clear()


def parse(version: ClinicInstrument) -> Entry | None:
    """The entry for a stored version (None, logged, if it no longer passes the checks).

    A version was checked when it was uploaded; a later Waypost may check more
    strictly. Such a file is not used for anything new, and forms already scored
    keep their stored scores.
    """
    try:
        data = json.loads(version.content)
        declared, problems = catalog.validate(data)
    except (ValueError, RecursionError):
        declared, problems = None, []
    if declared is None:
        log.error(
            "clinic questionnaire %s version %d no longer passes the checks: %s",
            version.instrument_id,
            version.revision,
            "; ".join(p.text for p in problems) or "not JSON",
        )
        return None
    entry = catalog.entry_from(Path("uploaded") / f"{version.instrument_id}.json", data, declared)
    return replace(entry, upload_id=version.pk, revision=version.revision)


def _remember(version_id: UUID, entry: Entry | None) -> Entry | None:
    with _lock:
        if len(_parsed) >= _MAX_CACHED:
            _parsed.clear()
        _parsed[version_id] = entry
    return entry


def version_entry(version_id: UUID | str, version: ClinicInstrument | None = None) -> Entry | None:
    """The entry of one uploaded version: parsed once per process, then from memory."""
    key = version_id if isinstance(version_id, UUID) else UUID(str(version_id))
    if key in _parsed:
        return _parsed[key]
    if version is None:
        version = ClinicInstrument.objects.filter(pk=key).first()
        if version is None:
            return None
    return _remember(key, parse(version))


def entry_of(instrument_id: str, version_id: UUID | None) -> Entry | None:
    """What a form or an assignment is about: its uploaded version, or the installed file."""
    if version_id is not None:
        return version_entry(version_id)
    return catalog.get(instrument_id)


def _published(clinic_id: int, instrument_id: str | None = None) -> list[ClinicInstrument]:
    """The clinic's published versions (without their content until it is needed)."""
    rows = ClinicInstrument.objects.filter(
        clinic_id=clinic_id, status=ClinicInstrument.Status.PUBLISHED
    )
    if instrument_id is not None:
        rows = rows.filter(instrument_id=instrument_id)
    return list(rows.defer("content", "examples").order_by("instrument_id"))


def _entries(versions: list[ClinicInstrument]) -> dict[str, Entry]:
    """The entries of these versions, by instrument id; their files read in one query."""
    missing = [v.pk for v in versions if v.pk not in _parsed]
    if missing:
        for full in ClinicInstrument.objects.filter(pk__in=missing):
            _remember(full.pk, parse(full))
    out: dict[str, Entry] = {}
    for version in versions:
        entry = _parsed.get(version.pk)
        if entry is not None:
            out[version.instrument_id] = entry
    return out


def own(clinic_id: int) -> dict[str, Entry]:
    """The clinic's own published questionnaires, by id."""
    return _entries(_published(clinic_id))


def available(clinic_id: int | None) -> dict[str, Entry]:
    """Everything that can be given to a client of this clinic: installed ones first."""
    entries = dict(catalog.catalog())
    if clinic_id is None:
        return entries
    for instrument_id, entry in own(clinic_id).items():
        entries.setdefault(instrument_id, entry)
    return entries


def current(instrument_id: str, clinic_id: int | None) -> Entry | None:
    """The questionnaire a new form of ``instrument_id`` uses in this clinic, or None.

    An installed questionnaire needs no query; a clinic's own one is its published
    version (none once withdrawn).
    """
    entry = catalog.get(instrument_id)
    if entry is not None or clinic_id is None:
        return entry
    return _entries(_published(clinic_id, instrument_id)).get(instrument_id)
