"""The practice log's form: a finished timer sends seconds, a person types minutes."""

from __future__ import annotations

from typing import Any

from django import forms
from django.utils.translation import gettext_lazy as _

from waypost.recovery.models import MINUTES_MAX
from waypost.recovery.services.practice import SECONDS_MAX
from waypost.recovery.skills import SLUG_MAX

RELOAD = _("Something went wrong with this form. Please reload the page and try again.")


class PracticeForm(forms.Form):
    skill = forms.CharField(
        max_length=SLUG_MAX, widget=forms.HiddenInput, error_messages={"required": RELOAD}
    )
    # Filled in by the timer (recovery/toolbox.js); empty when typed by hand.
    seconds = forms.IntegerField(
        required=False,
        min_value=1,
        max_value=SECONDS_MAX,
        widget=forms.HiddenInput,
        error_messages={"invalid": RELOAD, "min_value": RELOAD, "max_value": RELOAD},
    )
    minutes = forms.IntegerField(
        label=_("Minutes you practised"),
        required=False,
        min_value=1,
        max_value=MINUTES_MAX,
        widget=forms.NumberInput(attrs={"inputmode": "numeric"}),
        error_messages={
            "invalid": _("Please give the minutes as a whole number."),
            "min_value": _("Please give at least 1 minute."),
            "max_value": _("Please give at most %(limit_value)s minutes."),
        },
    )
    client_uuid = forms.UUIDField(
        widget=forms.HiddenInput, error_messages={"required": RELOAD, "invalid": RELOAD}
    )

    def clean(self) -> dict[str, Any]:
        data = super().clean() or {}
        seconds, minutes = data.get("seconds"), data.get("minutes")
        nothing_given = seconds is None and minutes is None
        if nothing_given and not self.has_error("minutes") and not self.has_error("seconds"):
            self.add_error("minutes", _("Please say how many minutes you practised."))
        data["total_seconds"] = seconds if seconds is not None else (minutes or 0) * 60
        return data
