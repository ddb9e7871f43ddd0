"""Who may use each assessments URL: the client their own forms, their clinician the rest."""

from __future__ import annotations

from datetime import timedelta

from django.utils import timezone

from tests.roles import Route

CLIENT = frozenset({"client"})
CLINICIAN = frozenset({"clinician"})


def open_form(cast):
    from waypost.assessments.services import assign_measure

    assign_measure(enrollment=cast.enrollment, instrument_id="phq-9", by=cast.clinician)
    return cast.enrollment.measure_forms.get(status="open")


def done_form(cast):
    from waypost.assessments.services import record_completed

    return record_completed(
        enrollment=cast.enrollment,
        instrument_id="phq-9",
        answers=[1, 1, 1, 1, 1, 1, 1, 1, 0],
        at=timezone.now() - timedelta(days=1),
    )


def _form(cast) -> dict:
    return {"form_id": open_form(cast).pk}


def _done(cast) -> dict:
    return {"form_id": done_form(cast).pk}


def _record(cast) -> dict:
    return {"enrollment_id": cast.enrollment.pk}


def _record_done(cast) -> dict:
    return {"enrollment_id": cast.enrollment.pk, "form_id": done_form(cast).pk}


def _assignment(cast) -> dict:
    from waypost.assessments.services import assign_measure

    assignment = assign_measure(
        enrollment=cast.enrollment,
        instrument_id="phq-9",
        schedule="weeks",
        every_weeks=2,
        by=cast.clinician,
    )
    return {"enrollment_id": cast.enrollment.pk, "assignment_id": assignment.pk}


def _session(cast) -> dict:
    from waypost.assessments.services import plan_session

    session = plan_session(
        enrollment=cast.enrollment,
        starts_at=timezone.now() + timedelta(days=5),
        by=cast.clinician,
    )
    return {"enrollment_id": cast.enrollment.pk, "session_id": session.pk}


def _history(cast) -> dict:
    done_form(cast)
    return {"instrument_id": "phq-9"}


ROUTES = [
    Route("assessments:measures", CLIENT),
    Route("assessments:start", CLIENT, kwargs=_form),
    Route("assessments:question", CLIENT, kwargs=lambda c: {**_form(c), "position": 1}),
    Route("assessments:review", CLIENT, kwargs=_form),
    Route("assessments:support", CLIENT, kwargs=_form),
    Route("assessments:result", CLIENT, kwargs=_done),
    Route("assessments:export_response", CLIENT, kwargs=_done),
    Route("assessments:export_observation", CLIENT, kwargs=_done),
    Route("assessments:history", CLIENT, kwargs=_history),
    Route("assessments:clinician_measures", CLINICIAN, kwargs=_record),
    Route(
        "assessments:assign",
        CLINICIAN,
        kwargs=_record,
        method="post",
        data=lambda c: {
            "instrument": "phq-9",
            "schedule": "weeks",
            "every_weeks": 4,
            "window_days": 7,
        },
    ),
    Route("assessments:end_assignment", CLINICIAN, kwargs=_assignment, method="post"),
    Route(
        "assessments:import",
        CLINICIAN,
        kwargs=_record,
        method="post",
        also_ok=frozenset({400}),
        note="an empty upload is refused with the form's message",
    ),
    Route("assessments:clinician_form", CLINICIAN, kwargs=_record_done),
    Route("assessments:clinician_export_response", CLINICIAN, kwargs=_record_done),
    Route("assessments:clinician_export_observation", CLINICIAN, kwargs=_record_done),
    Route(
        "assessments:plan_session",
        CLINICIAN,
        kwargs=_record,
        method="post",
        data=lambda c: {
            "starts_at": (timezone.now() + timedelta(days=3)).strftime("%Y-%m-%dT%H:%M")
        },
    ),
    Route("assessments:cancel_session", CLINICIAN, kwargs=_session, method="post"),
    Route(
        "assessments:clinic_settings",
        frozenset({"admin"}),
        kwargs=lambda c: {"slug": c.clinic.slug},
    ),
]
