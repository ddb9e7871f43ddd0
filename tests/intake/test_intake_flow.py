"""A client fills the intake one topic at a time and sends it; a clinician can do it with them."""

from __future__ import annotations

import pytest
from django.core.exceptions import PermissionDenied
from django.urls import reverse

from tests.intake.helpers import COMPLETE_ANSWERS, fill_intake
from waypost.core.models import AuditEvent
from waypost.intake import services
from waypost.intake.topics import TOPICS

pytestmark = pytest.mark.django_db


def topic_url(number: int) -> str:
    return reverse("intake:topic", kwargs={"number": number})


def as_post(values: dict) -> dict:
    """Answers as a browser would post them (lists stay lists, numbers become text)."""
    return {k: v if isinstance(v, list) else str(v) for k, v in values.items()}


def test_each_screen_is_saved_and_leads_to_the_next(cast, as_user):
    # given a client starting the intake
    browser = as_user(cast.client)
    page = browser.get(reverse("intake:overview")).content.decode()
    assert "0 of 10 topics saved" in page
    # when they answer the first topic
    response = browser.post(topic_url(1), as_post(COMPLETE_ANSWERS["first_exposure"]))
    # then it is saved and the next topic opens
    assert response.status_code == 302
    assert response["Location"] == topic_url(2)
    assert services.intake_of(cast.enrollment).answers == {
        "first_exposure": {"current_age": 34, "first_exposure_age": 11}
    }
    # and the overview shows the progress and where to continue
    page = browser.get(reverse("intake:overview")).content.decode()
    assert "1 of 10 topics saved" in page
    assert f'href="{topic_url(2)}">Continue' in page


def test_going_back_shows_what_was_saved(cast, as_user):
    fill_intake(cast.enrollment, cast.client, only={"first_exposure", "duration"})
    browser = as_user(cast.client)
    page = browser.get(topic_url(2)).content.decode()
    # the saved answer is filled in, with links back and forward
    assert 'value="12"' in page
    assert f'href="{topic_url(1)}"' in page
    assert f'href="{topic_url(3)}">Next' in page


def test_a_topic_can_be_skipped_for_now(cast, as_user):
    page = as_user(cast.client).get(topic_url(4)).content.decode()
    assert f'href="{topic_url(5)}">Skip for now' in page


def test_the_last_topic_leads_to_the_review(cast, as_user):
    browser = as_user(cast.client)
    response = browser.post(topic_url(10), as_post(COMPLETE_ANSWERS["moral"]))
    assert response["Location"] == reverse("intake:review")


def test_the_review_lists_answers_and_what_is_missing_and_refuses_to_send_early(cast, as_user):
    # given a client with three topics saved
    fill_intake(cast.enrollment, cast.client, only={"first_exposure", "duration", "frequency"})
    browser = as_user(cast.client)
    # when they open the review
    page = browser.get(reverse("intake:review")).content.decode()
    # then saved answers read as words and the rest are marked
    assert "12.5" in page
    assert page.count("Not answered yet.") == 7
    assert "You have saved 3 of 10 topics" in page
    assert "Send to my clinician</button>" not in page
    # and sending anyway is refused with a reason
    response = browser.post(reverse("intake:review"))
    assert response.status_code == 400
    assert "7 of 10 topics still need answers" in response.content.decode()
    assert services.intake_of(cast.enrollment).completed_at is None


def test_sending_the_completed_intake(cast, as_user):
    # given every topic answered
    fill_intake(cast.enrollment, cast.client)
    browser = as_user(cast.client)
    page = browser.get(reverse("intake:review")).content.decode()
    assert "Viewing pornography, Webcam or live shows" in page
    assert "2 out of 10" in page
    # when they send it
    response = browser.post(reverse("intake:review"), follow=True)
    # then it is complete, the client is thanked, and the timeline says so without details
    intake = services.intake_of(cast.enrollment)
    assert intake.completed_at is not None and intake.completed_by == cast.client
    assert "Your clinician can now see your history" in response.content.decode()
    event = cast.enrollment.timeline.get(kind="intake.completed")
    assert event.summary == "Sent their history intake to their clinician"
    # and sending twice changes nothing
    first = intake.completed_at
    browser.post(reverse("intake:review"))
    assert services.intake_of(cast.enrollment).completed_at == first
    assert cast.enrollment.timeline.filter(kind="intake.completed").count() == 1


