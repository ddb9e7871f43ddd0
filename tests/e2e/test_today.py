"""Story: a client opens Today on a phone and on a laptop, finds one next step first, the rest
in a short list, their next session, and every section one tap away in the bar.

Screenshots of Today (full page) go to ``$WAYPOST_SHOTS/today`` (default
<temp>/shots/today/) so a person can look at them.
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

from tests.e2e.conftest import DESKTOP, PHONE
from tests.e2e.test_accessibility import BLOCKING, describe, run_axe
from tests.program import scenarios

pytestmark = pytest.mark.e2e

SHOTS = Path(os.environ.get("WAYPOST_SHOTS") or Path(tempfile.gettempdir(), "shots")) / "today"
# How tall Today may grow at 390 px (it was about 3,100 px as nine equal cards). Since
# Stage 2's day card leads Today (the counter, today's check-in and "Log an urge", about
# 420 px), the cast's Stage 2 client has it above everything else.
PHONE_HEIGHT = {"busy": 1900, "quiet": 1450}


def _welcomed(cast) -> None:
    from waypost.program.services import mark_welcomed

    mark_welcomed(enrollment=cast.enrollment, by=cast.client)


def _looked_at(page, name: str, width: int) -> int:
    """Checks that hold on every Today; saves a full-page screenshot; returns the height."""
    blocking = [describe(page.url, v) for v in run_axe(page) if v["impact"] in BLOCKING]
    assert not blocking, "\n".join(blocking)
    assert page.evaluate("document.documentElement.scrollWidth") <= width
    # "Get help now" once, in the header, in view without scrolling
    help_now = page.get_by_role("link", name="Get help now")
    expect(help_now).to_have_count(1)
    expect(page.get_by_role("banner").get_by_role("link", name="Get help now")).to_be_in_viewport()
    SHOTS.mkdir(parents=True, exist_ok=True)
    page.screenshot(path=str(SHOTS / f"{name}-{width}.png"), full_page=True)
    height = int(page.evaluate("document.documentElement.scrollHeight"))
    print(f"\nToday, {name}, {width} px wide: {height} px tall")
    return height


@pytest.mark.parametrize("width", [PHONE, DESKTOP])
def test_a_busy_client_sees_one_next_step_first_then_a_short_list(e2e_cast, signed_in, width):
    # given a client with questionnaires, reading, a request, a session on Thursday
    scenarios.busy(e2e_cast)
    _welcomed(e2e_cast)
    page = signed_in(e2e_cast.client, width)
    page.context.add_init_script(AXE_SCRIPT)

    # when they open Today
    page.goto("/today/")

    # then the questionnaire closing first is the next step, in view at once
    first = page.get_by_role("region", name="Worry questionnaire")
    expect(first).to_be_in_viewport()
    expect(first.get_by_text("Your next step")).to_be_visible()
    # then three more things, and the rest behind "6 more things"
    waiting = page.get_by_role("region", name="Also waiting")
    expect(waiting.locator(".step-row:visible")).to_have_count(3)
    # and the next session, in the client's time zone
    coming = page.get_by_role("region", name="Coming up")
    expect(coming).to_contain_text("Your session with Cleo Clinician")
    # and the clinician and journey folded away
    expect(page.get_by_text("Cleo Clinician, North Clinic")).to_be_hidden()
    height = _looked_at(page, "busy", width)
    if width == PHONE:
        assert height <= PHONE_HEIGHT["busy"]

    # when they open the rest of the list and the folded cards
    waiting.get_by_text("6 more things").click()
    expect(waiting.locator(".step-row:visible")).to_have_count(9)
    page.get_by_text("Your clinician and your journey").click()
    expect(page.get_by_text("Cleo Clinician, North Clinic")).to_be_visible()
    page.screenshot(path=str(SHOTS / f"busy-opened-{width}.png"), full_page=True)

    # when they start the next step
    first.get_by_role("link", name=re.compile("^Start")).click()
    # then the questionnaire opens, and the bar shows it is part of their Journey
    expect(page).to_have_url(re.compile(r"/measures/\d+/"))
    if width == PHONE:
        bar = page.get_by_role("navigation", name="Sections")
        expect(bar.get_by_role("link", name="Journey")).to_have_attribute("aria-current", "page")


@pytest.mark.parametrize("width", [PHONE, DESKTOP])
def test_a_client_with_nothing_waiting_is_told_so_kindly(e2e_cast, signed_in, width):
    scenarios.quiet(e2e_cast)
    _welcomed(e2e_cast)
    page = signed_in(e2e_cast.client, width)
    page.context.add_init_script(AXE_SCRIPT)
    page.goto("/today/")
    calm = page.get_by_role("region", name="Nothing is waiting for you today")
    expect(calm).to_be_in_viewport()
    expect(calm.get_by_role("link", name="See your journey")).to_be_visible()
    expect(page.get_by_role("region", name="Also waiting")).to_have_count(0)
    height = _looked_at(page, "quiet", width)
    if width == PHONE:
        assert height <= PHONE_HEIGHT["quiet"]


def test_every_section_is_in_the_bar_and_lights_where_the_client_is(e2e_cast, signed_in):
    from waypost.assessments.services import plan_session

    plan_session(
        enrollment=e2e_cast.enrollment,
        starts_at=timezone.now() + timedelta(days=2),
        by=e2e_cast.clinician,
    )
    page = signed_in(e2e_cast.client, PHONE)
    bar = page.get_by_role("navigation", name="Sections")

    def lit() -> str:
        return bar.locator('[aria-current="page"]').inner_text()

    page.goto("/today/")
    assert lit() == "Today"
    # the motivation tools: two taps, Journey then the overview; they light Journey
    bar.get_by_role("link", name="Journey").click()
    page.get_by_role("link", name=re.compile("^Thinking it through")).click()
    expect(page).to_have_url(re.compile(r"/motivation/$"))
    assert lit() == "Journey"
    # the questionnaires, the history and the safety plan too
    for path in ("/measures/", "/intake/", "/story/", "/safety-plan/"):
        page.goto(path)
        assert lit() == "Journey", path
    # Learn, Connect
    bar.get_by_role("link", name="Learn").click()
    assert lit() == "Learn"
    bar.get_by_role("link", name="Connect").click()
    assert lit() == "Connect"
    # Me, and the sign-in settings reached from it
    bar.get_by_role("link", name="Me").click()
    assert lit() == "Me"
    page.get_by_role("link", name="Change password").click()
    expect(page).to_have_url(re.compile(r"/password/change/$"))
    assert lit() == "Me"
    page.goto("/account/")
    page.get_by_role("link", name="Two-factor sign-in").click()
    assert lit() == "Me"
