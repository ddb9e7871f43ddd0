"""The form of the middle-circle log: tick what it was, say when if not now, a note if you like.

The ticked items are taken as words (the plan's items are only what is offered), so a
moment queued offline while an older plan was on the phone is still accepted when it
is sent later; the service checks their length and number.
"""

from __future__ import annotations

import uuid
from datetime import datetime
from typing import Any

from django import forms
from django.utils.translation import gettext_lazy as _

from waypost.recovery import middle_services
from waypost.recovery.urge_forms import ItemsField, moment_in_zone


class MiddleMomentForm(forms.Form):
    """What it was (ticked, or in a few words), and, behind "Add more", when and a note."""

    items = ItemsField(
        label=_("What was it?"),
        required=False,
        item_max_length=middle_services.ITEM_MAX_LENGTH,
    )
    other = forms.CharField(
        label=_("Something else, in a few words"),
        required=False,
        max_length=middle_services.OTHER_MAX_LENGTH,
        widget=forms.TextInput(attrs={"autocomplete": "off"}),
    )
    occurred_at = forms.CharField(label=_("When was it?"), required=False)
    note = forms.CharField(
        label=_("A note, if you like"),
        required=False,
        max_length=middle_services.NOTE_MAX_LENGTH,
        widget=forms.Textarea(attrs={"rows": 2}),
    )
    # The plan version the items were offered from (the page's, kept when queued offline).
    plan_version = forms.IntegerField(required=False, min_value=1, widget=forms.HiddenInput)
    client_uuid = forms.UUIDField(widget=forms.HiddenInput)

    def __init__(self, *args: Any, time_zone: str, **kwargs: Any) -> None:
        self.time_zone = time_zone
        super().__init__(*args, **kwargs)
        # A fresh id each time the form is shown: submitting it twice stores it once.
        self.fields["client_uuid"].initial = uuid.uuid4()

    def clean_occurred_at(self) -> datetime | None:
        return moment_in_zone(
            self.cleaned_data.get("occurred_at"),
            self.time_zone,
            _("Please give the day and the time."),
        )

    def answers(self) -> dict[str, Any]:
        """The cleaned answers as ``middle_services.note_moment`` takes them."""
        data = self.cleaned_data
        return {
            "items": list(data["items"]),
            "other": data["other"],
            "note": data["note"],
            "occurred_at": data["occurred_at"],
            "plan_version": data["plan_version"],
        }
