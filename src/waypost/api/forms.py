"""The form for a new personal access token."""

from __future__ import annotations

from django import forms
from django.utils.translation import gettext_lazy as _


class CreateTokenForm(forms.Form):
    name = forms.CharField(
        label=_("Name"),
        max_length=80,
        help_text=_("So you can recognise it later, e.g. “my phone app”."),
        widget=forms.TextInput(attrs={"autocomplete": "off"}),
    )
    days = forms.IntegerField(
        label=_("Expires after (days)"),
        min_value=1,
        max_value=365,
        required=False,
        initial=90,
        help_text=_("From 1 to 365. Leave empty for a token that does not expire."),
    )
