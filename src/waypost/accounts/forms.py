from __future__ import annotations

from typing import TYPE_CHECKING, Any

from django import forms
from django.conf import settings
from django.contrib.auth.password_validation import password_validators_help_text_html
from django.utils.translation import gettext_lazy as _

from waypost.access.policy import roles_of
from waypost.accounts.models import PHONE_MAX_LENGTH, User, validate_phone
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
    phone = forms.CharField(
        label=_("Phone number"),
        required=False,
        max_length=PHONE_MAX_LENGTH,
        validators=[validate_phone],
        widget=forms.TextInput(attrs={"type": "tel", "autocomplete": "tel", "inputmode": "tel"}),
        help_text=_(
            "Optional. Your clinician can call you on it when something you wrote worries "
            "them. Stored encrypted; only your care team sees it."
        ),
    )
    time_zone = forms.ChoiceField(label=_("Time zone"), choices=time_zone_choices, required=False)
    language = forms.ChoiceField(
        label=_("Language"),
        required=False,
        choices=lambda: [("", _("Same as my clinic"))] + list(settings.LANGUAGES),
    )

    class Meta:
        model = User
        fields = ["name", "phone", "time_zone", "language"]

    def __init__(self, *args: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        # The phone number is for a client's care team; staff and allies are not asked.
        if not roles_of(self.instance).is_client:
            del self.fields["phone"]

    def clean_phone(self) -> str:
        return " ".join(str(self.cleaned_data.get("phone") or "").split())


class NotificationsForm(_UserForm):
    """Which e-mails the person gets, and the hours Waypost keeps quiet."""

    quiet_hours_start = forms.TimeField(
        label=_("Quiet from"),
        required=False,
        widget=forms.TimeInput(attrs={"type": "time"}, format="%H:%M"),
    )
    quiet_hours_end = forms.TimeField(
        label=_("Quiet until"),
        required=False,
        widget=forms.TimeInput(attrs={"type": "time"}, format="%H:%M"),
        help_text=_(
            "In your time zone. For overnight, put the later time first: 22:00 until 07:00. "
            "Leave both empty to get e-mails at any hour."
        ),
    )

    class Meta:
        model = User
        fields = ["email_reminders", "quiet_hours_start", "quiet_hours_end"]
        labels = {"email_reminders": _("E-mail me reminders")}
        help_texts = {
            "email_reminders": _(
                "Short e-mails about questionnaires, appointments and group sessions (and your "
                "check-in, if you choose). They never say what they are about. Choose each one "
                "on your notification choices."
            )
        }

    def __init__(self, *args: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        # Reminders (questionnaires, group sessions) go to clients only.
        if not roles_of(self.instance).is_client:
            del self.fields["email_reminders"]

    def clean(self) -> dict[str, Any]:
        data = super().clean() or {}
        start, end = data.get("quiet_hours_start"), data.get("quiet_hours_end")
        if (start is None) != (end is None):
            raise forms.ValidationError(
                _("Please give both times for quiet hours, or leave both empty.")
            )
        if start is not None and start == end:
            raise forms.ValidationError(_("Quiet hours need to start and end at different times."))
        return data
