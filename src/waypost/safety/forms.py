"""Forms: the safety plan as one box per part (one item per line) and the acknowledge note."""

from __future__ import annotations

from typing import TYPE_CHECKING, Any

from django import forms
from django.utils.text import format_lazy
from django.utils.translation import gettext_lazy as _

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
