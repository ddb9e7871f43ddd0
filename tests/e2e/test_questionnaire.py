"""Story: a client fills in a due PHQ-9 on a phone, gives a critical answer, sees help at
once; their clinician finds the alert in the risk inbox and acknowledges it."""

from __future__ import annotations

import re

import pytest
from playwright.sync_api import expect

from tests.e2e.conftest import DESKTOP, PHONE
from tests.program import scenarios

pytestmark = pytest.mark.e2e

ANSWERS = ["Several days"] * 8  # questions 1-8; question 9 is the critical one


@pytest.fixture
def due_phq9(e2e_cast):
    from waypost.assessments.services import assign_measure
    from waypost.safety.services import save_plan

    save_plan(
        enrollment=e2e_cast.enrollment,
        content={
            "reasons": ["My daughter's laugh"],
            "warning_signs": ["Scrolling late at night"],
            "coping": ["Cold water on my face, then a walk"],
        },
        by=e2e_cast.client,
    )
    assign_measure(enrollment=e2e_cast.enrollment, instrument_id="phq-9", by=e2e_cast.clinician)
    # today's check-in done, so the questionnaire leads Today
    scenarios.checked_in_today(e2e_cast)
    return e2e_cast


def test_a_critical_answer_brings_help_at_once_and_reaches_the_clinician(due_phq9, signed_in):
    cast = due_phq9
    # Given a client on a phone, with a PHQ-9 waiting on their Today page
    page = signed_in(cast.client, PHONE)
    page.goto("/today/")
    # (it leads Today as the next step, named in plain words)
    waiting = page.get_by_role("region", name="Mood questionnaire")
    waiting.get_by_role("link", name=re.compile("^Start")).click()

    # When they answer one question per screen with one tap each, going back once to change
    # an answer
    for number, answer in enumerate(ANSWERS, start=1):
        expect(page.get_by_text(f"Question {number} of 9").first).to_be_visible()
        page.wait_for_load_state("domcontentloaded")  # the one-tap script is ready
        page.get_by_text(answer, exact=True).click()
        if number == 2:
            expect(page.get_by_text("Question 3 of 9").first).to_be_visible()
            page.get_by_role("link", name="Back").click()
            expect(page.get_by_text("Question 2 of 9").first).to_be_visible()
            expect(page.get_by_role("radio", name="Several days")).to_be_checked()
            page.get_by_text("More than half the days", exact=True).click()
    expect(page.get_by_text("Question 9 of 9").first).to_be_visible()
    page.get_by_text("Several days", exact=True).click()

    # Then, straight after the critical answer, they see people to call and their own plan
    expect(page).to_have_url(re.compile(r"/measures/\d+/support/$"))
    expect(page.get_by_role("link", name="Call 1767")).to_be_visible()
    expect(page.get_by_text("My daughter's laugh")).to_be_visible()
    expect(page.get_by_text("Cold water on my face, then a walk")).to_be_visible()

    # When they carry on, review and send
    page.get_by_role("link", name="Carry on with the questionnaire").click()
    expect(page.get_by_role("heading", name="Check your answers")).to_be_visible()
    page.get_by_role("button", name="Send").click()

    # Then the result is explained in plain words: 1*7 + 2 + 1 = 10, Moderate
    expect(page.get_by_text("10", exact=True)).to_be_visible()
    expect(page.get_by_text("Moderate", exact=True)).to_be_visible()

    # And the clinician finds the alert in the risk inbox and acknowledges it with a note
    clinician = signed_in(cast.clinician, DESKTOP)
    clinician.goto("/risk/")
    expect(clinician.get_by_text(cast.client.name).first).to_be_visible()
    expect(clinician.get_by_text(re.compile(r"PHQ-9 question 9")).first).to_be_visible()
    clinician.get_by_label("What you did or will do").first.fill(
        "Called him the same afternoon; safe, plan reviewed, seeing him Thursday."
    )
    clinician.get_by_role("button", name=re.compile("^Acknowledge")).first.click()
    expect(clinician.get_by_text("Called him the same afternoon").first).to_be_visible()

    from waypost.safety.models import RiskAlert

    alert = RiskAlert.objects.get(enrollment=cast.enrollment)
    assert alert.status == RiskAlert.Status.ACKNOWLEDGED
    assert alert.acknowledged_by == cast.clinician
