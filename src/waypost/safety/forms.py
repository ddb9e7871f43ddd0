"""Forms: the safety plan as one box per part (one item per line) and the acknowledge note."""

from __future__ import annotations

from typing import TYPE_CHECKING, Any

from django import forms
from django.utils.text import format_lazy
from django.utils.translation import gettext_lazy as _

from waypost.clinics.models import Clinic, ClinicianProfile
from waypost.safety import plan_content
from waypost.safety.services import NOTE_MAX_LENGTH

if TYPE_CHECKING:
    from waypost.safety.models import SafetyPlan

# Room for every allowed line at full length, and no more.
_BOX_MAX = plan_content.MAX_ITEMS * (plan_content.MAX_ITEM_LENGTH + 2)


class SafetyPlanForm(forms.Form):
    """One text box per part of the plan, in plan order. Works without JavaScript.

    Adding a line adds an item, deleting a line removes it. ``content()``
    gives the parsed plan for ``services.save_plan``.
    """

    def __init__(self, *args: Any, plan: SafetyPlan | None = None, **kwargs: Any):
        super().__init__(*args, **kwargs)
        for part in plan_content.SECTIONS:
            initial = plan_content.as_text(part.key, plan.items(part.key)) if plan else ""
            lines = initial.count("\n") + 1 if initial else 0
            self.fields[part.key] = forms.CharField(
                label=(
                    format_lazy(_("Step {n}: {title}"), n=part.step, title=part.title)
                    if part.step
                    else part.title
                ),
                help_text=part.prompt,
                required=False,
                max_length=_BOX_MAX,
                initial=initial,
                widget=forms.Textarea(
                    attrs={
                        "rows": min(12, max(3, lines + 1)),
                        "placeholder": part.example,
                        "spellcheck": "true",
                        "autocapitalize": "sentences",
                    }
                ),
            )

    def clean(self) -> dict[str, Any]:
        super().clean()
        cleaned = self.cleaned_data
        if self.errors:
            return cleaned
        parsed = {
            key: plan_content.parse_text(key, cleaned.get(key, ""))
            for key in plan_content.SECTION_KEYS
        }
        try:
            self._content = plan_content.normalise(parsed)
        except plan_content.PlanContentError as exc:
            raise forms.ValidationError(str(exc)) from None
        return cleaned

    def content(self) -> dict[str, list[Any]]:
        return self._content


class AcknowledgeForm(forms.Form):
    note = forms.CharField(
        label=_("What you did or will do"),
        help_text=_("Required. Kept in the client's record; clinic admins do not see it."),
        max_length=NOTE_MAX_LENGTH,
        widget=forms.Textarea(attrs={"rows": 3}),
        error_messages={
            "required": _("Please write a short note: what you did or will do about this alert.")
        },
    )


class EscalationPolicyForm(forms.Form):
    """The clinic's escalation times (``escalation.save_policy`` checks them again)."""

    enabled = forms.BooleanField(
        label=_("Pass on alerts nobody has acknowledged"),
        required=False,
    )
    first_after_minutes = forms.IntegerField(
        label=_("Tell the clinician on call after (minutes)"),
        help_text=_("Counted from when the alert was raised."),
        min_value=1,
        max_value=7 * 24 * 60,
    )
    second_after_minutes = forms.IntegerField(
        label=_("Then tell the clinic admins after (minutes)"),
        help_text=_("Also counted from when the alert was raised; later than the first."),
        min_value=1,
        max_value=7 * 24 * 60,
    )

    def clean(self) -> dict[str, Any]:
        cleaned = super().clean() or {}
        first, second = cleaned.get("first_after_minutes"), cleaned.get("second_after_minutes")
        if first is not None and second is not None and second <= first:
            self.add_error(
                "second_after_minutes",
                _("The clinic admins are told after the clinician on call: give a later time."),
            )
        return cleaned


# Subscripted only for the type checker: Django's form fields are not generic at run time.
if TYPE_CHECKING:
    _ProfileChoiceField = forms.ModelChoiceField[ClinicianProfile]
else:
    _ProfileChoiceField = forms.ModelChoiceField


class _ClinicianField(_ProfileChoiceField):
    def label_from_instance(self, obj: ClinicianProfile) -> str:
        return obj.user.name or obj.user.email


class OnCallShiftForm(forms.Form):
    """One shift on the rota: a clinician of the clinic, from one date to another."""

    clinician = _ClinicianField(
        label=_("Clinician on call"), queryset=ClinicianProfile.objects.none()
    )
    starts_on = forms.DateField(label=_("From"), widget=forms.DateInput(attrs={"type": "date"}))
    ends_on = forms.DateField(
        label=_("Until (included)"), widget=forms.DateInput(attrs={"type": "date"})
    )

    def __init__(self, *args: Any, clinic: Clinic, **kwargs: Any):
        super().__init__(*args, **kwargs)
        field = self.fields["clinician"]
        assert isinstance(field, forms.ModelChoiceField)
        field.queryset = (
            ClinicianProfile.objects.filter(clinic=clinic, is_active=True, user__is_active=True)
            .select_related("user")
            .order_by("user__name", "id")
        )

    def clean(self) -> dict[str, Any]:
        cleaned = super().clean() or {}
        starts, ends = cleaned.get("starts_on"), cleaned.get("ends_on")
        if starts is not None and ends is not None and ends < starts:
            self.add_error("ends_on", _("The shift ends before it starts: please check the dates."))
        return cleaned
