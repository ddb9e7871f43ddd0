"""Story: a Stage 2 client writes their plan on a phone, logs a lapse and looks back at it,
sees the streak begin again while the total days and the longest streak stay, adds the
learning to the relapse-prevention plan with one tap and opens the printable card; then
their clinician opens the record, reads the plan and the lapse's chain, and agrees the plan.

Screenshots go to ``$WAYPOST_SHOTS/plans`` (default <temp>/shots/plans/).
"""

from __future__ import annotations

import os
import re
import tempfile
from datetime import timedelta
from pathlib import Path

import pytest
from axe_playwright_python.base import AXE_SCRIPT
from playwright.sync_api import expect

from tests.e2e.conftest import PHONE
from tests.e2e.test_accessibility import BLOCKING, INDISCREET, describe, run_axe

pytestmark = pytest.mark.e2e

SHOTS = Path(os.environ.get("WAYPOST_SHOTS") or Path(tempfile.gettempdir(), "shots")) / "plans"


def _ten_days_in(cast) -> None:
    """Welcomed, and in Stage 2 for nine days before today."""
    from waypost.program.services import mark_welcomed

    mark_welcomed(enrollment=cast.enrollment, by=cast.client)
    cast.enrollment.stage_entered_at -= timedelta(days=9)
    cast.enrollment.save(update_fields=["stage_entered_at"])


def _looked_at(page, name: str) -> None:
    blocking = [describe(page.url, v) for v in run_axe(page) if v["impact"] in BLOCKING]
    assert not blocking, "\n".join(blocking)
    assert page.evaluate("document.documentElement.scrollWidth") <= PHONE
    assert not INDISCREET.search(page.title()), page.title()
    SHOTS.mkdir(parents=True, exist_ok=True)
    page.screenshot(path=str(SHOTS / f"{name}-{PHONE}.png"), full_page=True)


def _counter(page, region: str) -> dict[str, str]:
    card = page.get_by_role("region", name=region)
    return {
        label: card.locator(".count", has_text=label).locator("dd").inner_text()
        for label in ("Current streak", "Total days", "Longest streak")
    }


