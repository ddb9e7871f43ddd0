"""What a maintenance plan says: warning signs to watch and what to do if they appear.

Stored as JSON in the plan's encrypted ``content``. No Django import here.
"""

from __future__ import annotations

import json
from collections.abc import Iterable, Mapping
from typing import Any

SECTIONS = ("warning_signs", "if_they_appear")
MAX_ITEMS = 12
MAX_LENGTH = 300


class MaintenanceContentError(ValueError):
    """The plan cannot be kept as given; the message says why (already translated)."""


def lines(value: Any) -> list[str]:
    """Non-blank lines, stripped, from text or a list of texts."""
    if value is None:
        return []
    items: Iterable[Any] = value.splitlines() if isinstance(value, str) else value
    return [str(item).strip() for item in items if str(item).strip()]


def normalise(
    content: Mapping[str, Any], *, too_many: str, too_long: str, empty: str
) -> dict[str, list[str]]:
    """Both sections as clean lists; the messages are the caller's translated words."""
    clean = {section: lines(content.get(section)) for section in SECTIONS}
    for items in clean.values():
        if len(items) > MAX_ITEMS:
            raise MaintenanceContentError(too_many)
        if any(len(item) > MAX_LENGTH for item in items):
            raise MaintenanceContentError(too_long)
    if not clean["warning_signs"]:
        raise MaintenanceContentError(empty)
    return clean


def dumps(content: Mapping[str, list[str]]) -> str:
    return json.dumps({s: list(content.get(s, [])) for s in SECTIONS}, sort_keys=True)


def loads(text: str) -> dict[str, list[str]]:
    raw = json.loads(text) if text else {}
    return {s: [str(x) for x in raw.get(s, [])] for s in SECTIONS}
