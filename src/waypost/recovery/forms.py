"""The daily check-in form: five controls and a note, quick on a phone."""

from __future__ import annotations

import uuid
from typing import Any

from django import forms
from django.utils.translation import gettext_lazy as _

from waypost.recovery.models import MINUTES_MAX, SLEEP_MAX, CheckIn
from waypost.recovery.services import NOTE_MAX_LENGTH

MOODS = [
    (1, _("Very low")),
    (2, _("Low")),
    (3, _("Okay")),
    (4, _("Good")),
    (5, _("Very good")),
]
URGES = [(n, str(n)) for n in range(11)]
SOBER = [("yes", _("Yes")), ("no", _("No"))]


class CheckInForm(forms.Form):
    sober = forms.ChoiceField(
        label=_("Did you keep your inner circle today?"),
        choices=SOBER,
        widget=forms.RadioSelect,
        error_messages={"required": _("Please say whether you kept your inner circle.")},
    )
    mood = forms.TypedChoiceField(
        label=_("How was your mood?"),
        choices=MOODS,
        coerce=int,
        widget=forms.RadioSelect,
        error_messages={"required": _("Please choose how your mood was.")},
    )
    urge = forms.TypedChoiceField(
        label=_("Your strongest urge today"),
        choices=URGES,
        coerce=int,
        widget=forms.RadioSelect,
        error_messages={"required": _("Please choose your strongest urge, 0 to 10.")},
    )
    sleep_hours = forms.DecimalField(
        label=_("Hours of sleep"),
        required=False,
        min_value=0,
        max_value=SLEEP_MAX,
        decimal_places=1,
        step_size=0.5,
        widget=forms.NumberInput(attrs={"inputmode": "decimal", "step": "0.5"}),
    )
    mindfulness_minutes = forms.IntegerField(
        label=_("Minutes of mindfulness"),
        required=False,
        min_value=0,
        max_value=MINUTES_MAX,
        widget=forms.NumberInput(attrs={"inputmode": "numeric"}),
    )
    note = forms.CharField(
        label=_("A note, if you like"),
        required=False,
        max_length=NOTE_MAX_LENGTH,
        widget=forms.Textarea(attrs={"rows": 3}),
    )
    client_uuid = forms.UUIDField(widget=forms.HiddenInput)

    def __init__(self, *args: Any, existing: CheckIn | None = None, **kwargs: Any) -> None:
        if existing is not None:
            kwargs.setdefault(
                "initial",
                {
                    "sober": "yes" if existing.sober else "no",
                    "mood": existing.mood,
                    "urge": existing.urge,
                    "sleep_hours": existing.sleep_hours,
                    "mindfulness_minutes": existing.mindfulness_minutes,
                    "note": existing.note,
                },
            )
        super().__init__(*args, **kwargs)
        # A fresh id each time the form is shown: submitting it twice stores it once.
        self.fields["client_uuid"].initial = uuid.uuid4()
