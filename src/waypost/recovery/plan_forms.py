"""Forms of the two plans and the lapse log. Each works without JavaScript.

Lists are one text box per part, one item per line, as the safety plan does: adding
a line adds an item, deleting it removes it.
"""

from __future__ import annotations

import uuid
from datetime import date, timedelta
from typing import TYPE_CHECKING, Any

from django import forms
from django.utils import formats
from django.utils.translation import gettext_lazy as _

from waypost.recovery import chain_content, plan_content, prevention_content
from waypost.recovery.models import PERIOD_DEFAULT_DAYS, PERIOD_MAX_DAYS, PERIOD_MIN_DAYS
from waypost.recovery.services.plans import PERIOD_CHOICES, start_date_range

if TYPE_CHECKING:
    from waypost.recovery.models import PreventionPlan, RecoveryPlan

OTHER = "other"
_CIRCLE_BOX_MAX = plan_content.MAX_ITEMS * (plan_content.MAX_ITEM_LENGTH + 2)
_PREVENTION_BOX_MAX = prevention_content.MAX_ITEMS * (prevention_content.MAX_ITEM_LENGTH + 2)


def _textarea(initial: str, example: Any) -> forms.Textarea:
    lines = initial.count("\n") + 1 if initial else 0
    return forms.Textarea(
        attrs={
            "rows": min(12, max(3, lines + 1)),
            "placeholder": example,
            "spellcheck": "true",
            "autocapitalize": "sentences",
        }
    )


class RecoveryPlanForm(forms.Form):
    """The period (40, 60, 90 or another number of days), its start, and the three circles."""

    period = forms.ChoiceField(
        label=_("How many days"),
        widget=forms.RadioSelect,
        error_messages={"required": _("Please choose how many days.")},
    )
    period_other = forms.IntegerField(
        required=False,
        min_value=PERIOD_MIN_DAYS,
        max_value=PERIOD_MAX_DAYS,
        widget=forms.NumberInput(attrs={"inputmode": "numeric"}),
    )
    start_date = forms.DateField(
        label=_("First day"),
        widget=forms.DateInput(attrs={"type": "date"}, format="%Y-%m-%d"),
        error_messages={
            "required": _("Please give the day your plan starts."),
            "invalid": _("Please give the start as a date."),
        },
    )

    def __init__(
        self, *args: Any, plan: RecoveryPlan | None = None, today: date, **kwargs: Any
    ) -> None:
        super().__init__(*args, **kwargs)
        # Words made here, not at import, so they are in the reader's language.
        period_field = self.fields["period"]
        assert isinstance(period_field, forms.ChoiceField)
        period_field.choices = [
            *((str(n), _("%(n)d days") % {"n": n}) for n in PERIOD_CHOICES),
            (OTHER, _("Another number")),
        ]
        self.fields["period_other"].label = _("Number of days (%(min)d to %(max)d)") % {
            "min": PERIOD_MIN_DAYS,
            "max": PERIOD_MAX_DAYS,
        }
        period = plan.period_days if plan is not None else PERIOD_DEFAULT_DAYS
        self.fields["period"].initial = str(period) if period in PERIOD_CHOICES else OTHER
        self.fields["period_other"].initial = None if period in PERIOD_CHOICES else period
        self.fields["start_date"].initial = plan.start_date if plan is not None else today
        earliest, latest = start_date_range(today)
        if plan is not None and plan.start_date < earliest:
            earliest = plan.start_date
        self.fields["start_date"].widget.attrs.update(
            {"min": earliest.isoformat(), "max": latest.isoformat()}
        )
        self.fields["start_date"].help_text = _(
            "Day 1 of your count. Up to a year back, or up to %(n)d days ahead."
        ) % {"n": (latest - today).days}
        for circle in plan_content.CIRCLES:
            initial = ""
            if plan is not None:
                initial = plan_content.as_text(plan_content.loads(plan.content)[circle.key])
            self.fields[circle.key] = forms.CharField(
                label=circle.title,
                help_text=circle.prompt,
                required=False,
                max_length=_CIRCLE_BOX_MAX,
                initial=initial,
                widget=_textarea(initial, circle.example),
            )

    def clean(self) -> dict[str, Any]:
        cleaned = super().clean() or {}
        period = cleaned.get("period")
        if period == OTHER:
            if cleaned.get("period_other") is None and "period_other" not in self.errors:
                self.add_error(
                    "period_other",
                    _("Please write how many days, from %(min)d to %(max)d.")
                    % {"min": PERIOD_MIN_DAYS, "max": PERIOD_MAX_DAYS},
                )
            cleaned["period_days"] = cleaned.get("period_other")
        elif period:
            cleaned["period_days"] = int(period)
        if self.errors:
            return cleaned
        parsed = {
            key: plan_content.parse_text(cleaned.get(key, "")) for key in plan_content.CIRCLE_KEYS
        }
        try:
            self._circles = plan_content.normalise(parsed)
        except plan_content.CirclesError as exc:
            raise forms.ValidationError(str(exc)) from None
        return cleaned

    def circles(self) -> dict[str, list[str]]:
        return self._circles


