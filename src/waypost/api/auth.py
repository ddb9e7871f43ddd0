"""Who is calling: a personal access token, or the signed-in browser session.

Tokens come as ``Authorization: Bearer wpt_...``. A token that is sent but is
unknown, revoked or expired is refused outright (401), even when a session
cookie is present too, so a script never silently acts as someone else.
Session callers must send the CSRF token with unsafe methods.
"""

from __future__ import annotations

from typing import Any

from django.conf import settings
from django.http import HttpRequest
from django.utils.translation import gettext as _
from ninja.security import APIKeyCookie, HttpBearer
from ninja.throttling import UserRateThrottle
from ninja.utils import check_csrf

from waypost.access.policy import Action, can
from waypost.accounts.http import AuthenticatedHttpRequest
from waypost.accounts.models import User
from waypost.accounts.services import authenticate_token
from waypost.api.errors import ApiError, ErrorCode, default_message
from waypost.clinics.two_factor import needs_two_factor_setup


class ApiRequest(AuthenticatedHttpRequest):
    """A request that passed ``api_auth``: ninja puts the person in ``auth`` (and ``user``).

    Only a type hint for operations: ninja passes Django's own request.
    """

    auth: User


class TokenAuth(HttpBearer):
    """A personal access token from /account/tokens/."""

    def authenticate(self, request: HttpRequest, token: str) -> User:
        user = authenticate_token(token.strip())
        if user is None:
            raise ApiError(
                401,
                ErrorCode.NOT_AUTHENTICATED,
                _("This token is not valid. It may have expired or been revoked."),
            )
        _refuse_without_two_factor(user)
        # Tokens are for staff and integrations. A client's or ally's token made before
        # that rule stops working here too, not only on the token pages.
        if not can(user, Action.USE_API_TOKENS):
            raise ApiError(
                403,
                ErrorCode.FORBIDDEN,
                _("API tokens are for staff and integrations; sign in on the web instead."),
            )
        # The rest of the request (policy, audit, headers) sees the token's owner.
        request.user = user
        return user


def _refuse_without_two_factor(user: User) -> None:
    """Staff of a clinic that requires two-factor sign-in must set it up first, API too."""
    if needs_two_factor_setup(user):
        raise ApiError(
            403,
            ErrorCode.TWO_FACTOR_REQUIRED,
            default_message(ErrorCode.TWO_FACTOR_REQUIRED),
        )


class SessionAuth(APIKeyCookie):
    """The browser session of a signed-in person; unsafe methods need the CSRF token."""

    param_name: str = settings.SESSION_COOKIE_NAME

    def __init__(self) -> None:
        super().__init__(csrf=True)

    def __call__(self, request: HttpRequest) -> Any:
        user = getattr(request, "user", None)
        if user is None or not user.is_authenticated:
            return None  # nobody signed in: 401, not a CSRF complaint
        return super().__call__(request)

    def _get_key(self, request: HttpRequest) -> str | None:
        if not getattr(request, "_ninja_csrf_exempt", False) and check_csrf(request):
            raise ApiError(403, ErrorCode.CSRF_FAILED, default_message(ErrorCode.CSRF_FAILED))
        return request.COOKIES.get(self.param_name)

    def authenticate(self, request: HttpRequest, key: str | None) -> User | None:
        user = request.user
        if not user.is_authenticated:  # ``__call__`` already answered for nobody signed in
            return None
        _refuse_without_two_factor(user)
        return user


def _rate() -> str:
    return getattr(settings, "WAYPOST_API_RATE_LIMIT", "") or "600/m"


# One bucket per person, whichever way they authenticate.
user_throttle = UserRateThrottle(_rate())

api_auth = [TokenAuth(), SessionAuth()]
