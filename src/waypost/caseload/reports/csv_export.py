"""The whole record as CSV: a ZIP with one table per file, made from the JSON export's data.

Every list of rows in the JSON document (``record_export.document``) becomes a file:
the clinician's tables (``timeline.csv``, ``stage_history.csv``, ``risk_alerts.csv``,
``measures.csv``, ``session_notes.csv`` when there are notes) and each table the
client's own sections hold (``check_ins.csv``, ``urges.csv``, ``questionnaires.csv``
…; a name two sections share gets the section's key in front). A section's single
values (the profile) make a table of one row. A file starts with a header row of the
JSON's keys; a value that is itself a list of plain values is joined with "; ", and
anything deeper is written as JSON text in its cell.

The files are UTF-8 with a byte-order mark, so spreadsheet programs read names such
as "Zoë" or "李" right. A text cell that starts with ``=``, ``+``, ``-``, ``@``, a tab
or a carriage return is prefixed with ``'``, so a spreadsheet shows it as text and
never runs it as a formula (CSV injection). The FHIR resources stay in the JSON.
"""

from __future__ import annotations

import csv
import io
import json
import re
import zipfile
from collections.abc import Iterator, Mapping
from datetime import datetime
from typing import Any

from django.utils import timezone

#: The first characters that make a spreadsheet read a cell as a formula.
FORMULA_START = ("=", "+", "-", "@", "\t", "\r")


def neutralise(value: Any) -> Any:
    """A cell as it is safe to open in a spreadsheet: formula-like text gets a ``'`` first."""
    if isinstance(value, str) and value.startswith(FORMULA_START):
        return "'" + value
    return value


def _cell(value: Any) -> Any:
    if value is None:
        return ""
    if isinstance(value, bool):
        return "true" if value else "false"
    if isinstance(value, float) and value.is_integer():
        return int(value)  # a score of 16, not 16.0
    if isinstance(value, list | tuple) and all(not isinstance(v, Mapping | list) for v in value):
        return "; ".join("" if v is None else str(v) for v in value)
    if isinstance(value, Mapping | list | tuple):
        return json.dumps(value, ensure_ascii=False, sort_keys=True)
    return value


def _is_rows(value: Any) -> bool:
    return isinstance(value, list) and bool(value) and all(isinstance(v, Mapping) for v in value)


def _is_scalar(value: Any) -> bool:
    return not isinstance(value, Mapping | list)


def tables(data: Any, name: str) -> Iterator[tuple[str, list[Mapping[str, Any]]]]:
    """Each table in ``data``: (its name, its rows), depth first.

    A list of mappings is a table; a mapping's plain values make a table of one row,
    and its other values are searched in turn (their names joined with "-").
    """
    if _is_rows(data):
        yield name, data
    elif isinstance(data, Mapping):
        plain = {k: v for k, v in data.items() if _is_scalar(v)}
        if plain:
            yield name, [plain]
        for key, value in data.items():
            if not _is_scalar(value):
                yield from tables(value, f"{name}-{key}" if name else str(key))


def write_csv(rows: list[Mapping[str, Any]]) -> bytes:
    """The rows as CSV text: a header row of every key (in the order met), then the rows."""
    columns: list[str] = []
    for row in rows:
        columns.extend(str(k) for k in row if str(k) not in columns)
    out = io.StringIO()
    writer = csv.writer(out, lineterminator="\r\n")
    writer.writerow([neutralise(c) for c in columns])
    for row in rows:
        writer.writerow([neutralise(_cell(row.get(c))) for c in columns])
    return out.getvalue().encode("utf-8-sig")


def _file_name(name: str) -> str:
    return re.sub(r"[^a-z0-9_-]+", "_", name.lower()).strip("_-") or "table"


def files(document: Mapping[str, Any]) -> list[tuple[str, bytes]]:
    """(file name, CSV bytes) for every table of the record's document, record first."""
    found: list[tuple[str, list[Mapping[str, Any]], str]] = []
    for key, rows in document.get("record", {}).items():
        if _is_rows(rows):
            found.append((key, rows, "record"))
    used: set[str] = set()
    out = []
    for name, rows, section in found:
        file_name = _file_name(name)
        if file_name in used:
            file_name = _file_name(f"{section}-{name}")
        n = 2
        base = file_name
        while file_name in used:
            file_name, n = f"{base}-{n}", n + 1
        used.add(file_name)
        out.append((f"{file_name}.csv", write_csv(rows)))
    return out


def build_zip(document: Mapping[str, Any], *, now: datetime) -> bytes:
    """The ZIP of CSV files, in memory (one client's record is small)."""
    stamp = timezone.localtime(now).timetuple()[:6]
    buffer = io.BytesIO()
    with zipfile.ZipFile(buffer, "w", compression=zipfile.ZIP_DEFLATED) as archive:
        for name, content in files(document):
            info = zipfile.ZipInfo(name, date_time=stamp)
            info.compress_type = zipfile.ZIP_DEFLATED
            info.external_attr = 0o600 << 16  # private to whoever unpacks it
            archive.writestr(info, content)
    return buffer.getvalue()
