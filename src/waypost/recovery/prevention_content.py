"""What a relapse-prevention plan holds, and how typed lines become items.

Seven short lists: what sets things off, risky situations, early warning signs,
if–then plans (a situation and what the client will do instead), reasons for
change, people to call (name and phone, one tap to call) and learnings (many of
them added with one tap from a lapse's chain analysis). No database here: the
model keeps the result of :func:`dumps` as encrypted JSON.

Lines are cleaned the way the safety plan cleans them (``safety.plan_content``):
bullets and extra spaces go, blank lines are dropped, order is kept.
"""

from __future__ import annotations

import json
import re
from collections.abc import Iterable, Mapping
from dataclasses import dataclass
from typing import Any

from django.utils.translation import gettext_lazy as _

from waypost.safety.plan_content import Contact, parse_contact, parse_items

MAX_ITEMS = 20
MAX_ITEM_LENGTH = 300
FORMAT_VERSION = 1


class PreventionContentError(ValueError):
    """The plan cannot be saved as written; the message says what to change, kindly."""


@dataclass(frozen=True)
class IfThen:
    """One if–then plan: when this happens (``when``), I will do that (``then``)."""

    when: str
    then: str

    def as_line(self) -> str:
        return f"{self.when} → {self.then}" if self.then else self.when

    def as_dict(self) -> dict[str, str]:
        return {"if": self.when, "then": self.then}


@dataclass(frozen=True)
class Section:
    key: str
    title: Any  # lazily translated
    prompt: Any
    example: Any
    kind: str = "lines"  # "lines", "contacts" or "if_then"


SECTIONS: tuple[Section, ...] = (
    Section(
        "reasons",
        _("Why I am doing this"),
        _("What you want your life to hold; read it when the pull is strong."),
        _("Being fully there for my kids\nLooking my partner in the eye\nSleeping properly"),
    ),
    Section(
        "triggers",
        _("What sets things off"),
        _("Feelings, times, places, people or things on a screen that start the pull."),
        _("Feeling rejected\nBeing home alone in the evening\nScrolling in bed"),
    ),
    Section(
        "high_risk",
        _("Risky situations"),
        _("Situations where acting on it becomes much more likely."),
        _("Hotel rooms on work trips\nAfter drinking\nThe nights my partner works late"),
    ),
    Section(
        "warning_signs",
        _("Early warning signs"),
        _("Small changes that tell you a hard stretch may be starting."),
        _("Staying up past midnight\nSkipping the gym\nKeeping secrets again"),
    ),
    Section(
        "if_then",
        _("If this happens, I will …"),
        _("One per line: the situation, then an arrow (→) or “then”, then what you will do."),
        _(
            "If I'm alone with my laptop after 10 → I take it to the living room\n"
            "If I feel the pull in bed → I get up and make tea"
        ),
        kind="if_then",
    ),
    Section(
        "people",
        _("People I can call"),
        _("People who know and will pick up. One per line: name, then phone number."),
        _("Sam (sponsor), 9123 4567\nMy brother, 8765 4321"),
        kind="contacts",
    ),
    Section(
        "learnings",
        _("What I have learnt"),
        _("What looking back at a hard day taught you; lapses add theirs here."),
        _("Tiredness makes every urge louder: bed by 11"),
    ),
)
SECTION_KEYS = tuple(s.key for s in SECTIONS)
_BY_KEY = {s.key: s for s in SECTIONS}

# "If A then B", "A → B", "A -> B", "A => B"; "if" and "then" in any case.
_ARROW = re.compile(r"\s*(?:→|->|=>)\s*")
_IF_THEN = re.compile(r"^(?:if\s+)?(?P<when>.+?)[,;]?\s+then\s+(?P<then>.+)$", re.IGNORECASE)


def section(key: str) -> Section:
    return _BY_KEY[key]


