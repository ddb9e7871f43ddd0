"""The skills toolbox: one TOML file per exercise in ``skills/``, checked when Waypost starts.

Each file is named after its exercise (``ride-the-wave-90.toml`` holds the exercise
whose ``slug`` is ``ride-the-wave-90``) and says::

    slug = "ride-the-wave-90"
    title = "Ride the wave: 90 seconds"
    summary = "One or two sentences for the toolbox list."
    group = "urge"          # urge, calm, feelings or through (where the toolbox lists it)
    kind = "guided"         # guided (steps), timer (a quiet sit) or breathing (a pacer)
    order = 10              # position within its group
    quick = true            # offered first, for a hard moment right now (optional)
    caution = "…"           # a word of care shown before the steps (optional)
    end = "…"               # said when the practice ends (optional)
    minutes = [1, 3, 5]     # timer and breathing: the lengths to choose from
    default_minutes = 3     # …and the one chosen at first
    pace = { breathe_in = 4, hold = 0, breathe_out = 6, rest = 0 }   # breathing only

    [[steps]]
    title = "Stop"          # optional
    text = "What to do, in plain words."
    seconds = 15            # guided: how long the step lasts (all steps, or none)

A guided exercise whose steps all have ``seconds`` runs as a timer; one without
is walked through step by step. The scripts are written for this project, as
skills to practise, not as treatment. Any problem in any file stops start-up
with a message naming the file and what to change (``SkillsError``): a toolbox
missing an exercise would fail someone in a hard moment without anyone noticing.

No Django import here, so the loader can be used and tested on its own.
"""

from __future__ import annotations

import re
import tomllib
from collections.abc import Iterator
from dataclasses import dataclass, field
from pathlib import Path
from typing import Annotated, Literal, get_args

from pydantic import (
    AfterValidator,
    BaseModel,
    ConfigDict,
    StrictBool,
    StrictInt,
    ValidationError,
    model_validator,
)

from waypost.core.file_schema import Loc, PlainText, Text, explained, plain_problems, problem

SKILLS_DIR = Path(__file__).parent / "skills"
SLUG = re.compile(r"^[a-z0-9]+(?:-[a-z0-9]+)*$")
SLUG_MAX = 40  # Practice.skill holds the slug
# Paths under /toolbox/ that are not exercises.
RESERVED_SLUGS = frozenset({"practice"})
Group = Literal["urge", "calm", "feelings", "through"]
Kind = Literal["guided", "timer", "breathing"]
GROUPS: tuple[str, ...] = get_args(Group)
KINDS: tuple[str, ...] = get_args(Kind)
MAX_STEPS = 30
STEP_SECONDS_MAX = 30 * 60
MINUTES_MAX = 120


def _a_slug(value: str) -> str:
    if not SLUG.match(value) or len(value) > SLUG_MAX:
        raise ValueError("not a slug")
    return value


def _at_most(limit: int) -> AfterValidator:
    def validate(value: str) -> str:
        if len(value) > limit:
            raise ValueError(f"too long ({len(value)} characters; at most {limit})")
        return value.strip()

    return AfterValidator(validate)


def _within(low: int, high: int) -> AfterValidator:
    def validate(value: int) -> int:
        if not low <= value <= high:
            raise ValueError("out of range")
        return value

    return AfterValidator(validate)


Seconds = Annotated[
    StrictInt,
    _within(1, STEP_SECONDS_MAX),
    explained(f"must be a whole number of seconds from 1 to {STEP_SECONDS_MAX}"),
]
Minutes = Annotated[
    StrictInt,
    _within(1, MINUTES_MAX),
    explained(f"must be a whole number of minutes from 1 to {MINUTES_MAX}"),
]


PaceSeconds = Annotated[
    StrictInt, _within(0, 12), explained("must be a whole number of seconds from 0 to 12")
]


class StepFile(BaseModel):
    model_config = ConfigDict(extra="forbid")

    text: Annotated[Text, _at_most(1200)]
    title: Annotated[PlainText, _at_most(80)] = ""
    seconds: Seconds | None = None


class PaceFile(BaseModel):
    """Paced breathing, in seconds per part of one breath."""

    model_config = ConfigDict(extra="forbid")

    breathe_in: PaceSeconds
    hold: PaceSeconds = 0
    breathe_out: PaceSeconds
    rest: PaceSeconds = 0

    @model_validator(mode="after")
    def _breathes(self) -> PaceFile:
        if self.breathe_in < 2 or self.breathe_out < 2:
            raise problem("breathing in and out take at least 2 seconds each")
        return self