def test_answers_can_be_corrected_after_sending(cast, as_user):
    fill_intake(cast.enrollment, cast.client)
    services.complete_intake(enrollment=cast.enrollment, by=cast.client)
    browser = as_user(cast.client)
    browser.post(topic_url(3), {"sessions_per_week": "2", "hours_per_week": "3"})
    intake = services.intake_of(cast.enrollment)
    assert intake.is_complete
    assert intake.answers["frequency"] == {"sessions_per_week": 2, "hours_per_week": 3.0}


def test_the_clinician_fills_it_in_with_the_client_and_it_is_audited(cast, as_user):
    # given the client's clinician in session
    browser = as_user(cast.clinician)
    url = reverse("intake:record_topic", kwargs={"enrollment_id": cast.enrollment.pk, "number": 1})
    page = browser.get(url).content.decode()
    assert "With Sam Client, in session" in page
    # when they save a topic
    response = browser.post(url, as_post(COMPLETE_ANSWERS["first_exposure"]))
    # then it is stored for the client, and the view and the change are in the audit trail
    assert response.status_code == 302
    assert services.intake_of(cast.enrollment).answers["first_exposure"]["current_age"] == 34
    trail = AuditEvent.objects.filter(actor=cast.clinician, client=cast.client)
    assert trail.filter(action="view", what="history intake").exists()
    assert trail.filter(action="change", what="history intake: first_exposure").exists()


def test_the_clinician_marks_it_complete_only_when_every_topic_is_answered(cast, as_user):
    browser = as_user(cast.clinician)
    url = reverse("intake:record_complete", kwargs={"enrollment_id": cast.enrollment.pk})
    record = reverse("intake:record_intake", kwargs={"enrollment_id": cast.enrollment.pk})
    # not yet: a plain message
    fill_intake(cast.enrollment, cast.client, only={"first_exposure"})
    page = browser.post(url, follow=True).content.decode()
    assert "9 of 10 topics still need answers" in page
    # with everything answered
    fill_intake(cast.enrollment, cast.clinician)
    response = browser.post(url)
    assert response["Location"] == record
    intake = services.intake_of(cast.enrollment)
    assert intake.completed_by == cast.clinician
    event = cast.enrollment.timeline.get(kind="intake.completed")
    assert event.summary == "History intake completed together in session"


def test_the_clinicians_page_shows_every_answer_and_is_audited(cast, as_user):
    fill_intake(cast.enrollment, cast.client)
    browser = as_user(cast.clinician)
    url = reverse("intake:record_intake", kwargs={"enrollment_id": cast.enrollment.pk})
    page = browser.get(url).content.decode()
    for topic in TOPICS:
        assert str(topic.title) in page
    assert "Sertraline 50 mg" in page
    assert "Telling my brother" in page
    assert "10 of 10 topics saved; not sent yet." in page
    assert "Mark as complete" in page
    assert AuditEvent.objects.filter(
        actor=cast.clinician, client=cast.client, what="history intake", action="view"
    ).exists()


@pytest.mark.parametrize("role", ["other_clinician", "foreign_clinician", "admin", "ally_all"])
def test_nobody_else_can_change_the_intake(cast, as_user, role):
    browser = as_user(getattr(cast, role))
    url = reverse("intake:record_topic", kwargs={"enrollment_id": cast.enrollment.pk, "number": 1})
    response = browser.post(url, COMPLETE_ANSWERS["first_exposure"])
    assert response.status_code in (403, 404)
    assert services.intake_of(cast.enrollment).answers == {}


def test_the_service_refuses_people_without_access(cast):
    with pytest.raises(PermissionDenied):
        services.save_intake_topic(
            enrollment=cast.enrollment,
            topic_key="duration",
            answers={"years": 3},
            by=cast.other_clinician,
        )
    assert services.intake_of(cast.enrollment).answers == {}
