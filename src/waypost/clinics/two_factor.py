"""Clinics that require it make their clinicians and admins set up two-factor sign-in."""

from __future__ import annotations

from collections.abc import Callable
from typing import TYPE_CHECKING

from allauth.mfa.models import Authenticator
from django.shortcuts import redirect
from django.urls import reverse

from waypost.access.policy import roles_of
from waypost.clinics.models import Clinic

if TYPE_CHECKING:
    from django.http import HttpRequest, HttpResponseBase

    from waypost.accounts.models import User

# Pages a person must still reach before they have set up two-factor sign-in.
_ALLOWED_PREFIXES = (
    "/2fa/",
    "/reauthenticate/",
    "/logout/",
    "/static/",
    "/healthz",
    "/help/",
    "/api/",  # the API refuses with its own JSON error (api/auth.py)
)


def needs_two_factor_setup(user: User) -> bool:
    """True when a staff role at a clinic requiring 2FA has no authenticator app yet."""
    roles = roles_of(user)
    clinic_ids = {p.clinic_id for p in roles.clinician_profiles} | roles.admin_clinic_ids
    if not clinic_ids:
        return False
    if not Clinic.objects.filter(pk__in=clinic_ids, require_two_factor=True).exists():
        return False
    return not Authenticator.objects.filter(user=user, type=Authenticator.Type.TOTP).exists()


class RequireTwoFactorMiddleware:
    def __init__(self, get_response: Callable[[HttpRequest], HttpResponseBase]) -> None:
        self.get_response = get_response

    def __call__(self, request: HttpRequest) -> HttpResponseBase:
        user = getattr(request, "user", None)
        if (
            user is not None
            and user.is_authenticated
            and not request.path.startswith(_ALLOWED_PREFIXES)
            and needs_two_factor_setup(user)
        ):
            return redirect(reverse("mfa_activate_totp"))
        return self.get_response(request)
