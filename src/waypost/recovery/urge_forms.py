"""Forms of the urge log and the device plan.

The urge form takes free words for the trigger, the place and what was done instead
(the chips are only suggestions), so an urge queued offline while other chips were
offered is still accepted when it is sent later.
"""

from __future__ import annotations

import uuid
from datetime import UTC, date, datetime
from typing import TYPE_CHECKING, Any

from django import forms
from django.core.exceptions import ValidationError
from django.utils.translation import gettext_lazy as _

from waypost.recovery import days, patterns
from waypost.recovery.models import URGE_MAX, URGE_MIN, Device, Urge
from waypost.recovery.services import devices as device_services
from waypost.recovery.services import urges as urge_services

if TYPE_CHECKING:
    from django_stubs_ext import StrOrPromise

INTENSITIES = [(n, str(n)) for n in range(URGE_MIN, URGE_MAX + 1)]
#: The trigger chip that opens the text box instead of naming a trigger.
OTHER = "_other"
NO_FEELING = [("", _("Not sure"))]


def moment_in_zone(value: str | None, time_zone: str, error: StrOrPromise) -> datetime | None:
    """When something happened, from a form: empty is now (None); a ``datetime-local``
    value is in the client's zone; ISO 8601 with an offset (the offline queue) is taken
    as given. Anything else is refused with ``error``."""
    value = (value or "").strip()
    if not value:
        return None
    try:
        moment = datetime.fromisoformat(value)
    except ValueError:
        raise ValidationError(error) from None
    if moment.tzinfo is None:
        moment = moment.replace(tzinfo=days.zone_named(time_zone))
    try:
        return moment.astimezone(UTC)
    except (OverflowError, ValueError):
        raise ValidationError(error) from None


class ItemsField(forms.Field):
    """Several free words from repeated inputs of one name (checkbox chips), blanks dropped,
    each at most ``item_max_length`` characters."""

    widget = forms.MultipleHiddenInput

    def __init__(
        self, *args: Any, item_max_length: int = urge_services.WORDS_MAX_LENGTH, **kwargs: Any
    ) -> None:
        self.item_max_length = item_max_length
        super().__init__(*args, **kwargs)

    def to_python(self, value: Any) -> list[str]:
        if not value:
            return []
        if isinstance(value, str):
            value = [value]
        items = [" ".join(str(v).split()) for v in value]
        return [item for item in items if item]

    def validate(self, value: list[str]) -> None:
        super().validate(value)
        if any(len(item) > self.item_max_length for item in value):
            raise ValidationError(
                _("Please keep each one under %(n)d characters.") % {"n": self.item_max_length}
            )