class PreventionPlanForm(forms.Form):
    """One text box per section of the relapse-prevention plan, in plan order."""

    def __init__(self, *args: Any, plan: PreventionPlan | None = None, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        data = prevention_content.loads(plan.content) if plan is not None else {}
        for part in prevention_content.SECTIONS:
            initial = prevention_content.as_text(part.key, data.get(part.key, []))
            self.fields[part.key] = forms.CharField(
                label=part.title,
                help_text=part.prompt,
                required=False,
                max_length=_PREVENTION_BOX_MAX,
                initial=initial,
                widget=_textarea(initial, part.example),
            )

    def clean(self) -> dict[str, Any]:
        cleaned = super().clean() or {}
        if self.errors:
            return cleaned
        parsed = {
            key: prevention_content.parse_text(key, cleaned.get(key, ""))
            for key in prevention_content.SECTION_KEYS
        }
        try:
            self._content = prevention_content.normalise(parsed)
        except prevention_content.PreventionContentError as exc:
            raise forms.ValidationError(str(exc)) from None
        return cleaned

    def content(self) -> dict[str, list[Any]]:
        return self._content


def day_label(day: date, today: date) -> str:
    """The day as the list shows it: "Today, Friday 4 December", "Yesterday, …", or the date."""
    words = formats.date_format(day, "l j F")
    if day == today:
        return str(_("Today, %(day)s") % {"day": words})
    if day == today - timedelta(days=1):
        return str(_("Yesterday, %(day)s") % {"day": words})
    return words


class LapseForm(forms.Form):
    """Which day (required) and, if the client likes, what happened."""

    day = forms.TypedChoiceField(
        label=_("Which day was it?"),
        coerce=date.fromisoformat,
        error_messages={
            "required": _("Please choose the day it happened."),
            "invalid_choice": _("Please choose one of the days in the list."),
        },
    )
    what_happened = forms.CharField(
        label=chain_content.step("what_happened").title,
        help_text=_("Optional. A few words are enough; you can say more later, or nothing."),
        required=False,
        max_length=chain_content.MAX_LENGTH,
        widget=forms.Textarea(attrs={"rows": 3, "autocapitalize": "sentences"}),
    )
    client_uuid = forms.UUIDField(widget=forms.HiddenInput)

    def __init__(self, *args: Any, days: list[date], today: date, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        field = self.fields["day"]
        assert isinstance(field, forms.TypedChoiceField)
        field.choices = [(day.isoformat(), day_label(day, today)) for day in days]
        field.initial = today.isoformat()
        self.fields["what_happened"].widget.attrs["placeholder"] = chain_content.step(
            "what_happened"
        ).hint
        # A fresh id each time the form is shown: submitting it twice stores it once.
        self.fields["client_uuid"].initial = uuid.uuid4()


class ChainStepForm(forms.Form):
    """One step of the chain analysis: one box, optional."""

    def __init__(self, *args: Any, step: chain_content.Step, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.fields["text"] = forms.CharField(
            label=step.prompt,
            required=False,
            max_length=step.max_length,
            widget=forms.Textarea(
                attrs={
                    "rows": step.rows,
                    "placeholder": step.hint,
                    "spellcheck": "true",
                    "autocapitalize": "sentences",
                }
            ),
            error_messages={
                "max_length": _("Please keep it under %(limit_value)d letters."),
            },
        )
