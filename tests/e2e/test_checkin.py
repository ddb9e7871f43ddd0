"""Story: a Stage 2 client checks in from Today on a phone, then logs a lapse for yesterday
and sees the streak start again while the total days and the longest streak remain.

Screenshots of the check-in and of Today go to ``$WAYPOST_SHOTS/checkin`` (default
<temp>/shots/checkin/) so a person can look at them.
"""

from __future__ import annotations

import os
import tempfile
from datetime import timedelta
from pathlib import Path

import pytest
from axe_playwright_python.base import AXE_SCRIPT
from playwright.sync_api import expect

from tests.e2e.conftest import DESKTOP, PHONE
from tests.e2e.test_accessibility import BLOCKING, describe, run_axe

pytestmark = pytest.mark.e2e

SHOTS = Path(os.environ.get("WAYPOST_SHOTS") or Path(tempfile.gettempdir(), "shots")) / "checkin"


def _ten_days_in(cast) -> None:
    """The client entered Stage 2 nine days ago, so today is their tenth counted day."""
    from waypost.program.services import mark_welcomed

    mark_welcomed(enrollment=cast.enrollment, by=cast.client)
    cast.enrollment.stage_entered_at -= timedelta(days=9)
    cast.enrollment.save(update_fields=["stage_entered_at"])


def _looked_at(page, name: str, width: int) -> None:
    blocking = [describe(page.url, v) for v in run_axe(page) if v["impact"] in BLOCKING]
    assert not blocking, "\n".join(blocking)
    assert page.evaluate("document.documentElement.scrollWidth") <= width
    SHOTS.mkdir(parents=True, exist_ok=True)
    page.screenshot(path=str(SHOTS / f"{name}-{width}.png"), full_page=True)


def _choose(page, question: str, answer: str) -> None:
    page.locator("fieldset", has_text=question).locator(
        "label.choice", has_text=answer
    ).first.click()


def _counter(page) -> dict[str, str]:
    card = page.get_by_role("region", name="Your days")
    return {
        label: card.locator(".count", has_text=label).locator("dd").inner_text()
        for label in ("Current streak", "Total days", "Longest streak")
    }


@pytest.mark.parametrize("width", [PHONE, DESKTOP])
def test_a_client_checks_in_then_logs_a_lapse_and_keeps_their_totals(e2e_cast, signed_in, width):
    # given a Stage 2 client on their tenth day
    _ten_days_in(e2e_cast)
    page = signed_in(e2e_cast.client, width)
    page.context.add_init_script(AXE_SCRIPT)

    # when they open Today, today's check-in is the next step
    page.goto("/today/")
    step = page.get_by_role("region", name="Today's check-in")
    expect(step).to_be_in_viewport()
    step.get_by_role("link", name="Check in").click()

    # and they answer the five questions and submit
    expect(page.get_by_role("heading", name="Today's check-in")).to_be_visible()
    _looked_at(page, "checkin", width)
    _choose(page, "inner circle", "Yes")
    _choose(page, "mood", "Good")
    _choose(page, "strongest urge", "2")
    page.get_by_label("Hours of sleep").fill("7.5")
    page.get_by_label("Minutes of mindfulness").fill("10")
    page.get_by_role("button", name="Check in").click()

    # then they are back on Today with a warm line and their days
    expect(page.get_by_text("Thank you for checking in.")).to_be_visible()
    expect(page.get_by_text("Today's check-in: done ✓")).to_be_visible()
    assert _counter(page) == {
        "Current streak": "10 days",
        "Total days": "10 days",
        "Longest streak": "10 days",
    }
    _looked_at(page, "today-after-checkin", width)

    # when they log yesterday honestly, as a lapse
    page.goto("/checkin/")
    page.get_by_role("region", name="Other days you can still change").get_by_role(
        "link"
    ).first.click()
    _choose(page, "inner circle", "No")
    _choose(page, "mood", "Low")
    _choose(page, "strongest urge", "8")
    page.get_by_role("button", name="Check in").click()

    # then the streak starts again, and the total and the longest streak remain theirs
    expect(page.get_by_text("Thank you for being honest.")).to_be_visible()
    assert _counter(page) == {
        "Current streak": "1 day",
        "Total days": "9 days",
        "Longest streak": "8 days",
    }
    text = page.locator("main").inner_text().lower()
    for word in ("clean", "relapse", "reset", "failure"):
        assert word not in text
    _looked_at(page, "today-after-lapse", width)
