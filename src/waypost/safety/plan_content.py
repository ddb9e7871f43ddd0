"""What a safety plan holds, and how typed lines become short items.

The plan follows the Stanley–Brown structure: six steps a person works down
in a hard moment, plus what matters to them, which is shown first. Each part
is a short list; people and services also carry a phone number so they can
be called with one tap. No database here: the model stores the result of
``normalise`` as encrypted JSON.
"""

from __future__ import annotations

import json
import re
from collections.abc import Iterable, Mapping
from dataclasses import dataclass
from typing import Any

from django.utils.translation import gettext_lazy as _

MAX_ITEMS = 20
MAX_ITEM_LENGTH = 200
FORMAT_VERSION = 1


class PlanContentError(ValueError):
    """The plan cannot be saved as written; the message says what to change, kindly."""


@dataclass(frozen=True)
class Section:
    """One part of the plan: its key in storage, its words, and whether items are contacts."""

    key: str
    title: Any  # lazy translated text
    prompt: Any
    example: Any
    contacts: bool = False
    step: int | None = None  # 1–6 for the steps; None for "what matters to me"


SECTIONS: tuple[Section, ...] = (
    Section(
        "reasons",
        _("What matters to me"),
        _("The people, hopes and things that are worth staying safe for."),
        _("My daughter's laugh\nFinishing my course\nSunday walks by the sea"),
    ),
    Section(
        "warning_signs",
        _("Signs that a hard time is starting"),
        _("Thoughts, feelings, situations or habits that tell you things are getting harder."),
        _("Lying awake after midnight\nThinking 'what's the point'\nSkipping meals"),
        step=1,
    ),
    Section(
        "coping",
        _("Things I can do on my own"),
        _("Small things that calm you or take your mind off it, without needing anyone else."),
        _("Cold water on my face\nA fast walk round the block\nPlaylist 'steady'"),
        step=2,
    ),
    Section(
        "distraction",
        _("People and places that take my mind off things"),
        _("Where you can be around others, and who you can simply spend time with."),
        _("The 24-hour coffee shop downstairs\nBadminton on Thursdays\nCousin Ravi"),
        step=3,
    ),
    Section(
        "helpers",
        _("People I can ask for help"),
        _("People you trust to talk to when it is hard. One per line: name, then phone number."),
        _("Aunt Lina, 9123 4567\nMy brother Hakim, 8765 4321"),
        contacts=True,
        step=4,
    ),
    Section(
        "professionals",
        _("Professionals and services I can contact"),
        _(
            "Your clinician, doctor or other services. One per line: name, then phone number. "
            "Your clinic's crisis lines are added for you."
        ),
        _("My GP, Dr Wong, 6123 4567"),
        contacts=True,
        step=5,
    ),
    Section(
        "environment",
        _("Making my surroundings safer"),
        _("What you will put away, hand over or change so that risky things are harder to reach."),
        _("Ask my flatmate to keep the medicine box\nPhone charges outside the bedroom"),
        step=6,
    ),
)
SECTION_KEYS = tuple(s.key for s in SECTIONS)
_BY_KEY = {s.key: s for s in SECTIONS}


def section(key: str) -> Section:
    return _BY_KEY[key]


@dataclass(frozen=True)
class Contact:
    """Someone to call: a name and, if known, a phone number."""

    name: str
    phone: str = ""

    @property
    def tel_href(self) -> str:
        digits = "".join(ch for ch in self.phone if ch.isdigit() or ch == "+")
        return f"tel:{digits}" if any(ch.isdigit() for ch in digits) else ""

    def as_line(self) -> str:
        return f"{self.name}, {self.phone}" if self.phone else self.name

    def as_dict(self) -> dict[str, str]:
        return {"name": self.name, "phone": self.phone}


# A phone number at the end of a line: digits, spaces, dashes, dots or
# brackets, optionally starting with "+", ending in a digit (three digits at
# least, so short crisis numbers like 995 count).
_PHONE_AT_END = re.compile(r"^(?P<name>.*?)[\s,:;–—-]*(?P<phone>\+?[\d(][\d\s().-]*\d)\s*$")
_BULLET = re.compile(r"^\s*(?:[-*•·]+|\d{1,2}[.)])\s+")
_SPACES = re.compile(r"\s+")


