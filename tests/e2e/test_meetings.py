"""Story: on a phone, a client finds a meeting, keeps it as a favourite and logs going to it.

Screenshots at 390 px go to ``$WAYPOST_SHOTS`` (default <temp>/shots/meetings-e2e/).
"""

from __future__ import annotations

import os
import re
import tempfile
from datetime import time
from pathlib import Path

import pytest
from axe_playwright_python.base import AXE_SCRIPT
from playwright.sync_api import expect

from tests.e2e.conftest import PHONE
from tests.e2e.test_accessibility import BLOCKING, describe, run_axe
from tests.meetings.helpers import hand_meeting

pytestmark = pytest.mark.e2e

SHOTS = Path(
    os.environ.get("WAYPOST_SHOTS") or Path(tempfile.gettempdir(), "shots", "meetings-e2e")
)


def _checked(page) -> None:
    blocking = [describe(page.url, v) for v in run_axe(page) if v["impact"] in BLOCKING]
    assert not blocking, "\n".join(blocking)
    assert page.evaluate("document.documentElement.scrollWidth") <= PHONE


def test_a_client_keeps_a_favourite_and_logs_going(e2e_cast, signed_in):
    # given the clinic lists two meetings
    hand_meeting(e2e_cast.clinic, name="Harbour Lights", days=[0, 1, 2, 3, 4, 5, 6], time=time(20))
    hand_meeting(
        e2e_cast.clinic, name="Quiet Room", days=[3], time=time(19), online=False, in_person=True
    )
    page = signed_in(e2e_cast.client, PHONE)
    page.context.add_init_script(AXE_SCRIPT)
    # when the client opens the directory and keeps one as a favourite
    page.goto("/meetings/")
    expect(page).to_have_title(re.compile(r"^Meetings · Waypost$"))
    card = page.locator(".meeting-card", has_text="Harbour Lights")
    expect(card.get_by_text("Every day at 8 p.m.")).to_be_visible()
    _checked(page)
    card.get_by_role("button", name=re.compile("Add to favourites")).click()
    # then they are back on the list, and the star says so
    expect(page).to_have_url(re.compile(r"/meetings/#meeting-\d+$"))  # back at the card
    starred = page.locator(".meeting-card", has_text="Harbour Lights").locator("button")
    expect(starred).to_have_attribute("aria-pressed", "true")
    SHOTS.mkdir(parents=True, exist_ok=True)
    page.screenshot(path=str(SHOTS / "directory-390.png"), full_page=True)
    # when they open it and say they went today
    page.get_by_role("link", name="Harbour Lights").click()
    expect(page.get_by_role("heading", level=1)).to_have_text("Harbour Lights")
    _checked(page)
    page.get_by_role("button", name="I went").click()
    # then the log has it, with a warm word
    expect(page).to_have_url(re.compile(r"/meetings/log/$"))
    expect(page.get_by_text("Noted: Harbour Lights.")).to_be_visible()
    expect(page.get_by_text("You have logged 1 meeting so far.")).to_be_visible()
    _checked(page)
    page.screenshot(path=str(SHOTS / "log-390.png"), full_page=True)
