from __future__ import annotations

from typing import TYPE_CHECKING

from waypost.access.policy import Roles, roles_of

if TYPE_CHECKING:
    from django.http import HttpRequest


def waypost(request: HttpRequest) -> dict[str, Roles]:
    """Roles of the signed-in person, for navigation and the "Get help now" control."""
    user = getattr(request, "user", None)
    roles = roles_of(user)
    return {"roles": roles}
