"""allauth's sign-in forms with Waypost's words (settings: ACCOUNT_FORMS, MFA_FORMS).

Only the labels change: plain sentence case, no placeholder repeating the label.
What each form checks, and how, stays allauth's.
"""

from __future__ import annotations

from typing import Any

from allauth.account import forms as account_forms
from allauth.mfa.base import forms as mfa_base_forms
from allauth.mfa.totp import forms as totp_forms
from django import forms
from django.utils.translation import gettext_lazy as _

CODE_LABEL = _("The 6-digit code from your authenticator app")
NEW_PASSWORD = _("New password")
NEW_PASSWORD_AGAIN = _("The new password again")


def relabel(form: forms.BaseForm, labels: dict[str, Any]) -> None:
    """Give the named fields these labels and drop allauth's placeholders."""
    for name, label in labels.items():
        field = form.fields[name]
        field.label = label
        field.widget.attrs.pop("placeholder", None)


# allauth ships no type hints, so its base classes are Any to mypy; strict mode refuses that.
class ResetPasswordForm(account_forms.ResetPasswordForm):  # type: ignore[misc,unused-ignore]
    def __init__(self, *args: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        relabel(self, {"email": _("Your e-mail address")})


class ResetPasswordKeyForm(account_forms.ResetPasswordKeyForm):  # type: ignore[misc,unused-ignore]
    def __init__(self, *args: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        relabel(self, {"password1": NEW_PASSWORD, "password2": NEW_PASSWORD_AGAIN})


class ChangePasswordForm(account_forms.ChangePasswordForm):  # type: ignore[misc,unused-ignore]
    def __init__(self, *args: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        relabel(
            self,
            {
                "oldpassword": _("Your current password"),
                "password1": NEW_PASSWORD,
                "password2": NEW_PASSWORD_AGAIN,
            },
        )


class SetPasswordForm(account_forms.SetPasswordForm):  # type: ignore[misc,unused-ignore]
    def __init__(self, *args: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        relabel(self, {"password1": _("Password"), "password2": _("The password again")})


class ReauthenticateForm(account_forms.ReauthenticateForm):  # type: ignore[misc,unused-ignore]
    def __init__(self, *args: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        relabel(self, {"password": _("Your password")})
        # allauth's help here is a "forgot your password?" link that would end this sign-in
        self.fields["password"].help_text = ""


class AddEmailForm(account_forms.AddEmailForm):  # type: ignore[misc,unused-ignore]
    def __init__(self, *args: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        relabel(self, {"email": _("Another e-mail address")})


class ActivateTOTPForm(totp_forms.ActivateTOTPForm):  # type: ignore[misc,unused-ignore]
    def __init__(self, *args: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        relabel(self, {"code": CODE_LABEL})


class TwoFactorReauthenticateForm(mfa_base_forms.ReauthenticateForm):  # type: ignore[misc,unused-ignore]
    def __init__(self, *args: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        relabel(self, {"code": CODE_LABEL})
