"""Helpers for calling the API as a member of the cast.

Tokens are for staff and integrations (``Action.USE_API_TOKENS``), so tests about
the API in general call it with a clinician's token, and tests about a client's
or an ally's own calls use their browser session, as the web app does.
"""

from __future__ import annotations

import pytest
from django.test import Client

from waypost.accounts.services import create_api_token


@pytest.fixture
def bearer():
    """``bearer(user)`` → request headers carrying a fresh personal access token of ``user``.

    The token is made directly by the service, so this also gives a client or an ally
    a token as they could make one before tokens were for staff and integrations only.
    """

    def make(user, **kwargs) -> dict[str, str]:
        _, raw = create_api_token(user=user, name="test", **kwargs)
        return {"Authorization": f"Bearer {raw}"}

    return make


@pytest.fixture
def browser():
    """``browser(user)`` → a client signed in as ``user`` that checks CSRF as a browser would.

    It sends the CSRF token (``X-CSRFToken``) with every request, as the web app does,
    so unsafe methods work through the session.
    """

    def make(user) -> Client:
        signed_in = Client(enforce_csrf_checks=True)
        signed_in.force_login(user)
        signed_in.get("/account/")  # any page with a form sets the CSRF cookie
        signed_in.defaults["HTTP_X_CSRFTOKEN"] = signed_in.cookies["csrftoken"].value
        return signed_in

    return make
