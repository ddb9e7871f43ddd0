"""The message box and the clinic's switch."""

from __future__ import annotations

import uuid
from typing import Any

from django import forms
from django.utils.translation import gettext_lazy as _

from waypost.caseload.messages.models import BODY_MAX_LENGTH


class MessageForm(forms.Form):
    """A message and the id the page made for it (so a retried send is kept once)."""

    body = forms.CharField(
        label=_("Your message"),
        # Checked by the service too, with a kinder word than Django's.
        max_length=BODY_MAX_LENGTH,
        strip=True,
        widget=forms.Textarea(attrs={"rows": 4, "maxlength": BODY_MAX_LENGTH}),
        error_messages={"required": _("Please write your message first.")},
    )
    client_uuid = forms.UUIDField(widget=forms.HiddenInput)

    def __init__(self, *args: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        if not self.is_bound:
            self.initial.setdefault("client_uuid", uuid.uuid4())
        self.fields["body"].error_messages["max_length"] = _(
            "Please keep a message under %(limit_value)d characters (this one has "
            "%(show_value)d). You can send the rest in a second message."
        )
        self.fields["client_uuid"].error_messages["invalid"] = _(
            "The page was out of date. Please try again."
        )
        self.fields["client_uuid"].error_messages["required"] = _(
            "The page was out of date. Please try again."
        )


class SwitchForm(forms.Form):
    enabled = forms.BooleanField(
        label=_("Offer secure messages between clients and their clinician"),
        required=False,
        help_text=_(
            "When off, clients and clinicians can no longer send messages; what was "
            "already sent stays readable. Pages point clients to the clinic's contact "
            "details and to Get help now."
        ),
    )