def _clean_line(line: str) -> str:
    return _SPACES.sub(" ", _BULLET.sub("", line)).strip()


def parse_items(text: str) -> list[str]:
    """One item per non-blank line, bullets and extra spaces removed, order kept."""
    return [item for item in (_clean_line(line) for line in (text or "").splitlines()) if item]


def parse_contact(line: str) -> Contact:
    """``"Aunt Lina, 9123 4567"`` → Contact("Aunt Lina", "9123 4567"); no number is fine."""
    line = _clean_line(line)
    if len(line) > MAX_ITEM_LENGTH:  # refused by normalise anyway; spare the regex
        return Contact(name=line)
    match = _PHONE_AT_END.match(line)
    if match and sum(ch.isdigit() for ch in match["phone"]) >= 3:
        name = match["name"].strip(" ,:;–—-")
        phone = match["phone"].strip()
        return Contact(name=name or phone, phone=phone)
    return Contact(name=line)


def parse_contacts(text: str) -> list[Contact]:
    return [parse_contact(line) for line in parse_items(text)]


def as_text(key: str, items: Iterable[Any]) -> str:
    """The items of one section as the lines a person edits."""
    if section(key).contacts:
        return "\n".join(c.as_line() for c in items)
    return "\n".join(items)


def parse_text(key: str, text: str) -> list[Any]:
    return parse_contacts(text) if section(key).contacts else parse_items(text)


def _coerce(key: str, items: Iterable[Any]) -> list[Any]:
    out: list[Any] = []
    for item in items or []:
        if section(key).contacts:
            if isinstance(item, Contact):
                contact = item
            elif isinstance(item, Mapping):
                contact = Contact(
                    name=str(item.get("name", "")).strip(), phone=str(item.get("phone", "")).strip()
                )
            else:
                contact = parse_contact(str(item))
            if contact.name or contact.phone:
                out.append(Contact(contact.name or contact.phone, contact.phone))
        else:
            text = _clean_line(str(item))
            if text:
                out.append(text)
    return out


def normalise(content: Mapping[str, Iterable[Any]]) -> dict[str, list[Any]]:
    """Every section, in order, with clean items; refuses too much or nothing at all.

    Unknown keys are ignored. Contacts may come as ``Contact``, ``{"name", "phone"}``
    or a typed line.
    """
    result = {key: _coerce(key, content.get(key, [])) for key in SECTION_KEYS}
    for key, items in result.items():
        title = section(key).title
        if len(items) > MAX_ITEMS:
            raise PlanContentError(
                _("“%(part)s” has %(n)d lines; please keep it to %(max)d or fewer.")
                % {"part": title, "n": len(items), "max": MAX_ITEMS}
            )
        for item in items:
            text = item.as_line() if isinstance(item, Contact) else item
            if len(text) > MAX_ITEM_LENGTH:
                raise PlanContentError(
                    _("A line in “%(part)s” is long; please keep each line under %(max)d letters.")
                    % {"part": title, "max": MAX_ITEM_LENGTH}
                )
    if not any(result.values()):
        raise PlanContentError(
            _("The plan is empty. Write at least one line in any part, then save.")
        )
    return result


def dumps(content: Mapping[str, list[Any]]) -> str:
    """Normalised content as JSON text, for encrypted storage."""
    data: dict[str, Any] = {"format": FORMAT_VERSION}
    for key in SECTION_KEYS:
        items = content.get(key, [])
        data[key] = [i.as_dict() if isinstance(i, Contact) else i for i in items]
    return json.dumps(data, ensure_ascii=False, separators=(",", ":"))


def loads(text: str) -> dict[str, list[Any]]:
    """Stored JSON back to sections; contacts become ``Contact`` objects."""
    data = json.loads(text) if text else {}
    return {key: _coerce(key, data.get(key, [])) for key in SECTION_KEYS}
