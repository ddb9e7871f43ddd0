"""The history intake's forms: one per topic, with the questions of that screen.

Each form's cleaned data is stored (JSON-safe) under its topic's key. Forms
get the answers saved so far, so a number can be checked against another
topic (years of use against age) with a clear message. The order of the
screens and their titles are in ``topics.py``.

The intake promises that a rough guess or a skip is fine, so **no question is
required**: a topic saves with whatever was answered (a blank number is
stored as ``None``, a blank choice as ``""``). What is refused is only what
cannot be right: a number out of range, an unknown choice, ages that
contradict each other, text over the limit.
"""

from __future__ import annotations

from collections.abc import Sequence
from decimal import Decimal
from typing import TYPE_CHECKING, Any

from django import forms
from django.utils.translation import gettext_lazy as _

from waypost.intake.answer_choices import (
    SCALE,
    SCALE_HELP,
    Activity,
    Condition,
    Impact,
    Longest,
    Vulnerability,
    YesNoUnsure,
)

if TYPE_CHECKING:
    from django_stubs_ext import StrOrPromise

    Choices = Sequence[tuple[str, StrOrPromise]]

TEXT_LIMIT = 2000
AGE_RANGE = _("Please enter an age between 5 and 99.")


def _number_messages(message: StrOrPromise) -> dict[str, StrOrPromise]:
    """Plain messages for a number field; ``message`` says the allowed range."""
    return {
        "invalid": message,
        "min_value": message,
        "max_value": message,
        "max_decimal_places": _("Please use at most one decimal place, for example 2.5."),
        "max_digits": message,
        "max_whole_digits": message,
    }


def _text(label: StrOrPromise, help_text: StrOrPromise = "") -> forms.CharField:
    return forms.CharField(
        label=label,
        help_text=help_text,
        required=False,
        max_length=TEXT_LIMIT,
        widget=forms.Textarea(attrs={"rows": 3}),
        error_messages={
            "max_length": _("Please keep this under %(limit_value)d characters."),
        },
    )


def _choice(
    label: StrOrPromise, choices: Choices, *, scale: bool = False, help_text: StrOrPromise = ""
) -> forms.ChoiceField:
    return forms.ChoiceField(
        label=label,
        choices=choices,
        help_text=help_text,
        # A 0-10 scale lies in one row of big targets (intake.css ``.scale``).
        required=False,
        widget=forms.RadioSelect(attrs={"class": "scale"} if scale else None),
        error_messages={
            "invalid_choice": _("Please choose one of the answers shown."),
        },
    )


def _multiple(
    label: StrOrPromise, choices: Choices, help_text: StrOrPromise = ""
) -> forms.MultipleChoiceField:
    return forms.MultipleChoiceField(
        label=label,
        choices=choices,
        required=False,
        help_text=help_text,
        widget=forms.CheckboxSelectMultiple,
        error_messages={"invalid_choice": _("One of the choices was not recognised.")},
    )


