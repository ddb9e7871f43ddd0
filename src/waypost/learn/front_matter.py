"""The header of a reading module, declared: the fields a module file starts with.

A module file starts with a YAML header between two lines of three dashes
(``content.py`` reads it). :class:`FrontMatter` declares what the header
may hold: each field's type and limits, fields that must be there, and no
field Waypost does not know (a misspelt ``titel`` would otherwise be
silently lost). :func:`header_problems` tells what is wrong the way the
person fixing the file looks for it: "stage 5 must be 1, 2, 3 or 4",
"missing title".

No Django import here, so the loader can be used and tested on its own.
"""

from __future__ import annotations

import math
import re
from typing import Annotated, Any, Literal, get_args

from pydantic import (
    AfterValidator,
    BaseModel,
    ConfigDict,
    StrictBool,
    StrictInt,
    StrictStr,
    ValidationError,
    ValidationInfo,
    field_validator,
    model_validator,
)

from waypost.core.file_schema import Loc, Text, explained, invalid, plain_problems, problem

WORDS_PER_MINUTE = 200
Audience = Literal["client", "ally", "both"]
AUDIENCES = get_args(Audience)
STAGES = (1, 2, 3, 4)
SLUG = re.compile(r"^[a-z0-9]+(?:-[a-z0-9]+)*$")


def reading_minutes_for(words: int) -> int:
    return max(1, math.ceil(words / WORDS_PER_MINUTE))


def _at_most(limit: int) -> AfterValidator:
    def validate(value: str) -> str:
        if len(value) > limit:
            raise invalid(f"is {len(value)} characters long; at most {limit}")
        return value.strip()

    return AfterValidator(validate)


def _a_stage(value: int) -> int:
    if value not in STAGES:
        raise ValueError("not a stage")
    return value


def _positive(value: int | None) -> int | None:
    if value is not None and value < 1:
        raise ValueError("below 1")
    return value


def _a_slug(value: str) -> str:
    if not SLUG.match(value) or len(value) > 80:
        raise ValueError("not a slug")
    return value


class FrontMatter(BaseModel):
    """A module's header. ``model_validate(header, context={"words": n})`` also checks a
    declared reading time against the ``n`` words of the text."""

    model_config = ConfigDict(extra="forbid")

    slug: Annotated[
        StrictStr,
        AfterValidator(_a_slug),
        explained(
            "{value} must be lower-case letters, digits and single hyphens "
            "(at most 80 characters), such as five-cs"
        ),
    ]
    title: Annotated[Text, _at_most(120)]
    summary: Annotated[Text, _at_most(300)]
    audience: Annotated[
        Audience,
        explained(f"{{value}} must be one of: {', '.join(AUDIENCES)}"),
    ] = "client"
    # Counted by the "core modules read" gate.
    core: Annotated[StrictBool, explained("must be true or false, not {value}")] = False
    # The stage it helps most in, and its position within that stage.
    stage: Annotated[StrictInt, AfterValidator(_a_stage), explained("{value} must be 1, 2, 3 or 4")]
    order: Annotated[StrictInt, explained("{value} must be a whole number")] = 100
    sources: Annotated[
        list[Text],
        explained("must be a list of full references, one per line, each a text"),
    ]
    reading_minutes: Annotated[
        StrictInt | None,
        AfterValidator(_positive),
        explained("{value} must be a whole number of minutes"),
    ] = None
    # Stands in for a built-in module of the same slug (a clinic's own wording).
    override: Annotated[StrictBool, explained("must be true or false, not {value}")] = False

    @model_validator(mode="before")
    @classmethod
    def _a_mapping_with_required_fields_filled(cls, header: Any) -> Any:
        if not isinstance(header, dict):
            raise problem("the header must be a list of 'name: value' lines")
        # A required field left empty (``title:``, ``sources: []``) is missing, not wrong.
        return {
            name: value
            for name, value in header.items()
            if not (
                name in cls.model_fields
                and cls.model_fields[name].is_required()
                and (value is None or (isinstance(value, str | list) and not value))
            )
        }

    @field_validator("sources")
    @classmethod
    def _each_stripped(cls, sources: list[str]) -> list[str]:
        return [source.strip() for source in sources]

    @field_validator("reading_minutes")
    @classmethod
    def _close_to_the_text(cls, declared: int | None, info: ValidationInfo) -> int | None:
        words = (info.context or {}).get("words")
        if declared is None or words is None:
            return declared
        minutes = reading_minutes_for(words)
        if abs(declared - minutes) > max(1, minutes // 4):
            raise invalid(
                f"says {declared}, but the {words} words read in about {minutes} minute(s) "
                f"at {WORDS_PER_MINUTE} words a minute; correct it or leave it out to have "
                "it worked out"
            )
        return declared


KNOWN_FIELDS = set(FrontMatter.model_fields)
REQUIRED_FIELDS = tuple(n for n, f in FrontMatter.model_fields.items() if f.is_required())


def _field(loc: Loc) -> str:
    return str(loc[0]) if loc else ""


def header_problems(exc: ValidationError) -> list[str]:
    """What is wrong with a header, one line each; unknown fields are told together."""
    errors = exc.errors()
    unknown = sorted(str(e["loc"][0]) for e in errors if e["type"] == "extra_forbidden")
    lines = plain_problems(
        [e for e in errors if e["type"] != "extra_forbidden"],
        describe=_field,
        missing=lambda loc: f"missing {_field(loc)}",
    )
    if unknown:
        lines.insert(
            0,
            f"unknown header field(s): {', '.join(unknown)} "
            f"(known: {', '.join(sorted(KNOWN_FIELDS))})",
        )
    return lines
