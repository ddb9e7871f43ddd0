"""The documented example questionnaire, and a clinic's own questionnaire made ready.

Shared by the tests of a clinic's own questionnaires (``test_clinic_instruments*.py``,
the role test's routes in ``tests/access/role_expectations.py`` and the browser story).
The file is the one ``docs/instruments.md`` documents: what the docs show is what
the tests upload.
"""

from __future__ import annotations

import copy
import json
from pathlib import Path
from typing import Any

DOCS = Path(__file__).resolve().parents[2] / "docs" / "instruments"
EXAMPLE_FILE = DOCS / "example-screen.json"
EXAMPLES_FILE = DOCS / "example-screen.examples.json"
EXAMPLE = json.loads(EXAMPLE_FILE.read_text(encoding="utf-8"))
EXAMPLES = json.loads(EXAMPLES_FILE.read_text(encoding="utf-8"))
EXAMPLE_ID = EXAMPLE["id"]


def example(**changes: Any) -> dict[str, Any]:
    """A fresh copy of the example file's JSON, with top-level keys changed."""
    data = copy.deepcopy(EXAMPLE)
    data.update(changes)
    return data


def as_bytes(data: Any) -> bytes:
    return json.dumps(data, indent=2, ensure_ascii=False).encode("utf-8")


def draft(clinic, by, data: dict[str, Any] | None = None, *, examples: bool = True):
    """The example uploaded as a draft by ``by``, with the documented worked examples."""
    from waypost.assessments import instrument_check
    from waypost.assessments.services import clinic_instruments

    version = clinic_instruments.upload(clinic=clinic, raw=as_bytes(data or example()), by=by)
    if examples:
        entry = clinic_instruments.review(version).entry
        assert entry is not None
        read, problems = instrument_check.read_examples(EXAMPLES, entry.instrument)
        assert not problems, problems
        version = clinic_instruments.add_examples(version=version, examples=read, by=by)
    return version


def published(clinic, by, data: dict[str, Any] | None = None):
    """The example uploaded, checked against its worked examples and published."""
    from waypost.assessments.services import clinic_instruments

    return clinic_instruments.publish(version=draft(clinic, by, data), by=by)
