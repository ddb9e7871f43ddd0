"""Idle sessions expire; active ones stay — without writing the session on every request.

Django's ``SESSION_SAVE_EVERY_REQUEST`` slides the expiry by saving the session on
each response: three queries on every page (a savepoint, the update, its release).
:class:`SlidingSessionMiddleware` saves it at most once every ``REFRESH_SECONDS``
instead: a signed-in person who keeps using Waypost stays signed in, and one who
leaves is signed out between ``SESSION_COOKIE_AGE - REFRESH_SECONDS`` and
``SESSION_COOKIE_AGE`` after their last page.
"""

from __future__ import annotations

import time
from collections.abc import Callable
from typing import TYPE_CHECKING

if TYPE_CHECKING:
    from django.http import HttpRequest, HttpResponseBase

REFRESH_SECONDS = 300
_KEY = "_waypost_refreshed"


class SlidingSessionMiddleware:
    """After the response: refresh a signed-in session's expiry if it is due."""

    def __init__(self, get_response: Callable[[HttpRequest], HttpResponseBase]) -> None:
        self.get_response = get_response

    def __call__(self, request: HttpRequest) -> HttpResponseBase:
        response = self.get_response(request)
        session = getattr(request, "session", None)
        user = getattr(request, "user", None)
        if session is None or user is None or not user.is_authenticated:
            return response
        now = int(time.time())
        last = session.get(_KEY)
        if session.modified or not isinstance(last, int) or now - last >= REFRESH_SECONDS:
            # Setting it marks the session modified: SessionMiddleware saves it with a
            # new expiry and sends the cookie again.
            session[_KEY] = now
        return response
