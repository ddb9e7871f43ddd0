"""The client's story: five guided parts, each a short form of prompts.

What a client writes here is theirs; it reaches the clinician only as the
copy they choose to share (see ``services.share_story``).
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass, field
from typing import TYPE_CHECKING, Any, cast

from django import forms
from django.db import models
from django.utils.translation import gettext_lazy as _

if TYPE_CHECKING:
    from django_stubs_ext import StrOrPromise

STORY_TEXT_LIMIT = 20000


class Function(models.TextChoices):
    SOOTHING = "soothing", _("Soothing: it calms me down")
    NUMBING = "numbing", _("Numbing: I stop feeling things for a while")
    AVOIDING = "avoiding", _("Avoiding: I put off something I don't want to face")
    ESCAPING = "escaping", _("Escaping: I get away from my life for a while")
    REWARDING = "rewarding", _("Rewarding: it feels like a treat I have earned")


class Driver(models.TextChoices):
    ANXIETY = "anxiety", _("Anxiety or worry")
    LOW_MOOD = "low_mood", _("Low mood")
    STRESS = "stress", _("Stress")
    SHAME = "shame", _("Shame")
    LONELINESS = "loneliness", _("Loneliness")
    BOREDOM = "boredom", _("Boredom")
    CONFLICT = "conflict", _("Conflict with someone")


def _story_text(label: StrOrPromise, help_text: StrOrPromise = "") -> forms.CharField:
    return forms.CharField(
        label=label,
        help_text=help_text,
        required=False,
        max_length=STORY_TEXT_LIMIT,
        widget=forms.Textarea(attrs={"rows": 10}),
        error_messages={
            "max_length": _(
                "This part is very long (over %(limit_value)d characters). Please split it "
                "or shorten it a little."
            ),
        },
    )


def _ticks(
    label: StrOrPromise, choices: Sequence[tuple[str, StrOrPromise]]
) -> forms.MultipleChoiceField:
    return forms.MultipleChoiceField(
        label=label,
        choices=choices,
        required=False,
        widget=forms.CheckboxSelectMultiple,
        error_messages={"invalid_choice": _("One of the choices was not recognised.")},
    )


class StoryPartForm(forms.Form):
    # Headings when someone reads the part back (the form labels speak to the writer);
    # None: no heading, the part's title says it.
    reading_labels: dict[str, StrOrPromise | None] = {}

    def to_content(self) -> dict[str, Any]:
        """The part as stored: text stripped of trailing space, empty answers left out."""
        out: dict[str, Any] = {}
        for name, value in self.cleaned_data.items():
            if isinstance(value, str):
                value = value.strip()
            if value:
                out[name] = value
        return out


class BeganForm(StoryPartForm):
    reading_labels = {"text": None}
    text = _story_text(_("How it began"))


class GrewForm(StoryPartForm):
    reading_labels = {"text": None}
    text = _story_text(_("How it grew"))


class FunctionForm(StoryPartForm):
    reading_labels = {"functions": _("What it does"), "text": _("In their own words")}
    functions = _ticks(_("What does it do for you? Tick any that fit."), Function.choices)
    text = _story_text(_("Describe it in your own words"))


class UnderneathForm(StoryPartForm):
    reading_labels = {"drivers": _("Often there before"), "text": _("In their own words")}
    drivers = _ticks(_("What is often there before you use? Tick any that fit."), Driver.choices)
    text = _story_text(_("Describe it in your own words"))


class CostForm(StoryPartForm):
    reading_labels = {"text": _("What it has cost"), "wanted": _("What they want instead")}
    text = _story_text(_("What it has cost me"))
    wanted = _story_text(
        _("What I want instead"),
        _("The life, the relationships, the person you want to grow into."),
    )


@dataclass(frozen=True)
class StoryPart:
    number: int
    key: str
    title: StrOrPromise
    prompts: list[StrOrPromise] = field(default_factory=list)
    form_class: type[StoryPartForm] = StoryPartForm


PARTS: list[StoryPart] = [
    StoryPart(
        1,
        "began",
        _("How it began"),
        [
            _("When did you first come across it, and how old were you?"),
            _("What was happening in your life at that time, at home, at school, with friends?"),
            _("What did it feel like back then? What did you make of it?"),
        ],
        BeganForm,
    ),
    StoryPart(
        2,
        "grew",
        _("How it grew"),
        [
            _("How did it change over the years: how often, how long, what you looked at?"),
            _("What was going on in your life when it got heavier?"),
            _("When did you first notice that it was hard to stop?"),
        ],
        GrewForm,
    ),
    StoryPart(
        3,
        "function",
        _("What it does for me"),
        [
            _("Think of the last few times. What did you want to feel, or stop feeling?"),
            _("What does it give you that is hard to find anywhere else right now?"),
        ],
        FunctionForm,
    ),
    StoryPart(
        4,
        "underneath",
        _("What lies underneath"),
        [
            _("What tends to be there just before: a feeling, a thought, a situation?"),
            _("Which of these have been with you for a long time, perhaps since before it began?"),
        ],
        UnderneathForm,
    ),
    StoryPart(
        5,
        "cost",
        _("What it has cost me"),
        [
            _("Time, sleep, money, work, health, closeness with people you love, self-respect."),
            _("Be as honest as feels safe. This is for you, and for your clinician if you share."),
        ],
        CostForm,
    ),
]
PART_KEYS = [p.key for p in PARTS]


def part_by_number(number: int) -> StoryPart | None:
    return PARTS[number - 1] if 1 <= number <= len(PARTS) else None


def describe_part(part: StoryPart, content: dict[str, Any]) -> list[dict[str, Any]]:
    """A part's answers for reading back: each has a heading (or None) and either text
    or the labels of what was ticked."""
    rows: list[dict[str, Any]] = []
    headings = part.form_class.reading_labels
    for name, form_field in part.form_class.base_fields.items():
        value = content.get(name)
        if not value:
            continue
        label = headings.get(name, form_field.label)
        if isinstance(value, list):
            ticks = cast(forms.MultipleChoiceField, form_field)
            # Django has made the choices (value, label) pairs; the stubs type the
            # getter as anything the setter accepts.
            choices = dict(ticks.choices)  # type: ignore[arg-type]
            rows.append({"label": label, "ticks": [choices.get(v, v) for v in value]})
        else:
            rows.append({"label": label, "text": value})
    return rows
