"""Forms: the rhythm an ally picks, and the client's request for support."""

from __future__ import annotations

import uuid
from typing import Any

from django import forms
from django.utils.translation import gettext
from django.utils.translation import gettext_lazy as _

from waypost.connect.alerts.models import Rhythm, SupportRequest


class RhythmForm(forms.Form):
    """How often the ally hears about one person's updates."""

    rhythm = forms.ChoiceField(
        label=_("How often would you like to hear?"),
        choices=Rhythm.choices,
        widget=forms.RadioSelect,
        error_messages={"invalid_choice": _("Please choose one of the three.")},
    )


class SupportRequestForm(forms.Form):
    """An optional short message; a fresh id each time the form is shown."""

    message = forms.CharField(
        label=_("A few words, if you like"),
        required=False,
        max_length=SupportRequest.MESSAGE_MAX,
        widget=forms.Textarea(attrs={"rows": 3, "maxlength": SupportRequest.MESSAGE_MAX}),
    )
    client_uuid = forms.UUIDField(widget=forms.HiddenInput)

    def __init__(self, *args: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.fields["message"].help_text = gettext(
            "Up to %(max)d characters. Only the allies listed above read it, after signing "
            "in; it is stored encrypted."
        ) % {"max": SupportRequest.MESSAGE_MAX}
        # Sending the same form twice (a double tap, a retry) stores one request.
        self.fields["client_uuid"].initial = uuid.uuid4()