class UrgeForm(forms.Form):
    """Intensity, trigger and how it ended up front; everything else behind "Add more"."""

    intensity = forms.TypedChoiceField(
        label=_("How strong is it?"),
        choices=INTENSITIES,
        coerce=int,
        widget=forms.RadioSelect,
        error_messages={"required": _("Please choose how strong it was, 0 to 10.")},
    )
    trigger = forms.CharField(
        label=_("What set it off?"), required=False, max_length=urge_services.WORDS_MAX_LENGTH
    )
    trigger_text = forms.CharField(
        label=_("Something else, in your words"),
        required=False,
        max_length=urge_services.WORDS_MAX_LENGTH,
    )
    outcome = forms.ChoiceField(
        label=_("How did it end?"),
        choices=Urge.Outcome.choices,
        required=False,
        initial=Urge.Outcome.RESISTED,
        widget=forms.RadioSelect,
    )
    hungry = forms.BooleanField(label=_("Hungry"), required=False)
    angry = forms.BooleanField(label=_("Angry"), required=False)
    lonely = forms.BooleanField(label=_("Lonely"), required=False)
    tired = forms.BooleanField(label=_("Tired"), required=False)
    emotion = forms.ChoiceField(
        label=_("What were you feeling?"),
        choices=NO_FEELING + list(Urge.Emotion.choices),
        required=False,
        widget=forms.RadioSelect,
    )
    place = forms.CharField(
        label=_("Where were you?"),
        required=False,
        max_length=urge_services.WORDS_MAX_LENGTH,
        widget=forms.TextInput(attrs={"list": "urge-places", "autocomplete": "off"}),
    )
    instead = ItemsField(label=_("What did you do instead?"), required=False)
    instead_text = forms.CharField(
        label=_("Something else you did"),
        required=False,
        max_length=urge_services.WORDS_MAX_LENGTH,
    )
    occurred_at = forms.CharField(label=_("When did it happen?"), required=False)
    note = forms.CharField(
        label=_("A note, if you like"),
        required=False,
        max_length=urge_services.NOTE_MAX_LENGTH,
        widget=forms.Textarea(attrs={"rows": 3}),
    )
    client_uuid = forms.UUIDField(widget=forms.HiddenInput)

    def __init__(
        self,
        *args: Any,
        time_zone: str,
        existing: Urge | None = None,
        **kwargs: Any,
    ) -> None:
        self.time_zone = time_zone
        self.existing = existing
        if existing is not None:
            kwargs.setdefault(
                "initial",
                {
                    "intensity": existing.intensity,
                    "trigger": existing.trigger,
                    "outcome": existing.outcome,
                    "hungry": existing.hungry,
                    "angry": existing.angry,
                    "lonely": existing.lonely,
                    "tired": existing.tired,
                    "emotion": existing.emotion,
                    "place": existing.place,
                    "instead": list(patterns.split_items(existing.instead)),
                    "occurred_at": existing.occurred_at.astimezone(days.zone_named(time_zone))
                    .replace(tzinfo=None)
                    .strftime("%Y-%m-%dT%H:%M"),
                    "note": existing.note,
                    "client_uuid": existing.client_uuid,
                },
            )
        super().__init__(*args, **kwargs)
        if existing is None:
            # A fresh id each time the form is shown: submitting it twice stores it once.
            self.fields["client_uuid"].initial = uuid.uuid4()
        else:
            self.fields["client_uuid"].required = False

    def clean_outcome(self) -> str:
        return self.cleaned_data.get("outcome") or Urge.Outcome.RESISTED

    def clean_occurred_at(self) -> datetime | None:
        return moment_in_zone(
            self.cleaned_data.get("occurred_at"),
            self.time_zone,
            _("Please give the day and the time it happened."),
        )

    def chosen_trigger(self) -> str:
        """The chip tapped; the words in the box with "something else" (or with no chip)."""
        chip = self.cleaned_data.get("trigger") or ""
        if chip and chip != OTHER:
            return chip
        return self.cleaned_data.get("trigger_text") or ""

    def instead_items(self) -> list[str]:
        items = list(self.cleaned_data.get("instead") or [])
        typed = self.cleaned_data.get("instead_text") or ""
        if typed.strip():
            items.append(typed)
        return items

    def answers(self) -> dict[str, Any]:
        """The cleaned answers as the urge services take them."""
        data = self.cleaned_data
        return {
            "intensity": data["intensity"],
            "trigger": self.chosen_trigger(),
            "hungry": data["hungry"],
            "angry": data["angry"],
            "lonely": data["lonely"],
            "tired": data["tired"],
            "emotion": data["emotion"] or "",
            "place": data["place"],
            "instead": self.instead_items(),
            "outcome": data["outcome"],
            "note": data["note"],
            "occurred_at": data["occurred_at"],
        }


class DeviceForm(forms.Form):
    name = forms.CharField(
        label=_("Name"),
        max_length=device_services.NAME_MAX_LENGTH,
        help_text=_("Whatever helps you tell them apart: “My phone”, “Work laptop”."),
        error_messages={"required": _("Please give the device a name, such as “My phone”.")},
    )
    kind = forms.ChoiceField(
        label=_("What kind of device?"),
        choices=Device.Kind.choices,
        widget=forms.RadioSelect,
        error_messages={"required": _("Please choose what kind of device it is.")},
    )
    client_uuid = forms.UUIDField(widget=forms.HiddenInput)

    def __init__(self, *args: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.fields["client_uuid"].initial = uuid.uuid4()


class DeviceStepForm(forms.Form):
    state = forms.ChoiceField(choices=[(s, s) for s in device_services.STATES])
    done_on = forms.DateField(required=False, widget=forms.DateInput(attrs={"type": "date"}))

    def clean_done_on(self) -> date | None:
        return self.cleaned_data.get("done_on") or None
