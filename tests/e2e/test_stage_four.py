"""Story: a client in Stage 4 sets a long-term goal on a phone; their clinician graduates them,
and Today greets them as alumni."""

from __future__ import annotations

import re
from pathlib import Path

import pytest
from playwright.sync_api import expect

from tests.e2e.conftest import DESKTOP, PHONE

pytestmark = pytest.mark.e2e

# Screenshots to look at (UX.md: a page is done when its screenshots look right).
SHOTS = Path("/tmp/shots/flourish")  # noqa: S108 - a fixed place people look, not a secret


def test_client_sets_a_goal_then_graduates_and_sees_the_alumni_card(e2e_cast, signed_in):
    from tests.flourish.helpers import to_stage_four
    from waypost.flourish.models import Goal

    # Given a client in Stage 4, on their phone
    to_stage_four(e2e_cast)
    page = signed_in(e2e_cast.client, PHONE)

    # When they open their goals and set one with two first steps
    page.goto("/goals/")
    page.get_by_role("link", name="Set a goal").click()
    expect(page.get_by_role("heading", level=1)).to_have_text("A new long-term goal")
    page.get_by_role("radio", name=re.compile("Connection and closeness")).check()
    page.get_by_label("Your goal").fill("See a friend every week")
    page.get_by_label("First steps, one a line (optional)").fill("Message Jun\nBook the café")
    page.get_by_role("button", name="Set the goal").click()

    # Then the goal's page shows it, with its steps, and they tick the first one off
    expect(page.get_by_role("heading", level=1)).to_have_text("See a friend every week")
    expect(page.get_by_role("status")).to_contain_text("Your goal is set.")
    page.get_by_role("button", name=re.compile("Message Jun")).click()
    expect(page.get_by_text("1 of 2 steps done")).to_be_visible()
    page.screenshot(path=str(SHOTS / "e2e_goal_390.png"), full_page=True)
    goal = Goal.objects.get(enrollment=e2e_cast.enrollment)
    assert goal.title == "See a friend every week"

    # When their clinician opens the record and graduates them with a note
    clinician = signed_in(e2e_cast.clinician, DESKTOP)
    clinician.goto(f"/clients/{e2e_cast.enrollment.pk}/")
    card = clinician.get_by_role("region", name="Goals and maintenance")
    expect(card).to_contain_text("See a friend every week")
    card.screenshot(path=str(SHOTS / "e2e_record_card_1280.png"))
    card.get_by_role("link", name="Open goals, plan and graduation").click()
    clinician.get_by_label("A short note for the graduation").fill("A year of steady work.")
    clinician.get_by_role("button", name="Graduate").click()
    expect(clinician.get_by_role("status")).to_contain_text("Graduated.")

    # Then the client's Today greets them as alumni, with their goals still there
    page.goto("/")
    alumni = page.get_by_role("region", name=re.compile("You graduated"))
    expect(alumni).to_be_visible()
    expect(alumni).to_contain_text("your totals, your toolbox, your safety plan and your goals")
    expect(page.get_by_role("region", name="Your goals")).to_contain_text("See a friend every week")
    page.screenshot(path=str(SHOTS / "e2e_alumni_today_390.png"), full_page=True)
