"""Forms for choosing what to share and inviting an ally."""

from __future__ import annotations

from typing import Any, cast

from django import forms
from django.utils.translation import gettext_lazy as _

from waypost.connect import scopes as scope_registry
from waypost.connect.relationships import Relationship


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
