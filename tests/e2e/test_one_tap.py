"""Story: a client answers a mood questionnaire on a phone, one tap per question.

Each tap brings the next question without loading the page again (a marker set on the
page survives every step); Back, on the page or the browser's, returns with the answer
chosen; the arrow keys only choose; the review and the result follow, in plain words.
Without JavaScript the same questionnaire is done with the Next buttons. Screenshots of
the question, the review, the result, the questionnaires page and the stage-of-change
page at 390 px and 1280 px go to ``$WAYPOST_SHOTS`` (default <temp>/shots/measures/).
"""

from __future__ import annotations

import os
import re
import tempfile
from datetime import timedelta
from pathlib import Path

import pytest
from axe_playwright_python.base import AXE_SCRIPT
from django.utils import timezone
from playwright.sync_api import expect

from tests.cast import PASSWORD
from tests.e2e.conftest import CHROMIUM, DESKTOP, PHONE, TIMEOUT_MS, VIEWPORTS, sign_in
from tests.e2e.test_accessibility import BLOCKING, describe, run_axe

pytestmark = pytest.mark.e2e

SHOTS = Path(os.environ.get("WAYPOST_SHOTS") or Path(tempfile.gettempdir(), "shots", "measures"))
PHQ9_17 = [3, 3, 3, 2, 2, 2, 1, 1, 0]
JARGON = re.compile(r"PHQ|GAD-|WHO-5|AUDIT-C|FHIR|Jacobson|Truax|reliable|contemplation", re.I)
MARKER = "window.__stillHere"


def _shot(page, name: str) -> None:
    SHOTS.mkdir(parents=True, exist_ok=True)
    page.screenshot(path=str(SHOTS / f"{name}.png"), full_page=True)


def _checked(page, width: int) -> None:
    """No serious accessibility finding, nothing wider than the screen, no jargon."""
    blocking = [describe(page.url, v) for v in run_axe(page) if v["impact"] in BLOCKING]
    assert not blocking, "\n".join(blocking)
    assert page.evaluate("document.documentElement.scrollWidth") <= width
    text = page.evaluate("document.body.innerText + ' ' + document.title")
    assert not JARGON.search(text), JARGON.search(text)


@pytest.fixture
def mood_due(e2e_cast):
    """A client whose first mood questionnaire (17) was 12 weeks ago, with a new one due."""
    from waypost.assessments.services import assign_measure, record_completed
    from waypost.motivation.services import record_stage

    cast = e2e_cast
    record_completed(
        enrollment=cast.enrollment,
        instrument_id="phq-9",
        answers=PHQ9_17,
        at=timezone.now() - timedelta(weeks=12),
    )
    record_stage(enrollment=cast.enrollment, stage="contemplation", by=cast.client)
    assign_measure(enrollment=cast.enrollment, instrument_id="phq-9", by=cast.clinician)
    return cast


def _question(page, number: int):
    expect(page.locator("#progress")).to_have_attribute("value", str(number))
    # the deferred script has run by DOMContentLoaded; a tap before it only chooses
    page.wait_for_load_state("domcontentloaded")
    expect(page.get_by_text(f"Question {number} of 9").first).to_be_visible()


def _still_the_same_page(page) -> None:
    assert page.evaluate(MARKER) is True, "the page was loaded again"


def test_one_tap_per_question_without_reloading_the_page(mood_due, signed_in):
    cast = mood_due
    # given a client on a phone, on their questionnaires page
    page = signed_in(cast.client, PHONE)
    page.context.add_init_script(AXE_SCRIPT)
    page.goto("/measures/")
    expect(page.get_by_text("Mood questionnaire").first).to_be_visible()
    _checked(page, PHONE)
    _shot(page, f"measures-{PHONE}")
    page.get_by_role("link", name="Start").click()

    # when the first question shows, a marker is set on the page
    _question(page, 1)
    expect(page).to_have_title("Question 1 of 9 · Waypost")
    page.evaluate(f"{MARKER} = true")
    _checked(page, PHONE)
    _shot(page, f"question-{PHONE}")

    # and they tap an answer: the next question comes, the page stays
    page.get_by_text("Several days", exact=True).click()
    _question(page, 2)
    expect(page).to_have_url(re.compile(r"/q/2/$"))
    expect(page).to_have_title("Question 2 of 9 · Waypost")
    expect(page.locator("#question-heading")).to_be_focused()
    expect(page.get_by_role("radio", name="Several days")).not_to_be_checked()
    _still_the_same_page(page)

    # when they press Back on the page, question 1 returns with their answer chosen
    page.get_by_role("link", name="Back").click()
    _question(page, 1)
    expect(page.get_by_role("radio", name="Several days")).to_be_checked()
    # and tapping the chosen answer again moves on too
    page.get_by_text("Several days", exact=True).click()
    _question(page, 2)
    page.get_by_text("Several days", exact=True).click()
    _question(page, 3)

    # when they use the browser's back button, question 2 returns, answered
    page.go_back()
    _question(page, 2)
    expect(page).to_have_url(re.compile(r"/q/2/$"))
    expect(page.get_by_role("radio", name="Several days")).to_be_checked()
    page.go_forward()
    _question(page, 3)
    _still_the_same_page(page)

    # when, with the keyboard, they move through the answers with the arrow keys
    page.get_by_role("radio", name="Not at all").focus()
    page.keyboard.press("Space")
    page.keyboard.press("ArrowDown")
    page.wait_for_timeout(400)
    # then the choice moves and nothing is sent
    expect(page.get_by_role("radio", name="Several days")).to_be_checked()
    _question(page, 3)
    # until they press Enter
    page.keyboard.press("Enter")
    _question(page, 4)
    _still_the_same_page(page)

    # when they tap through the rest, the last one "Not at all"
    for number in range(4, 9):
        _question(page, number)
        page.get_by_text("Several days", exact=True).click()
    _question(page, 9)
    page.get_by_text("Not at all", exact=True).click()

    # then the review lists every answer, still on the same page
    expect(page.get_by_role("heading", name="Check your answers")).to_be_visible()
    expect(page).to_have_url(re.compile(r"/review/$"))
    expect(page.get_by_role("heading", name="Check your answers")).to_be_focused()
    _still_the_same_page(page)
    _checked(page, PHONE)
    _shot(page, f"review-{PHONE}")
    # and a Change link opens that question, and answering it comes back to the review
    page.get_by_role("link", name="Change question 3").click()
    _question(page, 3)
    page.get_by_text("Several days", exact=True).click()
    expect(page.get_by_role("heading", name="Check your answers")).to_be_visible()
    _still_the_same_page(page)

    # when they send
    page.get_by_role("button", name="Send").click()
    # then the result is in plain words: 8 of 27, "Mild", a real improvement since 17
    expect(page.get_by_role("heading", name="Thank you")).to_be_visible()
    expect(page.get_by_role("heading", name="Mood questionnaire")).to_be_visible()
    expect(page.get_by_text("8", exact=True)).to_be_visible()
    expect(page.get_by_text("Mild", exact=True)).to_be_visible()
    expect(
        page.get_by_text(re.compile("A real improvement, not a day-to-day wobble"))
    ).to_be_visible()
    expect(page.get_by_role("link", name="Me")).to_have_count(2)  # the sentence and the nav
    _checked(page, PHONE)
    _shot(page, f"result-{PHONE}")

    from waypost.assessments.models import Administration

    latest = Administration.objects.filter(status="completed").order_by("-completed_at").first()
    assert latest.total == 8 and latest.answers["phq9-3"] == 1


