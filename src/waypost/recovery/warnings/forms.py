"""The clinic's tuning form: each rule on or off, and its parameters, in one form."""

from __future__ import annotations

from typing import Any

from django import forms
from django.utils.translation import gettext_lazy as _

from waypost.recovery.warnings import rules
from waypost.recovery.warnings.services import RuleChoice


def _field_name(rule: rules.Rule, name: str) -> str:
    return f"{rule.key.replace('.', '__')}__{name}"


class RuleSettingsForm(forms.Form):
    """One checkbox and one number field per parameter, for every registered rule."""

    def __init__(self, *args: Any, current: dict[str, RuleChoice], **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.current = current
        for rule in rules.all_rules():
            choice = current[rule.key]
            self.fields[_field_name(rule, "enabled")] = forms.BooleanField(
                label=_("On"), required=False, initial=choice.enabled
            )
            for param in rule.params:
                step = 1 if param.whole else 0.1
                value = choice.params[param.key]
                self.fields[_field_name(rule, param.key)] = forms.DecimalField(
                    label=param.label,
                    min_value=param.minimum,
                    max_value=param.maximum,
                    decimal_places=0 if param.whole else 1,
                    initial=int(value) if param.whole else value,
                    help_text=param.help_text,
                    widget=forms.NumberInput(attrs={"step": step}),
                )

    def clean(self) -> dict[str, Any]:
        """A number of days may not exceed the window it counts in (``Param.not_above``)."""
        cleaned = super().clean() or {}
        for rule in rules.all_rules():
            labels = {param.key: param.label for param in rule.params}
            for param in rule.params:
                if not param.not_above:
                    continue
                value = cleaned.get(_field_name(rule, param.key))
                limit = cleaned.get(_field_name(rule, param.not_above))
                if value is not None and limit is not None and value > limit:
                    self.add_error(
                        _field_name(rule, param.key),
                        _(
                            "This can be at most %(limit)s (“%(window)s”), or the rule "
                            "would never fire."
                        )
                        % {"limit": int(limit), "window": labels[param.not_above]},
                    )
        return cleaned

    def groups(self) -> list[dict[str, Any]]:
        """The fields grouped by rule, for the template."""
        out = []
        for rule in rules.all_rules():
            out.append(
                {
                    "rule": rule,
                    "chosen": self.current[rule.key].chosen,
                    "enabled": self[_field_name(rule, "enabled")],
                    "params": [
                        (param, self[_field_name(rule, param.key)]) for param in rule.params
                    ],
                }
            )
        return out

    def choices(self) -> dict[str, tuple[bool, dict[str, float]]]:
        """The cleaned choices, as ``services.save_clinic_choices`` takes them."""
        out = {}
        for rule in rules.all_rules():
            enabled = bool(self.cleaned_data[_field_name(rule, "enabled")])
            params = {
                p.key: float(self.cleaned_data[_field_name(rule, p.key)]) for p in rule.params
            }
            out[rule.key] = (enabled, params)
        return out