def parse_if_then(line: str) -> IfThen:
    """``"If alone after 10 → laptop out of the bedroom"`` → IfThen(when, then)."""
    line = line.strip()
    parts = _ARROW.split(line, maxsplit=1)
    if len(parts) == 2:
        when, then = parts
    else:
        match = _IF_THEN.match(line)
        when, then = (match["when"], match["then"]) if match else (line, "")
    when = re.sub(r"^if\s+", "", when.strip(), flags=re.IGNORECASE).strip(" ,;")
    return IfThen(when=when[:1].upper() + when[1:] if when else "", then=then.strip())


def parse_text(key: str, text: str) -> list[Any]:
    """The lines a person typed for one section, as that section's items."""
    kind = section(key).kind
    lines = parse_items(text)
    if kind == "contacts":
        return [parse_contact(line) for line in lines]
    if kind == "if_then":
        return [parse_if_then(line) for line in lines]
    return lines


def as_text(key: str, items: Iterable[Any]) -> str:
    """One section's items as the lines a person edits."""
    kind = section(key).kind
    if kind in ("contacts", "if_then"):
        return "\n".join(item.as_line() for item in items)
    return "\n".join(items)


def _coerce(key: str, items: Iterable[Any]) -> list[Any]:
    kind = section(key).kind
    out: list[Any] = []
    for item in items or []:
        if kind == "contacts":
            if isinstance(item, Contact):
                contact = item
            elif isinstance(item, Mapping):
                contact = Contact(
                    str(item.get("name", "")).strip(), str(item.get("phone", "")).strip()
                )
            else:
                contact = parse_contact(str(item))
            if contact.name or contact.phone:
                out.append(Contact(contact.name or contact.phone, contact.phone))
        elif kind == "if_then":
            if isinstance(item, IfThen):
                pair = item
            elif isinstance(item, Mapping):
                pair = IfThen(str(item.get("if", "")).strip(), str(item.get("then", "")).strip())
            else:
                pair = parse_if_then(str(item))
            if pair.when or pair.then:
                out.append(pair)
        else:
            text = " ".join(str(item).split())
            if text:
                out.append(text)
    return out


def _length(item: Any) -> int:
    return len(item.as_line() if isinstance(item, (Contact, IfThen)) else item)


def normalise(
    content: Mapping[str, Iterable[Any]], *, allow_empty: bool = False
) -> dict[str, list[Any]]:
    """Every section, in order, with clean items; refuses too much (and nothing at all).

    Unknown keys are ignored. Items may come as objects, dicts or typed lines.
    """
    result = {key: _coerce(key, content.get(key, [])) for key in SECTION_KEYS}
    for key, items in result.items():
        title = section(key).title
        if len(items) > MAX_ITEMS:
            raise PreventionContentError(
                _("“%(part)s” has %(n)d lines; please keep it to %(max)d or fewer.")
                % {"part": title, "n": len(items), "max": MAX_ITEMS}
            )
        if any(_length(item) > MAX_ITEM_LENGTH for item in items):
            raise PreventionContentError(
                _("A line in “%(part)s” is long; please keep each line under %(max)d letters.")
                % {"part": title, "max": MAX_ITEM_LENGTH}
            )
    if not allow_empty and not any(result.values()):
        raise PreventionContentError(
            _("The plan is empty. Write at least one line in any part, then save.")
        )
    return result


def dumps(content: Mapping[str, list[Any]]) -> str:
    """Normalised content as JSON text, for encrypted storage."""
    data: dict[str, Any] = {"format": FORMAT_VERSION}
    for key in SECTION_KEYS:
        data[key] = [
            i.as_dict() if isinstance(i, (Contact, IfThen)) else i for i in content.get(key, [])
        ]
    return json.dumps(data, ensure_ascii=False, separators=(",", ":"))


def loads(text: str) -> dict[str, list[Any]]:
    """Stored JSON back to sections (contacts and if–then plans as objects)."""
    data = json.loads(text) if text else {}
    return {key: _coerce(key, data.get(key, [])) for key in SECTION_KEYS}
