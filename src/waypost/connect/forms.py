"""Forms for choosing what to share, inviting an ally, family sessions and the ally's check-in."""

from __future__ import annotations

import uuid
from typing import TYPE_CHECKING, Any, cast

from django import forms
from django.utils.translation import gettext_lazy as _

from waypost.connect import scopes as scope_registry
from waypost.connect.models import FEELINGS, AllyLink, AllyWellbeingCheckIn
from waypost.connect.relationships import Relationship, relationship_label
from waypost.connect.services import FAMILY_TEXT_MAX, WELLBEING_NOTE_MAX

if TYPE_CHECKING:
    from waypost.program.models import Enrollment


class ConsentForm(forms.Form):
    """Which scopes an ally may see. Nothing is ticked unless the client ticked it."""

    scopes = forms.MultipleChoiceField(
        label=_("What they may see"),
        required=False,
        widget=forms.CheckboxSelectMultiple,
        error_messages={
            "invalid_choice": _("One of the choices was not recognised. Nothing was changed."),
        },
    )

    def __init__(self, *args: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        cast(forms.MultipleChoiceField, self.fields["scopes"]).choices = [
            (s.key, s.label) for s in scope_registry.all_scopes()
        ]

    def scope_rows(self) -> list[dict[str, Any]]:
        """Each scope with its explanation and whether it is ticked, for the template."""
        if self.is_bound:
            chosen = set(self.data.getlist("scopes")) if hasattr(self.data, "getlist") else set()
        else:
            chosen = set(self.initial.get("scopes") or [])
        return [
            {"scope": s, "checked": s.key in chosen, "id": f"scope-{s.key}"}
            for s in scope_registry.all_scopes()
        ]


class AllyDetailsForm(forms.Form):
    """Who the ally is, in the client's words."""

    name = forms.CharField(
        label=_("Their name"),
        max_length=150,
        help_text=_("A first name is fine. They can change it when they join."),
    )
    email = forms.EmailField(
        label=_("Their e-mail address"),
        help_text=_(
            'We send the invitation here. Its subject line says only "Your Waypost invitation".'
        ),
    )
    relationship = forms.ChoiceField(
        label=_("Who are they to you?"),
        choices=Relationship.choices,
        widget=forms.RadioSelect,
    )


class AllyLinkChoiceField(forms.ModelMultipleChoiceField):  # type: ignore[type-arg]
    """The client's allies, by name and how they are related to the client."""

    def label_from_instance(self, obj: AllyLink) -> str:
        relationship = relationship_label(obj.relationship)
        name = obj.ally.name or obj.ally.email
        return f"{name} ({relationship})" if relationship else name


class FamilySessionForm(forms.Form):
    """A family or partner session, as the clinician records it with the client's consent."""

    held_on = forms.DateField(
        label=_("Date of the session"),
        widget=forms.DateInput(attrs={"type": "date"}),
        error_messages={"required": _("Please give the date of the session.")},
    )
    allies = AllyLinkChoiceField(
        label=_("Allies who took part"),
        queryset=AllyLink.objects.none(),
        required=False,
        widget=forms.CheckboxSelectMultiple,
        error_messages={
            "invalid_choice": _("Only the client's own allies can be chosen. Nothing was saved."),
        },
    )
    others = forms.CharField(
        label=_("Others who took part"),
        required=False,
        max_length=FAMILY_TEXT_MAX,
        widget=forms.Textarea(attrs={"rows": 2}),
        help_text=_("One per line, with how they are related, e.g. “Mei (sister)”."),
    )
    topics = forms.CharField(
        label=_("What was talked about"),
        required=False,
        max_length=FAMILY_TEXT_MAX,
        widget=forms.Textarea(attrs={"rows": 4}),
        help_text=_("For the record only: the client and their allies do not see this."),
    )
    agreements = forms.CharField(
        label=_("Agreements"),
        required=False,
        max_length=FAMILY_TEXT_MAX,
        widget=forms.Textarea(attrs={"rows": 4}),
        help_text=_("What everyone agreed. The client sees these on their Connect page."),
    )
    client_uuid = forms.UUIDField(widget=forms.HiddenInput)
    client_consented = forms.BooleanField(
        required=True,
        error_messages={
            "required": _("A session is recorded only when the client agrees. Please ask them.")
        },
    )

    def __init__(self, *args: Any, enrollment: Enrollment, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        allies = cast(AllyLinkChoiceField, self.fields["allies"])
        allies.queryset = (
            AllyLink.objects.filter(enrollment=enrollment, ended_at__isnull=True)
            .select_related("ally")
            .order_by("created_at", "pk")
        )
        # A fresh id each time the form is shown: sending it twice records it once.
        self.fields["client_uuid"].initial = uuid.uuid4()
        client = enrollment.client.name or _("The client")
        self.fields["client_consented"].label = _(
            "%(name)s agreed to this session being recorded"
        ) % {"name": client}

    def clean(self) -> dict[str, Any]:
        data = super().clean() or {}
        nobody = not data.get("allies") and not (data.get("others") or "").strip()
        if nobody and "allies" not in self.errors and "others" not in self.errors:
            raise forms.ValidationError(
                _("Please choose an ally who took part, or name the others who did.")
            )
        return data


class WellbeingForm(forms.Form):
    """The ally's own check-in: a few taps, an optional note, for them alone."""

    feeling = forms.TypedChoiceField(
        label=_("How are you doing?"),
        choices=FEELINGS,
        coerce=int,
        widget=forms.RadioSelect,
        error_messages={"required": _("Please choose how you are doing.")},
    )
    sleep = forms.ChoiceField(
        label=_("Sleep"),
        choices=AllyWellbeingCheckIn.Sleep.choices,
        required=False,
        widget=forms.RadioSelect,
    )
    stress = forms.ChoiceField(
        label=_("Stress"),
        choices=AllyWellbeingCheckIn.Stress.choices,
        required=False,
        widget=forms.RadioSelect,
    )
    support = forms.ChoiceField(
        label=_("Support"),
        choices=AllyWellbeingCheckIn.Support.choices,
        required=False,
        widget=forms.RadioSelect,
    )
    note = forms.CharField(
        label=_("A private note, if you like"),
        required=False,
        max_length=WELLBEING_NOTE_MAX,
        widget=forms.Textarea(attrs={"rows": 3}),
    )
    client_uuid = forms.UUIDField(widget=forms.HiddenInput)

    def __init__(self, *args: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        # A fresh id each time the form is shown: sending it twice keeps it once.
        self.fields["client_uuid"].initial = uuid.uuid4()
