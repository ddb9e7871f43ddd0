"""Who may use each appointments URL; gathered by tests/core/test_roles.py.

The client sees their own list; their primary clinician sees the client's list and
books, moves and cancels; nobody else (another clinician of the clinic, the admin,
allies) sees anything of it.
"""

from __future__ import annotations

from tests.appointments.helpers import one_appointment
from tests.roles import Route

CLINICIAN = frozenset({"clinician"})


def _enrollment(cast) -> dict:
    return {"enrollment_id": cast.enrollment.pk}


def _appointment(cast) -> dict:
    return {"pk": one_appointment(cast).pk}


ROUTES = [
    Route("appointments:mine", frozenset({"client"})),
    Route("appointments:for_client", CLINICIAN, kwargs=_enrollment),
    Route("appointments:book", CLINICIAN, kwargs=_enrollment),
    Route("appointments:move", CLINICIAN, kwargs=_appointment),
    Route("appointments:cancel", CLINICIAN, kwargs=_appointment),
]
