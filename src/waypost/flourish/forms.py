"""Forms of Stage 4's pages; the services check the rules again when they save."""

from __future__ import annotations

from typing import Any

from django import forms
from django.utils.translation import gettext_lazy as _

from waypost.flourish import domains
from waypost.flourish.models import Goal, Rhythm
from waypost.flourish.services.goals import NOTE_MAX, STEP_MAX, TITLE_MAX, WHY_MAX


def _domain_choices() -> list[tuple[str, str]]:
    return [(d.key, d.name) for d in domains.domains()]


class DateInput(forms.DateInput):
    input_type = "date"


class GoalForm(forms.Form):
    """A goal: its area of life, its words, why it matters, when to look again, first steps."""

    domain = forms.ChoiceField(label=_("Area of life"), widget=forms.RadioSelect)
    title = forms.CharField(label=_("Your goal"), max_length=TITLE_MAX)
    why = forms.CharField(
        label=_("Why it matters to you (optional)"),
        max_length=WHY_MAX,
        required=False,
        widget=forms.Textarea(attrs={"rows": 3}),
    )
    review_on = forms.DateField(
        label=_("When to look at it again (optional)"), required=False, widget=DateInput
    )
    steps = forms.CharField(
        label=_("First steps, one a line (optional)"),
        required=False,
        widget=forms.Textarea(attrs={"rows": 4}),
    )
    client_uuid = forms.UUIDField(required=False, widget=forms.HiddenInput)

    def __init__(self, *args: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.fields["domain"].choices = _domain_choices()  # type: ignore[attr-defined]


class GoalEditForm(forms.Form):
    domain = forms.ChoiceField(label=_("Area of life"), widget=forms.RadioSelect)
    title = forms.CharField(label=_("Your goal"), max_length=TITLE_MAX)
    why = forms.CharField(
        label=_("Why it matters to you (optional)"),
        max_length=WHY_MAX,
        required=False,
        widget=forms.Textarea(attrs={"rows": 3}),
    )
    review_on = forms.DateField(
        label=_("When to look at it again (optional)"), required=False, widget=DateInput
    )
    status = forms.ChoiceField(
        label=_("Where it stands"), choices=Goal.Status.choices, widget=forms.RadioSelect
    )

    def __init__(self, *args: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.fields["domain"].choices = _domain_choices()  # type: ignore[attr-defined]


class StepForm(forms.Form):
    text = forms.CharField(label=_("A new step"), max_length=STEP_MAX)


class StepDoneForm(forms.Form):
    done = forms.BooleanField(required=False)


class NoteForm(forms.Form):
    text = forms.CharField(
        label=_("A progress note"),
        max_length=NOTE_MAX,
        widget=forms.Textarea(attrs={"rows": 3}),
    )


class ReviewForm(forms.Form):
    next_review_on = forms.DateField(label=_("Next review"), widget=DateInput)
    note = forms.CharField(
        label=_("How is it going? (optional)"),
        max_length=NOTE_MAX,
        required=False,
        widget=forms.Textarea(attrs={"rows": 3}),
    )


class MaintenanceForm(forms.Form):
    rhythm = forms.ChoiceField(
        label=_("How often to check in"), choices=Rhythm.choices, widget=forms.RadioSelect
    )
    warning_signs = forms.CharField(
        label=_("Signs to watch for, in your own words, one a line"),
        widget=forms.Textarea(attrs={"rows": 5}),
    )
    if_they_appear = forms.CharField(
        label=_("What I will do if they appear, one a line"),
        required=False,
        widget=forms.Textarea(attrs={"rows": 5}),
    )


class AgreeForm(forms.Form):
    version = forms.IntegerField(min_value=1, widget=forms.HiddenInput)


class GraduateForm(forms.Form):
    note = forms.CharField(
        label=_("A short note for the graduation"),
        max_length=1000,
        widget=forms.Textarea(attrs={"rows": 3}),
    )


class StepBackForm(forms.Form):
    note = forms.CharField(
        label=_("Why, briefly (optional)"),
        max_length=1000,
        required=False,
        widget=forms.Textarea(attrs={"rows": 2}),
    )