class SkillFile(BaseModel):
    """One exercise file, declared."""

    model_config = ConfigDict(extra="forbid")

    slug: Annotated[str, AfterValidator(_a_slug), explained("must be lower-case words and hyphens")]
    title: Annotated[Text, _at_most(80)]
    summary: Annotated[Text, _at_most(300)]
    group: Annotated[Group, explained(f"must be one of {', '.join(GROUPS)}, not {{value}}")]
    kind: Annotated[Kind, explained(f"must be one of {', '.join(KINDS)}, not {{value}}")]
    order: Annotated[StrictInt, explained("must be a whole number")] = 100
    quick: Annotated[StrictBool, explained("must be true or false")] = False
    caution: Annotated[PlainText, _at_most(600)] = ""
    end: Annotated[PlainText, _at_most(600)] = ""
    minutes: list[Minutes] = []
    default_minutes: Minutes | None = None
    pace: PaceFile | None = None
    steps: list[StepFile]

    @model_validator(mode="after")
    def _fits_its_kind(self) -> SkillFile:
        if self.slug in RESERVED_SLUGS:
            raise problem(f"{self.slug!r} is taken by the toolbox itself; choose another slug")
        if not self.steps:
            raise problem("needs at least one step", at=("steps",))
        if len(self.steps) > MAX_STEPS:
            raise problem(f"has {len(self.steps)} steps; at most {MAX_STEPS}", at=("steps",))
        timed = [step.seconds is not None for step in self.steps]
        if self.kind == "guided":
            if any(timed) and not all(timed):
                raise problem(
                    "give seconds for every step, or for none (then it is walked through)",
                    at=("steps",),
                )
            if self.minutes or self.default_minutes is not None or self.pace is not None:
                raise problem("a guided exercise takes its length from its steps' seconds")
            return self
        if any(timed):
            raise problem(f"steps of a {self.kind} exercise have no seconds", at=("steps",))
        if not self.minutes:
            raise problem(f"a {self.kind} exercise needs minutes to choose from", at=("minutes",))
        if self.default_minutes is None or self.default_minutes not in self.minutes:
            raise problem("must be one of the minutes listed", at=("default_minutes",))
        if self.kind == "breathing" and self.pace is None:
            raise problem("a breathing exercise needs its pace", at=("pace",))
        if self.kind == "timer" and self.pace is not None:
            raise problem("only a breathing exercise has a pace", at=("pace",))
        return self


# --- what the rest of Waypost reads ---------------------------------------------------


@dataclass(frozen=True)
class Step:
    text: str
    title: str = ""
    seconds: int | None = None


@dataclass(frozen=True)
class Pace:
    breathe_in: int
    hold: int
    breathe_out: int
    rest: int

    @property
    def breath_seconds(self) -> int:
        return self.breathe_in + self.hold + self.breathe_out + self.rest


@dataclass(frozen=True)
class Skill:
    """One exercise of the toolbox."""

    slug: str
    title: str
    summary: str
    group: str
    kind: str
    order: int
    quick: bool
    caution: str
    end: str
    minutes: tuple[int, ...]
    default_minutes: int | None
    pace: Pace | None
    steps: tuple[Step, ...]
    path: Path

    @property
    def timed(self) -> bool:
        """Runs against a clock (a timer, a pacer, or guided steps that all have seconds)."""
        return self.kind != "guided" or all(step.seconds is not None for step in self.steps)

    @property
    def seconds(self) -> int | None:
        """A guided, timed exercise's whole length; None for the others."""
        if self.kind != "guided" or not self.timed:
            return None
        return sum(step.seconds or 0 for step in self.steps)

    @property
    def about_minutes(self) -> int | None:
        """A guided, timed exercise's length in whole minutes (at least 1)."""
        seconds = self.seconds
        return None if seconds is None else max(1, round(seconds / 60))


