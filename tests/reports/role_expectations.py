"""Who may use each Reports URL; gathered by tests/core/test_roles.py.

A progress report is for the client (their own) and their primary clinician; the
export of the whole record is for the primary clinician only. Another clinician of
the clinic, the clinic admin and allies get nothing of either.
"""

from __future__ import annotations

from tests.reports.helpers import a_report
from tests.roles import Route

CLIENT_AND_CLINICIAN = frozenset({"client", "clinician"})
CLINICIAN = frozenset({"clinician"})


def _enrollment(cast) -> dict:
    return {"enrollment_id": cast.enrollment.pk}


def _report(cast) -> dict:
    return {"pk": a_report(cast).pk}


ROUTES = [
    Route("reports:mine_new", frozenset({"client"})),
    Route("reports:new", CLINICIAN, kwargs=_enrollment),
    Route("reports:show", CLIENT_AND_CLINICIAN, kwargs=_report),
    Route("reports:pdf", CLIENT_AND_CLINICIAN, kwargs=_report),
    Route("reports:export_json", CLINICIAN, kwargs=_enrollment),
    Route("reports:export_csv", CLINICIAN, kwargs=_enrollment),
]
