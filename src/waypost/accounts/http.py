"""The request a signed-in page gets, for type hints."""

from __future__ import annotations

from django.http import HttpRequest

from waypost.accounts.models import User


class AuthenticatedHttpRequest(HttpRequest):
    """A request to a view behind ``login_required``: ``user`` is a person, never anonymous.

    Only a type hint: Django still passes its own ``HttpRequest``. Annotate a view's
    ``request`` with it only when a decorator (``login_required``) guarantees it.
    """

    user: User