class TopicForm(forms.Form):
    """One topic's questions. ``answers`` holds every topic saved so far."""

    def __init__(self, *args: Any, answers: dict[str, Any] | None = None, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.answers = answers or {}

    def saved_answer(self, topic: str, name: str) -> Any:
        """One answer from a topic saved earlier (JSON: a number, text or list), or None."""
        return (self.answers.get(topic) or {}).get(name)

    def to_answers(self) -> dict[str, Any]:
        """The cleaned data in a form JSON can hold (numbers as int or float)."""
        out: dict[str, Any] = {}
        for name, value in self.cleaned_data.items():
            if isinstance(value, Decimal):
                value = float(value)
            out[name] = value
        return out


class FirstExposureForm(TopicForm):
    current_age = forms.IntegerField(
        required=False,
        label=_("How old are you now?"),
        min_value=5,
        max_value=99,
        error_messages=_number_messages(AGE_RANGE),
    )
    first_exposure_age = forms.IntegerField(
        required=False,
        label=_("How old were you when you first came across pornography?"),
        help_text=_("A rough guess is fine. If you were younger than 5, enter 5."),
        min_value=5,
        max_value=99,
        error_messages=_number_messages(AGE_RANGE),
    )

    def clean(self) -> dict[str, Any]:
        super().clean()
        data = self.cleaned_data
        now, first = data.get("current_age"), data.get("first_exposure_age")
        if now is None or first is None:
            return data
        if first > now:
            self.add_error(
                "first_exposure_age",
                _("This is older than the age you are now (%(age)d). Please check both.")
                % {"age": now},
            )
            return data
        years = self.saved_answer("duration", "years")
        if years is not None and years > now - first:
            self.add_error(
                None,
                _(
                    "Earlier you said it has felt like a problem for %(years)d years, which "
                    "would start before you first came across it. Please check these ages, "
                    "or change the number of years on the next screen."
                )
                % {"years": years},
            )
        return data


class DurationForm(TopicForm):
    years = forms.IntegerField(
        required=False,
        label=_("For about how many years has your use felt like a problem?"),
        help_text=_("A rough number is fine. If it is less than a year, enter 0."),
        min_value=0,
        max_value=94,
        error_messages=_number_messages(_("Please enter a number of years between 0 and 94.")),
    )

    def clean_years(self) -> int | None:
        years: int | None = self.cleaned_data["years"]
        if years is None:
            return None
        age = self.saved_answer("first_exposure", "current_age")
        first = self.saved_answer("first_exposure", "first_exposure_age")
        if age is not None and years > age:
            raise forms.ValidationError(
                _("That is more years than your age (%(age)d). Please check the number.")
                % {"age": age}
            )
        if age is not None and first is not None and years > age - first:
            raise forms.ValidationError(
                _(
                    "You first came across it at %(first)d and you are %(age)d, so this can be "
                    "at most %(most)d years. Please check the number, or your ages on the "
                    "first screen."
                )
                % {"first": first, "age": age, "most": age - first}
            )
        return years


class FrequencyForm(TopicForm):
    sessions_per_week = forms.IntegerField(
        required=False,
        label=_("In a typical week lately, how many times do you use?"),
        help_text=_("Count each separate session, however short."),
        min_value=0,
        max_value=100,
        error_messages=_number_messages(_("Please enter a whole number between 0 and 100.")),
    )
    hours_per_week = forms.DecimalField(
        required=False,
        label=_("About how many hours does that add up to in a week?"),
        help_text=_("Include the time spent searching and scrolling. For example 2.5."),
        min_value=0,
        max_value=168,
        max_digits=4,
        decimal_places=1,
        error_messages=_number_messages(
            _("Please enter a number of hours between 0 and 168 (the hours in a week).")
        ),
    )


class ActivitiesForm(TopicForm):
    kinds = _multiple(
        _("Which kinds of online sexual activity are part of it?"),
        Activity.choices,
        help_text=_("Tick all that apply."),
    )
    other = forms.CharField(
        label=_("If something else, what?"),
        required=False,
        max_length=200,
        error_messages={"max_length": _("Please keep this under %(limit_value)d characters.")},
    )

    def clean(self) -> dict[str, Any]:
        super().clean()
        data = self.cleaned_data
        kinds = list(data.get("kinds") or [])
        other = (data.get("other") or "").strip()
        # Words without the tick count as "something else"; the tick without words
        # is kept as it is (the clinician can ask).
        if other and Activity.OTHER not in kinds:
            kinds.append(Activity.OTHER.value)
        data["kinds"], data["other"] = kinds, other
        return data


class EscalationForm(TopicForm):
    more_time = _choice(
        _("Over time, have you been spending more time on it than before?"),
        YesNoUnsure.choices,
        scale=True,
    )
    more_extreme = _choice(
        _("Have you moved toward more extreme or more novel content?"),
        YesNoUnsure.choices,
        scale=True,
    )
    values_conflict = _choice(
        _("Have you found yourself watching things that go against your own values?"),
        YesNoUnsure.choices,
        scale=True,
    )


class AttemptsForm(TopicForm):
    count = forms.IntegerField(
        required=False,
        label=_("How many times have you seriously tried to stop or cut down?"),
        help_text=_("Enter 0 if you have not tried yet. That is fine too."),
        min_value=0,
        max_value=100,
        error_messages=_number_messages(_("Please enter a whole number between 0 and 100.")),
    )
    longest = forms.ChoiceField(
        label=_("What was the longest time you managed without it?"),
        choices=[("", _("Choose one")), *Longest.choices],
        required=False,
        error_messages={"invalid_choice": _("Please choose one of the answers shown.")},
    )
    what_helped = _text(_("What helped, even a little?"))
    what_happened = _text(
        _("What happened when it started again?"),
        _("There is no wrong answer. This is about learning, not blame."),
    )


class ConditionsForm(TopicForm):
    conditions = _multiple(
        _("Have any of these been part of your life in the last year?"),
        Condition.choices,
        help_text=_("Tick any that apply, whether or not anyone has diagnosed it."),
    )
    other = _text(_("Anything else about your health your clinician should know?"))
    treatment = _text(
        _("Current medication or therapy"),
        _("For example, a medicine and its dose, or another therapist you see."),
    )


class ImpairmentForm(TopicForm):
    work = _choice(_("Work or study"), Impact.choices, scale=True)
    relationships = _choice(_("Relationships"), Impact.choices, scale=True)
    money = _choice(_("Money"), Impact.choices, scale=True)
    legal = _choice(_("Legal matters"), Impact.choices, scale=True)
    detail = _text(_("Anything you want to add"), _("Optional."))


class VulnerabilitiesForm(TopicForm):
    items = _multiple(
        _("Which of these apply to you?"),
        Vulnerability.choices,
        help_text=_("Tick all that apply."),
    )
    detail = _text(_("Anything you want to add"), _("Optional."))


class MoralForm(TopicForm):
    moral_distress = _choice(
        _(
            "How much of your distress comes from feeling that the behaviour is morally or "
            "religiously wrong?"
        ),
        SCALE,
        scale=True,
        help_text=SCALE_HELP,
    )
    control_distress = _choice(
        _("How much comes from feeling that you cannot control it, even when you try?"),
        SCALE,
        scale=True,
        help_text=SCALE_HELP,
    )
    note = _text(_("Anything you want to add"), _("Optional."))

    def to_answers(self) -> dict[str, Any]:
        out = super().to_answers()
        for name in ("moral_distress", "control_distress"):
            # A blank scale stays blank (None); an answer is stored as a number.
            out[name] = int(out[name]) if out.get(name) not in (None, "") else None
        return out
