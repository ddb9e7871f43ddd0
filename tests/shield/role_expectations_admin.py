"""Who may use the clinic admin's Shield URLs (views/admin.py); for tests/core/test_roles.py.

The clinic's own admins only: ``clinic_for`` (``Action.MANAGE_CLINIC``) refuses everyone
else, the admin of another clinic included (tests/shield/test_clinic_admin.py).
``tests/shield/role_expectations.py`` joins these ROUTES with the others.
"""

from tests.roles import Route

ADMIN = frozenset({"admin"})


def _north(cast) -> dict:
    return {"slug": cast.clinic.slug}


ROUTES = [
    Route("shield:clinic_settings", ADMIN, kwargs=_north),
    Route(
        "shield:clinic_list_add",
        ADMIN,
        kwargs=_north,
        method="post",
        data=lambda cast: {"list": "block", "name": "tempting.example"},
        note="adds the name and goes back to the page",
    ),
    Route(
        "shield:clinic_list_remove",
        ADMIN,
        kwargs=_north,
        method="post",
        data=lambda cast: {"list": "block", "name": "tempting.example"},
        note="takes the name off (or says it was not there) and goes back to the page",
    ),
]
