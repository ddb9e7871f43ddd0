"""Story: a brand-new client accepts an invitation on a phone, sees the welcome, skips it
and lands on Today; Get help now stays one tap away the whole time."""

from __future__ import annotations

import re

import pytest
from playwright.sync_api import expect

from tests.e2e.conftest import PHONE

pytestmark = pytest.mark.e2e


def _accept_on_a_phone(cast, new_page, *, email: str, name: str):
    """A client invitation from the cast's clinician, accepted on a phone with a password."""
    from waypost.accounts.services import create_invitation

    _invitation, token = create_invitation(
        kind="client", clinic=cast.clinic, email=email, name=name, by=cast.clinician, send=False
    )
    page = new_page(PHONE)
    page.goto(f"/invite/{token}/")
    page.get_by_label("Password").fill("a-long-good-password")
    page.get_by_role("button", name="Accept invitation").click()
    return page


def test_a_new_client_accepts_sees_the_welcome_skips_it_and_lands_on_today(e2e_cast, new_page):
    from waypost.program.models import Enrollment

    # Given an invitation from their clinician, when they open the link on their phone
    # and choose a password
    page = _accept_on_a_phone(e2e_cast, new_page, email="nia@new.test", name="Nia Newcomer")

    # Then they see the welcome: who sees what, where help is, three things to do first
    expect(page).to_have_url(re.compile(r"/welcome/$"))
    expect(page.get_by_role("heading", level=1)).to_have_text("Welcome, Nia Newcomer")
    expect(page.get_by_role("heading", name="Who sees what")).to_be_visible()
    expect(page.get_by_role("heading", name="Three things to do first")).to_be_attached()
    # and Get help now is in the header, visible without scrolling
    help_now = page.get_by_role("banner").get_by_role("link", name="Get help now")
    expect(help_now).to_be_in_viewport()
    # and the page fits the phone
    assert page.evaluate("document.documentElement.scrollWidth") <= PHONE

    # When they skip it
    page.get_by_role("button", name="Skip").click()

    # Then they are on Today, told where to find the welcome again, and it is not offered
    expect(page).to_have_url(re.compile(r"/today/$"))
    expect(page.get_by_text("You can read the welcome again from Me")).to_be_visible()
    expect(page.get_by_text("You have just begun. Welcome.")).to_be_visible()
    expect(page.get_by_text("New here? Start with the welcome")).to_have_count(0)
    assert Enrollment.objects.get(client__email="nia@new.test").welcomed_at is not None

    # And "Me" still has it
    page.get_by_role("navigation", name="Sections").get_by_role("link", name="Me").click()
    page.get_by_role("link", name=re.compile("Welcome to Waypost")).click()
    expect(page).to_have_url(re.compile(r"/welcome/$"))
    expect(page.get_by_role("button", name="Skip")).to_have_count(0)


def test_a_new_client_finds_the_baseline_waiting_and_answers_one_tap_by_tap(e2e_cast, new_page):
    """Issue 10's first story: invitation → welcome → three baseline questionnaires waiting →
    one answered one tap per question → its result in plain words."""
    from waypost.assessments.models import Administration, ClinicMeasureSettings

    # Given a clinic that gives new clients three questionnaires to begin with
    ClinicMeasureSettings.objects.update_or_create(
        clinic=e2e_cast.clinic, defaults={"baseline_instruments": ["phq-9", "gad-7", "who-5"]}
    )
    # When they accept on their phone and close the welcome
    page = _accept_on_a_phone(e2e_cast, new_page, email="ola@new.test", name="Ola Newcomer")
    expect(page).to_have_url(re.compile(r"/welcome/$"))
    page.get_by_role("button", name="Skip").click()

    # Then Today leads with one of the three questionnaires and lists the others
    expect(page).to_have_url(re.compile(r"/today/$"))
    main = page.get_by_role("main")
    for name in ("Mood questionnaire", "Worry questionnaire", "Wellbeing questionnaire"):
        expect(main.get_by_text(name, exact=True).first).to_be_attached()
    assert Administration.objects.filter(enrollment__client__email="ola@new.test").count() == 3

    # When they open the questionnaires from Journey and start the mood one
    page.goto("/measures/")
    row = page.locator("li, tr, article").filter(has_text="Mood questionnaire").first
    row.get_by_role("link", name="Start").click()
    expect(page.get_by_text("Question 1 of 9").first).to_be_visible()
    page.wait_for_load_state("domcontentloaded")
    page.evaluate("window.__stillHere = true")

    # and tap one answer per question: each next question comes without a page load
    # (the last question is the one about self-harm: "Not at all" there)
    for number in range(2, 10):
        page.get_by_text("Several days" if number == 2 else "Not at all", exact=True).click()
        expect(page.get_by_text(f"Question {number} of 9").first).to_be_visible()
        assert page.evaluate("window.__stillHere") is True
    page.get_by_text("Not at all", exact=True).click()
    expect(page.get_by_role("heading", name="Check your answers")).to_be_visible()
    assert page.evaluate("window.__stillHere") is True
    page.get_by_role("button", name="Send").click()

    # Then the result is in plain words: the score, its scale and range, no codes
    expect(page.get_by_role("heading", name="Thank you")).to_be_visible()
    expect(main.get_by_text("Mood questionnaire")).to_be_visible()
    expect(main.get_by_text("on a scale from 0 to 27")).to_be_visible()
    text = main.inner_text()
    for jargon in ("PHQ", "FHIR", "Jacobson", "reliable change"):
        assert jargon.lower() not in text.lower()
    form = Administration.objects.get(
        enrollment__client__email="ola@new.test", instrument_id="phq-9"
    )
    assert form.status == Administration.Status.COMPLETED
    assert form.total == 1
