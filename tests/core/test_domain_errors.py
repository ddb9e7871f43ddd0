"""Every refusal a service makes has a stable code and a kind message, read one way."""

from __future__ import annotations

import pytest

from waypost.accounts.services import InvitationError, InvitationErrorCode
from waypost.assessments.fhir import FhirImportError
from waypost.assessments.services import MeasureError
from waypost.clinics.photos import PhotoError
from waypost.clinics.services import ClinicError
from waypost.connect.services import AllyInviteError
from waypost.core.errors import DomainError
from waypost.intake.services import IntakeError, StoryError
from waypost.learn.services import ReadingError
from waypost.program.services import StageChangeError, change_stage

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
