"""What a recovery plan's three circles hold, and how typed lines become items.

The three-circle tool: the *inner* circle is what the client abstains from (the
check-in asks whether it was kept), the *middle* circle the slippery behaviours that
lead towards it, the *outer* circle the healthy things that lead away. Each is a short
list in the client's own words, one item per line. No database here: the model keeps
the result of :func:`dumps` as encrypted JSON; the period and the start date are plain
columns of the model, not part of this content.

Lines are cleaned the way the safety plan cleans them (``safety.plan_content``):
bullets and extra spaces go, blank lines are dropped, order is kept.
"""

from __future__ import annotations

import json
from collections.abc import Iterable, Mapping
from dataclasses import dataclass
from typing import Any

from django.utils.translation import gettext_lazy as _

from waypost.safety.plan_content import parse_items

MAX_ITEMS = 20
MAX_ITEM_LENGTH = 200
FORMAT_VERSION = 1


class CirclesError(ValueError):
    """The circles cannot be saved as written; the message says what to change, kindly."""


@dataclass(frozen=True)
class Circle:
    key: str
    title: Any  # lazily translated
    prompt: Any
    example: Any


CIRCLES: tuple[Circle, ...] = (
    Circle(
        "inner",
        _("Inner circle: what I am stepping away from"),
        _(
            "The behaviours you have chosen not to do during this period. Be specific: "
            "these are what the daily check-in asks about."
        ),
        _("Watching porn on any device\nSearching for explicit images\nPaid chat or cam sites"),
    ),
    Circle(
        "middle",
        _("Middle circle: slippery ground"),
        _(
            "Things that are not the inner circle but often lead towards it; a signal "
            "to slow down and reach for your plan."
        ),
        _("Scrolling social media in bed\nStaying up after midnight alone\nSkipping meals"),
    ),
    Circle(
        "outer",
        _("Outer circle: what helps me thrive"),
        _("Healthy things that lead you away from the pull and towards the life you want."),
        _("A run before work\nCalling my brother on Sundays\nReading before sleep"),
    ),
)
CIRCLE_KEYS = tuple(c.key for c in CIRCLES)
_BY_KEY = {c.key: c for c in CIRCLES}


def circle(key: str) -> Circle:
    return _BY_KEY[key]


def parse_text(text: str) -> list[str]:
    """The lines a person typed for one circle, as its items."""
    return parse_items(text)


def as_text(items: Iterable[str]) -> str:
    """One circle's items as the lines a person edits."""
    return "\n".join(items)


def _coerce(items: Iterable[Any]) -> list[str]:
    out: list[str] = []
    for item in items or []:
        text = " ".join(str(item).split())
        if text:
            out.append(text)
    return out


def normalise(content: Mapping[str, Iterable[Any]]) -> dict[str, list[str]]:
    """Every circle, in order, with clean items; refuses too much, and an empty inner circle.

    Unknown keys are ignored. The inner circle must say something: it is what the
    day counter counts and the check-in asks about.
    """
    result = {key: _coerce(content.get(key, [])) for key in CIRCLE_KEYS}
    for key, items in result.items():
        title = circle(key).title
        if len(items) > MAX_ITEMS:
            raise CirclesError(
                _("“%(part)s” has %(n)d lines; please keep it to %(max)d or fewer.")
                % {"part": title, "n": len(items), "max": MAX_ITEMS}
            )
        if any(len(item) > MAX_ITEM_LENGTH for item in items):
            raise CirclesError(
                _("A line in “%(part)s” is long; please keep each line under %(max)d letters.")
                % {"part": title, "max": MAX_ITEM_LENGTH}
            )
    if not result["inner"]:
        raise CirclesError(
            _(
                "Please write at least one line in your inner circle: what you are stepping "
                "away from during this period."
            )
        )
    return result


def dumps(content: Mapping[str, list[str]]) -> str:
    """Normalised circles as JSON text, for encrypted storage."""
    data: dict[str, Any] = {"format": FORMAT_VERSION}
    for key in CIRCLE_KEYS:
        data[key] = list(content.get(key, []))
    return json.dumps(data, ensure_ascii=False, separators=(",", ":"))


def loads(text: str) -> dict[str, list[str]]:
    """Stored JSON back to circles (every key present, maybe empty)."""
    data = json.loads(text) if text else {}
    return {key: _coerce(data.get(key, [])) for key in CIRCLE_KEYS}
