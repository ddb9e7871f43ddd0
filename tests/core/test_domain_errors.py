"""Every refusal a service makes has a stable code and a kind message, read one way."""

from __future__ import annotations

import pytest

from waypost.accounts.services import InvitationError, InvitationErrorCode
from waypost.assessments.fhir import FhirImportError
from waypost.assessments.services import MeasureError
from waypost.clinics.photos import PhotoError
from waypost.clinics.services import ClinicError
from waypost.connect.meetings.services import MeetingError
from waypost.connect.services import AllyInviteError
from waypost.core.errors import DomainError, show_on_form
from waypost.intake.services import IntakeError, StoryError
from waypost.learn.services import ReadingError
from waypost.program.services import StageChangeError, change_stage
from waypost.recovery.middle_services import MiddleError
from waypost.recovery.services.urges import UrgeError

ERRORS = [
    StageChangeError,
    ClinicError,
    MeasureError,
    FhirImportError,
    ReadingError,
    IntakeError,
    StoryError,
    AllyInviteError,
    PhotoError,
    InvitationError,
    MeetingError,
    UrgeError,
    MiddleError,
]


@pytest.mark.parametrize("error", ERRORS, ids=lambda e: e.__name__)
def test_each_domain_error_has_its_own_stable_code(error):
    exc = error("Please try again.")
    assert isinstance(exc, DomainError)
    assert exc.message == "Please try again."
    assert exc.code and exc.code != DomainError.code


def test_the_codes_do_not_collide():
    codes = [error.code for error in ERRORS if error is not InvitationError]
    assert len(codes) == len(set(codes))


def test_an_invitation_error_carries_the_reason_as_its_code():
    exc = InvitationError("Expired.", code=InvitationErrorCode.EXPIRED)
    assert exc.code == "invitation_expired"


def test_a_refused_stage_change_says_why_in_plain_words(cast):
    with pytest.raises(StageChangeError) as caught:
        change_stage(enrollment=cast.enrollment, to_stage=4, reason="Skip", by=cast.clinician)
    assert caught.value.code == "stage_change_refused"
    assert caught.value.message == "Stages change one step at a time."


def test_a_refusal_shows_beside_the_answer_it_names_else_above_the_form():
    from django import forms

    class Form(forms.Form):
        name = forms.CharField()

    named = Form({"name": "x"})
    named.is_valid()
    show_on_form(named, MeetingError("Please give the source a name.", "name"))
    assert named.errors == {"name": ["Please give the source a name."]}
    # a field the form does not have, or none, goes above the form
    for error in (UrgeError("Not that.", field="elsewhere"), MiddleError("Not now.")):
        whole = Form({"name": "x"})
        whole.is_valid()
        show_on_form(whole, error)
        assert whole.non_field_errors() == [error.message]
