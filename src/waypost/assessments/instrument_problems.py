"""What is wrong with an instrument file, told the way a person looks for it.

Pydantic says where a problem is as a path of keys and positions
(``waypost → bands → 1 → label``). People fixing a questionnaire look for
"band 'Mild'", "critical item phq9-9" or "item phq9-3, option 2 ('Several
days')", so :func:`describe` names each place by what identifies it in the
file (a band by its label, a subscale by its id …); other places are named by
their keys, dotted (``norms``, ``reliability.value``, ``licence.commercial_use``).

No Django here: the command line checks files without a database.
"""

from __future__ import annotations

from collections.abc import Callable
from typing import Any

from pydantic import ValidationError

from waypost.core.file_schema import Loc, plain_problems

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


def plain_problem(exc: ValidationError, data: Any) -> str:
    """Every problem pydantic found in ``data``, in one line: "where: what; where: what"."""
    lines = plain_problems(exc.errors(), describe=describe_in(data), missing=missing_in(data))
    return "; ".join(lines)
