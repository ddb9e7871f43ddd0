"""Who may use each URL of the safety app; gathered by tests/core/test_roles.py.

The acknowledge POST and the plan saves are refused for the wrong people in
tests/safety/test_access.py; here every page is requested with GET.
"""

from tests.roles import Route

CLINICIANS = frozenset({"clinician", "other_clinician", "foreign_clinician"})


def _with_plan(cast) -> dict:
    from waypost.safety.services import save_plan

    save_plan(enrollment=cast.enrollment, content={"reasons": ["My sister"]}, by=cast.client)
    return {"version": 1}


def _record_with_plan(cast) -> dict:
    return {"enrollment_id": cast.enrollment.pk, **_with_plan(cast)}


def _alert(cast) -> dict:
    from waypost.safety.services import raise_alert

    alert = raise_alert(
        enrollment=cast.enrollment,
        kind="critical_item",
        summary="Item 9 answered 'Several days'",
        source_label="PHQ-9",
        notify=False,
    )
    return {"alert_id": alert.pk}


def _shift(cast) -> dict:
    from datetime import date

    from waypost.clinics.models import ClinicianProfile
    from waypost.safety.models import OnCallShift

    shift = OnCallShift.objects.create(
        clinic=cast.clinic,
        clinician=ClinicianProfile.objects.get(user=cast.other_clinician),
        starts_on=date(2099, 1, 1),
        ends_on=date(2099, 1, 2),
    )
    return {"slug": cast.clinic.slug, "shift_id": shift.pk}


ROUTES = [
    Route("safety:my_plan", frozenset({"client"})),
    Route("safety:my_plan_edit", frozenset({"client"})),
    Route("safety:my_plan_version", frozenset({"client"}), kwargs=_with_plan),
    Route(
        "safety:client_plan",
        frozenset({"clinician"}),
        kwargs=lambda cast: {"enrollment_id": cast.enrollment.pk},
    ),
    Route(
        "safety:client_plan_edit",
        frozenset({"clinician"}),
        kwargs=lambda cast: {"enrollment_id": cast.enrollment.pk},
    ),
    Route("safety:client_plan_version", frozenset({"clinician"}), kwargs=_record_with_plan),
    Route("safety:inbox", CLINICIANS, note="each clinician sees their own clients' alerts"),
    Route(
        "safety:acknowledge",
        frozenset({"clinician"}),
        kwargs=_alert,
        note="GET shows the alert and the note form; POST is in test_access.py",
    ),
    Route(
        "safety:clinic_risk",
        frozenset({"admin"}),
        kwargs=lambda cast: {"slug": cast.clinic.slug},
    ),
    # escalation: the on-call rota and times (tests/safety/test_escalation_page.py)
    Route(
        "safety:clinic_escalation",
        frozenset({"admin"}),
        kwargs=lambda cast: {"slug": cast.clinic.slug},
    ),
    Route(
        "safety:clinic_escalation_remove_shift",
        frozenset({"admin"}),
        kwargs=_shift,
        method="post",
    ),
]
