"""A lapse's chain analysis: the links from what made a day harder to what to keep.

A guided look back at one lapse, one step at a time, in the client's own words. Every
step is optional: a lapse may be kept with nothing written ("it happened") and looked
back at later. The steps follow a behavioural chain analysis — vulnerabilities, the
prompting event, thoughts, feelings, actions, consequences — and end with what to do
differently and one sentence to keep (``learning``), which can join the
relapse-prevention plan with one tap. No database here: the model keeps the result of
:func:`dumps` as encrypted JSON.
"""

from __future__ import annotations

import json
from collections.abc import Mapping
from dataclasses import dataclass
from typing import Any

from django.utils.translation import gettext_lazy as _

from waypost.recovery import prevention_content

FORMAT_VERSION = 1
MAX_LENGTH = 2000
# One sentence to keep: it must fit as a line of the relapse-prevention plan.
LEARNING_MAX_LENGTH = prevention_content.MAX_ITEM_LENGTH


class ChainError(ValueError):
    """The chain cannot be kept as written; the message says what to change, kindly."""


@dataclass(frozen=True)
class Step:
    key: str
    title: Any  # lazily translated: the step's heading
    prompt: Any  # a question, kindly put
    hint: Any  # examples, to get started
    max_length: int = MAX_LENGTH
    rows: int = 4


STEPS: tuple[Step, ...] = (
    Step(
        "what_happened",
        _("What happened"),
        _("In a few words, what happened? As plainly or as briefly as you like."),
        _("Late on Tuesday, alone with my phone in bed, I ended up on the sites again."),
        rows=3,
    ),
    Step(
        "vulnerabilities",
        _("What made me more vulnerable"),
        _("Earlier that day or that week: what made it harder to hold on?"),
        _("Little sleep, a hard day at work, skipped dinner, nobody around, a drink or two."),
    ),
    Step(
        "trigger",
        _("What set it off"),
        _("The moment the pull started: a sight, a feeling, a thought, a place, a time."),
        _("An image in my feed after an argument."),
        rows=3,
    ),
    Step(
        "thoughts",
        _("What I was thinking"),
        _("The thoughts that came up as the pull grew."),
        _("“Just this once.” “I deserve something.” “It doesn't matter any more.”"),
    ),
    Step(
        "feelings",
        _("What I was feeling"),
        _("Feelings and body sensations, before and during."),
        _("Restless, lonely, a tight chest; then numb."),
    ),
    Step(
        "actions",
        _("What I did, step by step"),
        _("The small choices between the trigger and the lapse. Each is a link in the chain."),
        _("Kept scrolling, closed the door, searched one word, turned off the filter."),
    ),
    Step(
        "consequences",
        _("What came after"),
        _("How it felt afterwards, and what it cost or changed, in the short and long run."),
        _("Relief for a minute, then shame; slept badly; avoided my partner the next day."),
    ),
    Step(
        "differently",
        _("What I could do differently"),
        _("Where in the chain could you step off next time, and how?"),
        _("When I feel that restless after a row, I leave my phone in the kitchen and call Sam."),
    ),
    Step(
        "learning",
        _("One sentence to keep"),
        _("What do you want to remember from this? It can go into your relapse-prevention plan."),
        _("Arguments plus a phone in bed are my riskiest mix."),
        max_length=LEARNING_MAX_LENGTH,
        rows=2,
    ),
)
STEP_KEYS = tuple(step.key for step in STEPS)
_BY_KEY = {step.key: step for step in STEPS}


def step(key: str) -> Step:
    return _BY_KEY[key]


def _clean(value: Any) -> str:
    """Trimmed text with tidy line ends; runs of blank lines kept to one."""
    text = str(value or "").replace("\r\n", "\n").replace("\r", "\n").strip()
    lines: list[str] = []
    for line in text.split("\n"):
        line = line.rstrip()
        if line or (lines and lines[-1]):
            lines.append(line)
    return "\n".join(lines)


def normalise(content: Mapping[str, Any]) -> dict[str, str]:
    """Every step, in order, as clean text ("" when not written); refuses what is too long.

    Unknown keys are ignored. The learning is one line (line breaks become spaces).
    """
    result = {key: _clean(content.get(key, "")) for key in STEP_KEYS}
    result["learning"] = " ".join(result["learning"].split())
    for key, text in result.items():
        limit = step(key).max_length
        if len(text) > limit:
            raise ChainError(
                _("“%(part)s” is long; please keep it under %(max)d letters.")
                % {"part": step(key).title, "max": limit}
            )
    return result


def dumps(content: Mapping[str, str]) -> str:
    """A normalised chain as JSON text, for encrypted storage ("" when nothing is written)."""
    if not any(content.get(key) for key in STEP_KEYS):
        return ""
    data: dict[str, Any] = {"format": FORMAT_VERSION}
    data.update({key: content.get(key, "") for key in STEP_KEYS})
    return json.dumps(data, ensure_ascii=False, separators=(",", ":"))


def loads(text: str) -> dict[str, str]:
    """Stored JSON back to every step ("" for those not written)."""
    data = json.loads(text) if text else {}
    if not isinstance(data, dict):
        data = {}
    return {key: _clean(data.get(key, "")) for key in STEP_KEYS}


def written(content: Mapping[str, str]) -> int:
    """How many steps say something."""
    return sum(1 for key in STEP_KEYS if content.get(key))


def is_empty(content: Mapping[str, str]) -> bool:
    return written(content) == 0


def next_step(key: str) -> str | None:
    """The step after ``key``, or None after the last."""
    index = STEP_KEYS.index(key)
    return STEP_KEYS[index + 1] if index + 1 < len(STEP_KEYS) else None


def previous_step(key: str) -> str | None:
    index = STEP_KEYS.index(key)
    return STEP_KEYS[index - 1] if index > 0 else None
