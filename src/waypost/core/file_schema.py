"""Declaring a content file's shape with pydantic, and telling its problems in plain words.

Content is data (instrument files, reading modules): each app declares its
file format as pydantic models and lets pydantic check it. Pydantic's own
messages are written for programmers ("Input should be a valid integer", in
a multi-line dump); the person fixing a file needs one line per problem that
says where and what. The pieces here make that possible:

- :func:`explained` on a field: any problem with that value is told as one
  predicate ("must be a whole number from 0 to 4");
- :func:`invalid` and :func:`problem`, raised by validators: a predicate
  about one value, or a sentence about a thing (optionally somewhere else:
  ``at``, for rules that look across the whole file);
- :data:`Text`, :data:`PlainText` and :data:`Number`, the building blocks
  every format uses;
- :func:`plain_problems`, which turns a ``ValidationError`` into those lines,
  with the app's own way of naming places (``describe``) and missing fields.

No Django here: the command line checks files without a database.
"""

from __future__ import annotations

import math
from collections.abc import Callable, Iterable
from typing import Annotated, Any

from pydantic import (
    AfterValidator,
    BeforeValidator,
    StrictFloat,
    StrictInt,
    StrictStr,
    ValidationError,
    WrapValidator,
)
from pydantic_core import ErrorDetails, PydanticCustomError

Loc = tuple[int | str, ...]

# The error types this module raises; anything else is pydantic's own.
PREDICATE = "waypost_predicate"  # "<where> <predicate>": about one value
PROBLEM = "waypost_problem"  # "<where>: <sentence>": about a thing
BLANK = "waypost_blank"  # null or blank where text is needed: told as missing


def invalid(predicate: str) -> PydanticCustomError:
    """An error saying what a value must be, e.g. ``invalid("must be above 0")``."""
    return PydanticCustomError(PREDICATE, "{text}", {"text": predicate})


def problem(sentence: str, *, at: Loc = ()) -> PydanticCustomError:
    """An error about a thing. ``at`` points below the validated object, for rules that
    look across it (a critical item naming an item that does not exist)."""
    return PydanticCustomError(PROBLEM, "{text}", {"text": sentence, "at": at})


def explained(message: str) -> WrapValidator:
    """Tell any problem with this value as ``message``, a predicate about it.

    ``{value}`` in the message becomes the value as written (``'high'``, ``None``).
    Use it on values with no nested models, whose own errors it would hide.
    """

    def validate(value: Any, handler: Callable[[Any], Any]) -> Any:
        try:
            return handler(value)
        except ValidationError:
            raise invalid(message.replace("{value}", repr(value))) from None

    return WrapValidator(validate)


def checked_first(accepts: Callable[[Any], bool], message: str) -> BeforeValidator:
    """Refuse a value with ``message`` unless ``accepts(value)``, before anything else looks
    at it: for containers, whose shape is told in one line ("must be a list of objects")
    while the errors inside them keep their own places."""

    def validate(value: Any) -> Any:
        if not accepts(value):
            raise invalid(message)
        return value

    return BeforeValidator(validate)


def _not_blank(value: Any) -> Any:
    if value is None or (isinstance(value, str) and not value.strip()):
        raise PydanticCustomError(BLANK, "is missing")
    return value


def _finite(value: int | float) -> int | float:
    # json.loads accepts NaN and Infinity; neither is a score.
    if isinstance(value, float) and not math.isfinite(value):
        raise ValueError("not finite")
    return value


# Text that must be there: null or blank counts as missing.
Text = Annotated[StrictStr, explained("must be text"), BeforeValidator(_not_blank)]
# Text that may be empty.
PlainText = Annotated[StrictStr, explained("must be text")]
# A number as JSON writes it: an int stays an int, a float a float; never true or false.
Number = Annotated[
    StrictInt | StrictFloat, AfterValidator(_finite), explained("must be a number, not {value}")
]


def above(limit: int | float) -> AfterValidator:
    """The value must be above ``limit``."""

    def validate(value: Any) -> Any:
        if not value > limit:
            raise invalid(f"must be above {limit}")
        return value

    return AfterValidator(validate)


def between(low: int | float, high: int | float) -> AfterValidator:
    """The value must lie strictly between ``low`` and ``high``."""

    def validate(value: Any) -> Any:
        if not low < value < high:
            raise invalid(f"must be between {low} and {high}")
        return value

    return AfterValidator(validate)


def is_number(value: Any) -> bool:
    """An int or a finite float, as :data:`Number` accepts (not true or false)."""
    if isinstance(value, bool) or not isinstance(value, int | float):
        return False
    return isinstance(value, int) or math.isfinite(value)


def is_list_of_objects(value: Any) -> bool:
    return isinstance(value, list) and all(isinstance(x, dict) for x in value)


def repeated(values: Iterable[Any]) -> list[Any]:
    """The values that occur more than once, each once, in order of first repeat."""
    seen: set[Any] = set()
    twice: list[Any] = []
    for value in values:
        if value in seen and value not in twice:
            twice.append(value)
        seen.add(value)
    return twice


# How pydantic's own errors read, for the ones a declaration does not explain.
_PREDICATES = {
    "model_type": "must be an object",
    "model_attributes_type": "must be an object",
    "dict_type": "must be an object",
    "list_type": "must be a list",
    "tuple_type": "must be a list",
    "string_type": "must be text",
    "bool_type": "must be true or false",
    "int_type": "must be a whole number",
    "float_type": "must be a number",
    "extra_forbidden": "is not a key Waypost knows (check its spelling)",
}


def plain_problem(
    error: ErrorDetails, *, describe: Callable[[Loc], str], missing: Callable[[Loc], str]
) -> str:
    """One error as one line: where, then what."""
    kind = error["type"]
    context = error.get("ctx") or {}
    loc: Loc = tuple(error["loc"]) + tuple(context.get("at", ()))
    if kind in ("missing", BLANK):
        return missing(loc)
    where = describe(loc)
    if kind == PROBLEM:
        return f"{where}: {context['text']}" if where else context["text"]
    if kind == PREDICATE:
        predicate = context["text"]
    elif kind == "literal_error":
        predicate = f"must be one of {context.get('expected', '')}"
    else:
        predicate = _PREDICATES.get(kind, "")
    if not predicate:
        text = error["msg"].removeprefix("Value error, ").removeprefix("Assertion failed, ")
        return f"{where}: {text}" if where else text
    return f"{where} {predicate}" if where else predicate


def plain_problems(
    errors: Iterable[ErrorDetails],
    *,
    describe: Callable[[Loc], str],
    missing: Callable[[Loc], str],
) -> list[str]:
    """Every problem of ``ValidationError.errors()`` once, one line each, in file order.

    Only the first error at each place is kept: one wrong value is one problem,
    whatever number of alternatives pydantic tried for it.
    """
    lines: list[str] = []
    places: set[Loc] = set()
    for error in errors:
        loc = tuple(error["loc"])
        if loc in places:
            continue
        places.add(loc)
        line = plain_problem(error, describe=describe, missing=missing)
        if line not in lines:
            lines.append(line)
    return lines
