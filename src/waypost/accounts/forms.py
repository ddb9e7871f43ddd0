from __future__ import annotations

from typing import TYPE_CHECKING

from django import forms
from django.conf import settings
from django.contrib.auth.password_validation import password_validators_help_text_html
from django.utils.translation import gettext_lazy as _

from waypost.accounts.models import User
from waypost.core.timezones import time_zone_choices as places

if TYPE_CHECKING:
    from django_stubs_ext import StrOrPromise

    # Django's form classes take no type arguments at run time; the stubs want the model.
    _UserForm = forms.ModelForm[User]
else:
    _UserForm = forms.ModelForm


def time_zone_choices() -> list[tuple[str, StrOrPromise]]:
    return [("", _("Same as my clinic")), *places()]


class AcceptInvitationForm(forms.Form):
    name = forms.CharField(
        label=_("Your name"), max_length=150, help_text=_("A first name or nickname is fine.")
    )
    password = forms.CharField(
        label=_("Choose a password"),
        widget=forms.PasswordInput(attrs={"autocomplete": "new-password"}),
        help_text=password_validators_help_text_html(),
    )


class AccountForm(_UserForm):
    time_zone = forms.ChoiceField(label=_("Time zone"), choices=time_zone_choices, required=False)
    language = forms.ChoiceField(
        label=_("Language"),
        required=False,
        choices=lambda: [("", _("Same as my clinic"))] + list(settings.LANGUAGES),
    )

    class Meta:
        model = User
        fields = ["name", "time_zone", "language"]