@dataclass(frozen=True)
class Toolbox:
    """Every exercise, by group and then ``order``."""

    skills: tuple[Skill, ...] = ()
    _by_slug: dict[str, Skill] = field(default_factory=dict, compare=False, repr=False)

    def __post_init__(self) -> None:
        self._by_slug.update({s.slug: s for s in self.skills})

    def __iter__(self) -> Iterator[Skill]:
        return iter(self.skills)

    def __len__(self) -> int:
        return len(self.skills)

    def get(self, slug: str) -> Skill | None:
        return self._by_slug.get(slug)

    def in_group(self, group: str) -> list[Skill]:
        return [s for s in self.skills if s.group == group]

    @property
    def quick(self) -> list[Skill]:
        return [s for s in self.skills if s.quick]


class SkillsError(Exception):
    """One or more exercise files are broken; ``problems`` lists (file, problem) pairs."""

    def __init__(self, problems: list[tuple[str, str]]):
        self.problems = problems
        lines = [f"{path}: {text}" for path, text in problems]
        super().__init__(
            "the skills toolbox cannot start, fix these exercise files:\n  " + "\n  ".join(lines)
        )


_SINGULAR = {"steps": "step"}


def _describe(loc: Loc) -> str:
    """``("steps", 2, "text")`` → ``"step 3 text"``; ``("minutes", 0)`` → ``"minutes 1"``."""
    words: list[str] = []
    for part in loc:
        if isinstance(part, int):
            before = words.pop() if words else "item"
            words.append(f"{_SINGULAR.get(before, before)} {part + 1}")
        else:
            words.append(str(part))
    return " ".join(words)


def _missing(loc: Loc) -> str:
    where = _describe(loc[:-1])
    name = str(loc[-1]) if loc else "value"
    return f"{where}: missing {name}" if where else f"missing {name}"


def _skill_from(path: Path, parsed: SkillFile) -> Skill:
    return Skill(
        slug=parsed.slug,
        title=parsed.title,
        summary=parsed.summary,
        group=parsed.group,
        kind=parsed.kind,
        order=parsed.order,
        quick=parsed.quick,
        caution=parsed.caution,
        end=parsed.end,
        minutes=tuple(parsed.minutes),
        default_minutes=parsed.default_minutes,
        pace=None if parsed.pace is None else Pace(**parsed.pace.model_dump()),
        steps=tuple(Step(s.text, s.title, s.seconds) for s in parsed.steps),
        path=path,
    )


def parse_skill(path: Path) -> Skill:
    """Read and check one file. Raises ValueError with one plain line per problem."""
    try:
        data = tomllib.loads(path.read_text(encoding="utf-8"))
    except UnicodeDecodeError as exc:
        raise ValueError("the file is not UTF-8 text") from exc
    except tomllib.TOMLDecodeError as exc:
        raise ValueError(f"not valid TOML ({exc})") from exc
    except OSError as exc:
        raise ValueError(f"cannot read the file ({exc.strerror})") from exc
    try:
        parsed = SkillFile.model_validate(data)
    except ValidationError as exc:
        lines = plain_problems(exc.errors(), describe=_describe, missing=_missing)
        raise ValueError("; ".join(lines)) from None
    if parsed.slug != path.stem:
        raise ValueError(f"slug {parsed.slug!r} must match the file's name ({path.stem!r})")
    return _skill_from(path, parsed)


def load(directory: Path | None = None) -> Toolbox:
    """Every ``*.toml`` in ``directory`` (default ``SKILLS_DIR``), checked; raises SkillsError
    naming each bad file."""
    directory = SKILLS_DIR if directory is None else directory
    problems: list[tuple[str, str]] = []
    found: list[Skill] = []
    paths = sorted(directory.glob("*.toml")) if directory.is_dir() else []
    if not paths:
        problems.append((str(directory), "no exercise files (*.toml) found"))
    for path in paths:
        try:
            found.append(parse_skill(path))
        except ValueError as exc:
            problems.append((str(path), str(exc)))
    if problems:
        raise SkillsError(problems)
    found.sort(key=lambda s: (GROUPS.index(s.group), s.order, s.title))
    return Toolbox(tuple(found))


_toolbox: Toolbox | None = None


def reload(directory: Path | None = None) -> Toolbox:
    """Load (again) the exercises every page uses; called from ``AppConfig.ready()``."""
    global _toolbox
    _toolbox = load(directory)
    return _toolbox


def toolbox() -> Toolbox:
    """The loaded exercises (loaded now if start-up has not yet)."""
    return _toolbox if _toolbox is not None else reload()
