"""Stage 1 gates ("intake complete", "narrative shared") and the client's Today cards."""

from __future__ import annotations

import pytest
from django.urls import reverse

from tests.cast import make_user
from tests.intake.helpers import fill_intake, write_story
from waypost.intake import services
from waypost.program import gates
from waypost.program.services import enroll_client

pytestmark = pytest.mark.django_db


@pytest.fixture
def newcomer(cast):
    """A client of the cast clinician, in stage 1."""
    user = make_user("newcomer@north.test", "Nia Newcomer")
    return enroll_client(client=user, clinician_profile=cast.clinician_profile, by=cast.clinician)


def checks(enrollment) -> dict:
    return {c.criterion.key: c for c in gates.checklist(enrollment)}


def test_stage_one_gates_follow_the_data(newcomer):
    # given a new client: neither is met, with details that say how far they are
    found = checks(newcomer)
    assert found["intake_complete"].label == "History intake complete"
    assert found["intake_complete"].result.met is False
    assert found["intake_complete"].result.detail == "0 of 10 topics saved"
    assert found["narrative_shared"].result.met is False
    # when they save everything but have not sent it
    fill_intake(newcomer, newcomer.client)
    assert checks(newcomer)["intake_complete"].result.detail == "10 of 10 topics saved"
    assert checks(newcomer)["intake_complete"].result.met is False
    # then send it, and share their story
    services.complete_intake(enrollment=newcomer, by=newcomer.client)
    write_story(newcomer, {"began": {"text": "At school"}})
    assert checks(newcomer)["narrative_shared"].result.met is False  # a draft is not shared
    services.share_story(enrollment=newcomer, by=newcomer.client)
    found = checks(newcomer)
    assert found["intake_complete"].result.met is True
    assert found["intake_complete"].result.detail.startswith("Completed ")
    assert found["narrative_shared"].result.met is True
    # and un-sharing takes the criterion back
    services.unshare_story(enrollment=newcomer, by=newcomer.client)
    assert checks(newcomer)["narrative_shared"].result.met is False


def test_the_clinic_can_switch_them_off(newcomer):
    newcomer.clinic.gate_settings = {"1": {"narrative_shared": {"enabled": False}}}
    newcomer.clinic.save()
    newcomer.refresh_from_db()
    assert "narrative_shared" not in checks(newcomer)
    assert "intake_complete" in checks(newcomer)


def test_the_gates_show_on_the_record_checklist(newcomer, as_user):
    page = as_user(newcomer.primary_clinician.user).get(
        reverse("caseload:record", args=[newcomer.pk])
    )
    body = page.content.decode()
    assert "History intake complete" in body
    assert "Narrative shared with the clinician" in body


def today(as_user, user) -> str:
    return as_user(user).get(reverse("program:today")).content.decode()


def test_today_invites_the_client_to_start_both(cast, as_user):
    # both are next steps on Today, each with a Start button
    page = today(as_user, cast.client)
    assert 'Start<span class="visually-hidden"> Your history</span>' in page
    assert 'Start<span class="visually-hidden"> Your story</span>' in page


def test_today_shows_progress_and_then_hides_each_card_when_done(cast, as_user):
    # half-way through the intake, one part written
    fill_intake(cast.enrollment, cast.client, only={"first_exposure", "duration"})
    write_story(cast.enrollment, {"began": {"text": "x"}})
    page = today(as_user, cast.client)
    assert "2 of 10 topics saved" in page
    assert "1 of 5 parts written" in page
    # everything answered: invited to review and send
    fill_intake(cast.enrollment, cast.client)
    assert "Review and send" in today(as_user, cast.client)
    # sent and shared: both are gone from Today
    services.complete_intake(enrollment=cast.enrollment, by=cast.client)
    services.share_story(enrollment=cast.enrollment, by=cast.client)
    page = today(as_user, cast.client)
    assert 'data-step="intake.history"' not in page
    assert 'data-step="intake.story"' not in page
    # edited after sharing: the story comes back with a gentle note
    write_story(cast.enrollment, {"began": {"text": "y"}})
    page = today(as_user, cast.client)
    assert "You changed your story after sharing it." in page
    assert "Review and share" in page
