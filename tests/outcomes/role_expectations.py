"""Who may use each Clinic outcomes URL; gathered by tests/core/test_roles.py."""

from __future__ import annotations

from tests.roles import Route

ROUTES = [
    Route(
        "outcomes:clinic_outcomes",
        frozenset({"admin", "clinician", "other_clinician"}),
        kwargs=lambda cast: {"slug": cast.clinic.slug},
        note="the clinic's admins and every clinician of the clinic; nobody elsewhere",
    ),
]
