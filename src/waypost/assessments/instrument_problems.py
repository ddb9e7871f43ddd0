"""What is wrong with an instrument file, told the way a person looks for it.

Pydantic says where a problem is as a path of keys and positions
(``waypost → bands → 1 → label``). People fixing a questionnaire look for
"band 'Mild'", "critical item phq9-9" or "item phq9-3, option 2 ('Several
days')", so :func:`describe` names each place by what identifies it in the
file (a band by its label, a subscale by its id …); other places are named by
their keys, dotted (``norms``, ``reliability.value``, ``licence.commercial_use``).
:func:`problems_in` gives every problem as a :class:`Problem`, the plain line
with its JSON path (``waypost.bands[1].label``) for the upload page and
``waypost instruments check``; :func:`plain_problem` joins them into the one
line start-up prints.

No Django here: the command line checks files without a database.
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass
from typing import Any

from pydantic import ValidationError

from waypost.core.file_schema import PROBLEM, Loc
from waypost.core.file_schema import plain_problem as plain_line

# Lists whose elements people know by one of their keys: (key, what one is called, quoted?).
_NAMED_ELEMENTS = {
    "item": ("linkId", "item", False),
    "subscales": ("id", "subscale", True),
    "bands": ("label", "band", True),
    "screens": ("flag", "screen", False),
    "critical_items": ("item", "critical item", False),
    "service_standards": ("id", "service standard", False),
}
# Besides those, "scoring" and each norm ("norms.general") are named things of their own.
_NORMS = ("clinical", "general")
# Sections of the waypost part that are told as sections when they are missing.
_SECTIONS = {"scoring", "licence"}


def _child(node: Any, key: int | str) -> Any:
    if isinstance(node, dict):
        return node.get(key)
    if isinstance(node, list) and isinstance(key, int) and 0 <= key < len(node):
        return node[key]
    return None


def _element_name(key: str, element: Any) -> str:
    ident_key, called, quoted = _NAMED_ELEMENTS[key]
    ident = _child(element, ident_key)
    if not isinstance(ident, str) or not ident.strip():
        return called
    return f"{called} {ident!r}" if quoted else f"{called} {ident}"


def _option_name(position: int, option: Any) -> str:
    coding = _child(option, "valueCoding")
    display = _child(coding, "display") if coding is not None else None
    if display is None and _child(option, "valueInteger") is not None:
        display = str(_child(option, "valueInteger"))
    return f"option {position + 1}" + (f" ({display!r})" if isinstance(display, str) else "")


def describe_in(data: Any) -> Callable[[Loc], str]:
    """A function naming a place in ``data`` (the file as read) for people."""

    def describe(loc: Loc) -> str:
        keys = list(loc)
        node = data
        if keys[:1] == ["waypost"]:
            keys, node = keys[1:], _child(data, "waypost")
        things: list[str] = []  # named things, outermost first
        fields: list[str] = []  # the keys below the innermost named thing
        index = 0
        while index < len(keys):
            key = keys[index]
            following = keys[index + 1] if index + 1 < len(keys) else None
            if not fields and isinstance(following, int) and key in _NAMED_ELEMENTS:
                node = _child(_child(node, key), following)
                things.append(_element_name(str(key), node))
                index += 2
            elif not fields and isinstance(following, int) and key == "answerOption":
                node = _child(_child(node, key), following)
                things.append(_option_name(following, node))
                index += 2
            elif not things and not fields and key == "scoring":
                things.append("scoring")
                node = _child(node, key)
                index += 1
            elif not things and not fields and key == "norms" and following in _NORMS:
                things.append(f"norms.{following}")
                node = _child(_child(node, key), following)
                index += 2
            elif fields and fields[-1] == "weights":
                fields[-1] = f"the weight of {key}"
                index += 1
            else:
                fields.append(str(key))
                node = _child(node, key)
                index += 1
        where = ", ".join(things)
        if fields:
            return f"{where}: {'.'.join(fields)}" if where else ".".join(fields)
        return where

    return describe


def missing_in(data: Any) -> Callable[[Loc], str]:
    """A function telling that the key at a place in ``data`` is missing."""
    describe = describe_in(data)

    def missing(loc: Loc) -> str:
        *parent, key = loc
        if not parent:
            if key == "waypost":
                return 'the "waypost" section is missing'
            return f"the Questionnaire needs {key!r}"
        if parent == ["waypost"]:
            if key in _SECTIONS:
                return f'the "{key}" section is missing'
            return f"waypost: {key!r} is missing"
        return f"{describe(tuple(parent))}: {key!r} is missing"

    return missing


@dataclass(frozen=True)
class Problem:
    """One problem in a file: the plain line, and where it is as a JSON path."""

    text: str  # "band 'Mild': min must be a number, not '0'"
    path: str = ""  # "waypost.bands[1].min"; "" for the file as a whole

    def __str__(self) -> str:
        return self.text


def json_path(loc: Loc) -> str:
    """A place in the file as people write JSON paths: ``waypost.bands[1].label``."""
    out = ""
    for key in loc:
        if isinstance(key, int):
            out += f"[{key}]"
        else:
            out += f".{key}" if out else str(key)
    return out


def problems_in(exc: ValidationError, data: Any) -> list[Problem]:
    """Every problem pydantic found in ``data``, once each, in the file's order.

    Only the first error at each place is kept: one wrong value is one problem,
    whatever number of alternatives pydantic tried for it.
    """
    describe, missing = describe_in(data), missing_in(data)
    out: list[Problem] = []
    places: set[tuple[Loc, str]] = set()
    for error in exc.errors():
        context = error.get("ctx") or {}
        at = tuple(error["loc"]) + tuple(context.get("at", ()))
        # A rule that looks across the file tells each mistake it finds, several at
        # one place (two gaps between bands); pydantic's alternatives are one problem.
        place = (at, str(context.get("text", "")) if error["type"] == PROBLEM else "")
        if place in places:
            continue
        places.add(place)
        text = plain_line(error, describe=describe, missing=missing)
        if any(p.text == text for p in out):
            continue
        # a rule about a whole part may point at it without naming it in the sentence
        path = context.get("path")
        out.append(Problem(text=text, path=json_path(path if path is not None else at)))
    return out


def plain_problem(exc: ValidationError, data: Any) -> str:
    """Every problem pydantic found in ``data``, in one line: "where: what; where: what"."""
    return "; ".join(problem.text for problem in problems_in(exc, data))
