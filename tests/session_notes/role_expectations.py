"""Who may use each session notes URL; gathered by tests/core/test_roles.py.

Notes, homework and the whole timeline are the primary clinician's: nobody else (another
clinician of the clinic, the admin, the client, allies) sees anything of them. Exercises
are the client's own page.
"""

from __future__ import annotations

from datetime import timedelta

from django.utils import timezone

from tests.roles import Route
from tests.session_notes.helpers import draft, exercise, signed

CLINICIAN = frozenset({"clinician"})
CLIENT = frozenset({"client"})


def _enrollment(cast) -> dict:
    return {"enrollment_id": cast.enrollment.pk}


def _draft(cast) -> dict:
    return {"enrollment_id": cast.enrollment.pk, "note_id": draft(cast).pk}


def _orphaned(cast) -> dict:
    """A draft by a clinician who is not the client's primary clinician (one who left)."""
    from waypost.caseload.notes.models import SessionNote

    note = draft(cast)
    SessionNote.objects.filter(pk=note.pk).update(author=cast.other_clinician)
    return {"enrollment_id": cast.enrollment.pk, "note_id": note.pk}


def _locked(cast) -> dict:
    note = signed(cast, at=timezone.now() - timedelta(days=2))
    return {"enrollment_id": cast.enrollment.pk, "note_id": note.pk}


def _exercise(cast) -> dict:
    return {"enrollment_id": cast.enrollment.pk, "exercise_id": exercise(cast).pk}


def _own_exercise(cast) -> dict:
    return {"exercise_id": exercise(cast).pk}


ROUTES = [
    Route("session_notes:list", CLINICIAN, kwargs=_enrollment),
    Route("session_notes:new", CLINICIAN, kwargs=_enrollment),
    Route("session_notes:note", CLINICIAN, kwargs=_draft),
    Route("session_notes:edit", CLINICIAN, kwargs=_draft),
    Route("session_notes:sign", CLINICIAN, kwargs=_draft, method="post"),
    Route("session_notes:amend", CLINICIAN, kwargs=_locked),
    Route(
        "session_notes:discard",
        CLINICIAN,
        kwargs=_orphaned,
        method="post",
        data=lambda cast: {"confirm": "yes"},
    ),
    Route("session_notes:homework", CLINICIAN, kwargs=_enrollment),
    Route("session_notes:set_exercise", CLINICIAN, kwargs=_enrollment),
    Route("session_notes:withdraw_exercise", CLINICIAN, kwargs=_exercise, method="post"),
    Route("session_notes:timeline", CLINICIAN, kwargs=_enrollment),
    Route("session_notes:mine", CLIENT),
    Route("session_notes:done", CLIENT, kwargs=_own_exercise, method="post"),
]
