"""The person's own account in "download my data": profile, choices, sign-in, tokens."""

from __future__ import annotations

from typing import TYPE_CHECKING, Any

from django.utils.translation import gettext_lazy as _

from waypost.core import exports

if TYPE_CHECKING:
    from waypost.accounts.models import User


def profile(user: User) -> dict[str, Any]:
    from allauth.mfa.models import Authenticator

    tokens = [
        {
            "name": token.name,
            "created_at": token.created_at,
            "last_used_at": token.last_used_at,
            "expires_at": token.expires_at,
            "revoked_at": token.revoked_at,
        }
        for token in user.api_tokens.all()
    ]
    data: dict[str, Any] = {
        "name": user.name,
        "email": user.email,
        "phone": user.phone,
        "time_zone": user.time_zone,
        "language": user.language,
        "joined_at": user.date_joined,
        "notifications": {
            "email_reminders": user.email_reminders,
            "quiet_hours_start": user.quiet_hours_start,
            "quiet_hours_end": user.quiet_hours_end,
        },
        "two_factor": Authenticator.objects.filter(
            user=user, type=Authenticator.Type.TOTP
        ).exists(),
    }
    if tokens:
        data["api_tokens"] = tokens
    return data


SECTION = exports.Section(
    key="profile",
    title=_("About you"),
    order=10,
    collect=profile,
    description=_("Your name and contact details, your choices, and how you sign in."),
    labels={
        "email": _("E-mail"),
        "phone": _("Phone number"),
        "time_zone": _("Time zone (empty: your clinic's)"),
        "language": _("Language (empty: your clinic's)"),
        "joined_at": _("Joined Waypost"),
        "notifications": _("Notifications"),
        "email_reminders": _("Reminders by e-mail"),
        "quiet_hours_start": _("Quiet hours from"),
        "quiet_hours_end": _("Quiet hours until"),
        "two_factor": _("Two-factor sign-in"),
        "api_tokens": _("API tokens (never the tokens themselves)"),
        "last_used_at": _("Last used"),
        "expires_at": _("Expires"),
        "revoked_at": _("Revoked"),
    },
)


def register() -> None:
    exports.register(SECTION)
