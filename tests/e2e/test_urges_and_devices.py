"""Story: on a phone, a Stage 2 client logs an urge from Today in four interactions, sees
the patterns with their numbers, adds a phone to the device plan and ticks two steps;
their clinician sees the urge numbers and the device plan's completion on the record.

Screenshots go to ``$WAYPOST_SHOTS/urges`` (default <temp>/shots/urges/).
"""

from __future__ import annotations

import os
import tempfile
from pathlib import Path

import pytest
from axe_playwright_python.base import AXE_SCRIPT
from playwright.sync_api import expect

from tests.e2e.conftest import PHONE
from tests.e2e.test_accessibility import BLOCKING, describe, run_axe

pytestmark = pytest.mark.e2e

SHOTS = Path(os.environ.get("WAYPOST_SHOTS") or Path(tempfile.gettempdir(), "shots")) / "urges"


def _looked_at(page, name: str) -> None:
    blocking = [describe(page.url, v) for v in run_axe(page) if v["impact"] in BLOCKING]
    assert not blocking, "\n".join(blocking)
    assert page.evaluate("document.documentElement.scrollWidth") <= PHONE
    SHOTS.mkdir(parents=True, exist_ok=True)
    page.screenshot(path=str(SHOTS / f"{name}-{PHONE}.png"), full_page=True)


class Taps:
    """Counts what the client does: each click or tap is one interaction."""

    def __init__(self) -> None:
        self.count = 0

    def __call__(self, locator) -> None:
        self.count += 1
        locator.click()


def test_a_client_logs_an_urge_sees_patterns_and_hardens_a_phone(e2e_cast, signed_in):
    from waypost.program.services import mark_welcomed

    mark_welcomed(enrollment=e2e_cast.enrollment, by=e2e_cast.client)
    page = signed_in(e2e_cast.client, PHONE)
    page.context.add_init_script(AXE_SCRIPT)
    page.goto("/today/")

    # when they log an urge from Today: open the form, how strong, what set it off, save
    tap = Taps()
    tap(page.get_by_role("region", name="Your days").get_by_role("link", name="Log an urge"))
    expect(page.get_by_role("heading", name="Log an urge")).to_be_visible()
    _looked_at(page, "urge-form")
    strength = page.get_by_role("group", name="How strong is it?")
    tap(strength.locator("label.choice", has_text="6").first)
    tap(page.get_by_role("group", name="What set it off?").locator("label.chip", has_text="Stress"))
    tap(page.get_by_role("button", name="Save", exact=True))

    # then it took at most five interactions, and Today thanks them and counts it
    assert tap.count <= 5, f"logging an urge took {tap.count} interactions"
    expect(
        page.get_by_text("You rode it out. That counts: 1 urge ridden out so far.")
    ).to_be_visible()
    counter = page.get_by_role("region", name="Your days")
    expect(counter.locator(".count", has_text="Urges ridden out").locator("dd")).to_have_text("1")
    _looked_at(page, "today-after-urge")

    # when they look at their patterns, each chart has its numbers
    page.get_by_role("region", name="Your days").get_by_role("link", name="Your patterns").click()
    expect(page.get_by_role("heading", name="Hard moments", exact=True)).to_be_visible()
    summary = page.locator(".pattern-summary")
    expect(summary.locator("div", has_text="Urges logged").locator("dd")).to_have_text("1")
    triggers = page.get_by_role("region", name="What set them off")
    expect(triggers.get_by_role("row", name="Stress")).to_contain_text("1")
    weekdays = page.get_by_role("table", name="Urges by day of the week")
    expect(weekdays.get_by_role("row")).to_have_count(8)  # a header and seven days
    page.get_by_text("The numbers by hour").click()
    expect(
        page.get_by_role(
            "table", name="Urges by hour of day; hours without any are left out"
        ).get_by_role("row")
    ).to_have_count(2)
    _looked_at(page, "patterns")

    # when they start their device plan from Today and add a phone
    page.goto("/today/")
    step = page.locator(
        "[data-step='recovery.device_plan'], .step-list li", has_text="Your device plan"
    ).first
    step.get_by_role("link").first.click()
    expect(page.get_by_role("heading", name="Your device plan")).to_be_visible()
    page.get_by_label("Name").fill("My phone")
    page.get_by_role("group", name="What kind of device?").locator(
        "label.choice", has_text="Phone"
    ).click()
    page.get_by_role("button", name="Add the device").click()

    # and tick two steps
    device = page.get_by_role("region", name="My phone")
    expect(device).to_contain_text("0 of 7 steps settled")
    for label in ("Filter installed", "Apps and sites deleted"):
        device.locator("li.device-step", has_text=label).get_by_role("button", name="Done").click()
        expect(page.get_by_text(f"Done: {label} on My phone.")).to_be_visible()
    device = page.get_by_role("region", name="My phone")
    expect(device).to_contain_text("2 of 7 steps settled")
    expect(device.locator("li.device-step", has_text="Filter installed")).to_contain_text("Done on")
    _looked_at(page, "devices")

    # then their clinician sees the urge numbers and the device plan on the record
    other = signed_in(e2e_cast.clinician, PHONE)
    other.context.add_init_script(AXE_SCRIPT)
    other.goto(f"/clients/{e2e_cast.enrollment.pk}/")
    urges = other.get_by_role("region", name="Urges, last 30 days")
    expect(urges).to_contain_text("Logged")
    expect(urges).to_contain_text("Stress (1)")
    expect(urges).to_contain_text("1 (100%)")
    plan = other.get_by_role("region", name="Device plan")
    expect(plan).to_contain_text("My phone")
    expect(plan).to_contain_text("2 of 7 steps settled (2 done)")
    checklist = other.get_by_role("region", name="Stage 2 checklist")
    expect(checklist).to_contain_text("Every device hardened")
    _looked_at(other, "record")
