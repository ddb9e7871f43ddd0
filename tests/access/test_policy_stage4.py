"""Stage 4's and the clinician workspace's actions, asked directly for every role."""

from __future__ import annotations

import pytest
from django.contrib.auth.models import AnonymousUser

from tests.roles import ROLES
from waypost.access.policy import Action, can

pytestmark = pytest.mark.django_db


def _who(cast, action, obj) -> set[str]:
    return {role for role in ROLES if can(cast.role(role) or AnonymousUser(), action, obj)}


def test_the_client_and_their_clinician_exchange_messages(cast):
    assert _who(cast, Action.SEND_MESSAGE, cast.enrollment) == {"client", "clinician"}
    assert _who(cast, Action.SEND_MESSAGE, cast.foreign_enrollment) == {"foreign_clinician"}


def test_only_the_primary_clinician_books_appointments(cast):
    assert _who(cast, Action.BOOK_APPOINTMENT, cast.enrollment) == {"clinician"}


def test_goals_are_the_client_and_clinicians_from_stage_four(cast):
    # the cast's client is in Stage 2
    assert _who(cast, Action.EDIT_GOALS, cast.enrollment) == set()
    cast.enrollment.stage = 4
    assert _who(cast, Action.EDIT_GOALS, cast.enrollment) == {"client", "clinician"}


def test_the_clinics_admins_set_its_escalation(cast):
    assert _who(cast, Action.MANAGE_ESCALATION, cast.clinic) == {"admin"}


def test_only_the_primary_clinician_writes_notes_and_exports_the_record(cast):
    for action in (Action.WRITE_SESSION_NOTE, Action.EXPORT_RECORD):
        assert _who(cast, action, cast.enrollment) == {"clinician"}
        assert _who(cast, action, cast.foreign_enrollment) == {"foreign_clinician"}


def test_the_client_and_their_clinician_make_progress_reports(cast):
    assert _who(cast, Action.MAKE_REPORT, cast.enrollment) == {"client", "clinician"}


def test_the_clinics_clinicians_and_admins_see_its_outcomes(cast):
    who = _who(cast, Action.VIEW_OUTCOMES, cast.clinic)
    assert "admin" in who and "clinician" in who
    assert not who & {"client", "foreign_clinician"}
    assert not {role for role in who if role.startswith("ally")}