def test_a_client_plans_looks_back_at_a_lapse_and_their_clinician_agrees_the_plan(
    e2e_cast, signed_in
):
    from waypost.recovery.selectors import client_today

    _ten_days_in(e2e_cast)
    today = client_today(e2e_cast.enrollment)
    page = signed_in(e2e_cast.client, PHONE)
    page.context.add_init_script(AXE_SCRIPT)

    # Today offers the plan; the days so far count from entering the stage
    page.goto("/today/")
    days = page.get_by_role("region", name="Your days")
    days.get_by_role("link", name="Write your plan").click()
    expect(page.get_by_role("heading", name="No plan yet")).to_be_visible()
    expect(page.locator(".bottom-nav a[aria-current='page']")).to_have_text("Journey")
    page.get_by_role("main").get_by_role("link", name="Write your plan").click()

    # they write the plan: 90 days (the default), begun nine days ago, three circles
    expect(page.get_by_role("radio", name="90 days")).to_be_checked()
    page.get_by_label("First day").fill((today - timedelta(days=9)).isoformat())
    page.get_by_label("Inner circle").fill("Watching porn on any device\nPaid cam sites")
    page.get_by_label("Middle circle").fill("Scrolling in bed after midnight")
    page.get_by_label("Outer circle").fill("A run before work\nCalling my brother")
    _looked_at(page, "plan-edit")
    page.get_by_role("button", name="Save the plan").click()

    expect(page.get_by_text("Your plan is saved.")).to_be_visible()
    expect(page.get_by_role("heading", name="Day 10 of 90")).to_be_visible()
    end = today - timedelta(days=9) + timedelta(days=89)
    expect(page.get_by_text(f"ends {end.day} {end:%b %Y}")).to_be_visible()
    expect(page.get_by_text("Not agreed with your clinician yet.")).to_be_visible()
    _looked_at(page, "plan")

    # they log a lapse for today, with a few words
    page.get_by_role("link", name="Looking back: lapses and what they taught you").click()
    page.get_by_role("link", name="Log a lapse").click()
    expect(page.get_by_label("Which day was it?")).to_have_value(today.isoformat())
    page.get_by_label("What happened").fill("Late, alone with my phone in bed.")
    _looked_at(page, "lapse-new")
    page.get_by_role("button", name="Save").click()

    # the streak begins again; the total and the longest streak stay
    kept = page.get_by_role("region", name="It is kept. Thank you for being honest.")
    expect(kept).to_be_visible()
    assert _counter(page, "It is kept. Thank you for being honest.") == {
        "Current streak": "A new one begins tomorrow",
        "Total days": "9 days",
        "Longest streak": "9 days",
    }
    expect(kept.get_by_text("Your total days and your longest streak stay yours.")).to_be_visible()
    text = page.locator("main").inner_text().lower()
    for word in ("clean", "reset", "failure", "zero"):
        assert word not in text
    _looked_at(page, "lapse-kept")

    # they look back, one question at a time
    kept.get_by_role("link", name="Look back now").click()
    answers = {
        "What made me more vulnerable": "Little sleep and a row at work.",
        "What set it off": "Alone with my phone in bed",
        "What I was thinking": "Just this once.",
        "What I was feeling": "Restless and lonely.",
        "What I did, step by step": "Kept scrolling, closed the door.",
        "What came after": "Slept badly.",
        "What I could do differently": "I leave the phone in the kitchen and call Sam",
        "One sentence to keep": "A row plus a phone in bed is my riskiest mix.",
    }
    for number, (title, words) in enumerate(answers.items(), start=2):
        expect(page.get_by_role("heading", name=title)).to_be_visible()
        expect(page.get_by_text(f"Question {number} of 9")).to_be_visible()
        page.locator("textarea").fill(words)
        if number == 2:
            _looked_at(page, "lapse-step")
        page.get_by_role("button", name="Finish" if number == 9 else "Next").click()

    expect(page.get_by_text("Saved. You can come back to this whenever you like.")).to_be_visible()
    expect(page.get_by_text("“A row plus a phone in bed is my riskiest mix.”")).to_be_visible()

    # one tap puts the learning into the relapse-prevention plan
    page.get_by_role("button", name="Add to my plan").click()
    expect(page.get_by_text("Added to your relapse-prevention plan (version 1).")).to_be_visible()
    expect(page.get_by_role("button", name="Add to my plan")).to_have_count(0)
    _looked_at(page, "lapse")
    page.get_by_role("link", name="See your plan").click()
    learnings = page.get_by_role("region", name="What I have learnt")
    expect(learnings).to_contain_text("A row plus a phone in bed is my riskiest mix.")
    if_then = page.get_by_role("region", name="If this happens, I will …")
    expect(if_then).to_contain_text("Alone with my phone in bed")
    expect(if_then).to_contain_text("I leave the phone in the kitchen and call Sam")
    _looked_at(page, "prevention")

    # and opens the printable card: one page, under a discreet title
    page.get_by_role("link", name="Printable card").click()
    expect(page.get_by_role("heading", name="When it gets hard")).to_be_visible()
    expect(page.get_by_role("button", name="Print the card")).to_be_visible()
    assert page.title() == "My card · Waypost"
    _looked_at(page, "card")
    page.emulate_media(media="print")
    expect(page.locator(".site-header")).to_be_hidden()
    pdf = page.pdf(format="A4")
    assert len(re.findall(rb"/Type\s*/Page[^s]", pdf)) == 1
    page.emulate_media(media="screen")

    # then their clinician opens the record: the plan, the lapse with its chain
    desk = signed_in(e2e_cast.clinician, PHONE)
    desk.context.add_init_script(AXE_SCRIPT)
    desk.goto(f"/clients/{e2e_cast.enrollment.pk}/")
    card = desk.get_by_role("region", name="Plan and lapses")
    expect(card).to_contain_text("Day 10 of 90")
    expect(card).to_contain_text("Paid cam sites")
    expect(card).to_contain_text("Version 1 not agreed yet")
    card.locator("summary").first.click()
    expect(card).to_contain_text("Late, alone with my phone in bed.")
    expect(card).to_contain_text("I leave the phone in the kitchen and call Sam")
    _looked_at(desk, "record")

    # and agrees the plan with the client
    card.get_by_role("link", name="Open and agree").click()
    desk.get_by_role("button", name="Agree version 1 with the client").click()
    expect(desk.get_by_text("Version 1 of the plan is agreed.")).to_be_visible()
    expect(desk.get_by_text("Agreed with Cleo Clinician on")).to_be_visible()
    _looked_at(desk, "client-plan")
    desk.get_by_role("link", name="Back to the record").click()
    checklist = desk.get_by_role("region", name="Stage 2 checklist")
    expect(checklist.locator("li.met", has_text="Recovery plan agreed")).to_be_visible()
    unmet = checklist.locator("li.unmet", has_text="Relapse-prevention plan reviewed")
    expect(unmet).to_be_visible()

    # which the client sees on their plan
    page.goto("/plan/")
    expect(page.get_by_text("Agreed with Cleo Clinician on")).to_be_visible()
