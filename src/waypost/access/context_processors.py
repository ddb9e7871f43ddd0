from __future__ import annotations

from waypost.access.policy import roles_of


def waypost(request):
    """Roles of the signed-in person, for navigation and the "Get help now" control."""
    user = getattr(request, "user", None)
    roles = roles_of(user)
    return {"roles": roles}