def test_a_critical_answer_still_brings_help_at_once(mood_due, signed_in):
    cast = mood_due
    page = signed_in(cast.client, PHONE)
    page.goto("/measures/")
    page.get_by_role("link", name="Start").click()
    for number in range(1, 9):
        _question(page, number)
        page.get_by_text("Not at all", exact=True).click()
    _question(page, 9)
    page.get_by_text("Several days", exact=True).click()
    # then the support page loads as a page of its own, with people to call
    expect(page).to_have_url(re.compile(r"/measures/\d+/support/$"))
    expect(page.get_by_role("link", name="Call 1767")).to_be_visible()

    from waypost.safety.models import RiskAlert

    assert RiskAlert.objects.filter(enrollment=cast.enrollment).count() == 1


def test_without_javascript_the_next_buttons_do_it(mood_due, browser, live_server):
    cast = mood_due
    context = browser.new_context(
        viewport=VIEWPORTS[PHONE],
        base_url=live_server.url,
        locale="en-GB",
        timezone_id="Asia/Singapore",
        java_script_enabled=False,
    )
    context.set_default_timeout(TIMEOUT_MS)
    try:
        page = context.new_page()
        sign_in(page, live_server, cast.client.email, PASSWORD)
        page.goto("/measures/")
        page.get_by_role("link", name="Start").click()
        for number in range(1, 10):
            _question(page, number)
            page.get_by_role("radio", name="Several days" if number < 9 else "Not at all").check()
            if number == 2:
                # Back is a plain link
                page.get_by_role("link", name="Back").click()
                _question(page, 1)
                expect(page.get_by_role("radio", name="Several days")).to_be_checked()
                page.get_by_role("button", name="Next").click()
                _question(page, 2)
                page.get_by_role("radio", name="Several days").check()
            button = "Review answers" if number == 9 else "Next"
            page.get_by_role("button", name=button).click()
        expect(page.get_by_role("heading", name="Check your answers")).to_be_visible()
        page.get_by_role("button", name="Send").click()
        expect(page.get_by_role("heading", name="Mood questionnaire")).to_be_visible()
        expect(page.get_by_text("Mild", exact=True)).to_be_visible()
    finally:
        context.close()


@pytest.mark.skipif(not CHROMIUM.exists(), reason="needs Chromium")
def test_the_pages_at_desktop_width(mood_due, signed_in):
    cast = mood_due
    page = signed_in(cast.client, DESKTOP)
    page.context.add_init_script(AXE_SCRIPT)
    page.goto("/measures/")
    _checked(page, DESKTOP)
    _shot(page, f"measures-{DESKTOP}")
    page.get_by_role("link", name="Start").click()
    _question(page, 1)
    _checked(page, DESKTOP)
    _shot(page, f"question-{DESKTOP}")
    for number in range(1, 10):
        _question(page, number)
        page.get_by_text("Several days" if number < 9 else "Not at all", exact=True).click()
    expect(page.get_by_role("heading", name="Check your answers")).to_be_visible()
    _checked(page, DESKTOP)
    _shot(page, f"review-{DESKTOP}")
    page.get_by_role("button", name="Send").click()
    expect(page.get_by_role("heading", name="Thank you")).to_be_visible()
    _checked(page, DESKTOP)
    _shot(page, f"result-{DESKTOP}")


@pytest.mark.parametrize("width", [PHONE, DESKTOP])
def test_the_stage_of_change_page_in_plain_words(mood_due, signed_in, width):
    page = signed_in(mood_due.client, width)
    page.context.add_init_script(AXE_SCRIPT)
    page.goto("/motivation/stage/")
    expect(page.get_by_role("heading", name="Where are you with change?")).to_be_visible()
    expect(page.get_by_text("Thinking about it", exact=True)).to_be_visible()
    _checked(page, width)
    _shot(page, f"stage-{width}")
    page.goto("/motivation/")
    expect(page.get_by_role("heading", name="Where you are with change")).to_be_visible()
    _checked(page, width)
