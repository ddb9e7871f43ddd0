"""Story: a client looks after their own things from "Me" on a phone and on a laptop.

They choose quiet hours, open their data page, download everything as a ZIP, and
find a readable page, the JSON and their questionnaires as FHIR in it. Screenshots
of each page at 390 px and 1280 px go to ``$WAYPOST_SHOTS`` (default
<temp>/shots/me/) so a person can look at them.
"""

from __future__ import annotations

import os
import re
import tempfile
import zipfile
from pathlib import Path

import pytest
from axe_playwright_python.base import AXE_SCRIPT
from playwright.sync_api import expect

from tests.e2e.conftest import DESKTOP, PHONE
from tests.e2e.data import populate
from tests.e2e.test_accessibility import BLOCKING, describe, run_axe

pytestmark = pytest.mark.e2e

SHOTS = Path(os.environ.get("WAYPOST_SHOTS") or Path(tempfile.gettempdir(), "shots", "me"))


def _shot(page, name: str) -> None:
    SHOTS.mkdir(parents=True, exist_ok=True)
    page.screenshot(path=str(SHOTS / f"{name}.png"), full_page=True)


def _checked(page, width: int) -> None:
    """No serious accessibility finding, and nothing wider than the screen."""
    blocking = [describe(page.url, v) for v in run_axe(page) if v["impact"] in BLOCKING]
    assert not blocking, "\n".join(blocking)
    assert page.evaluate("document.documentElement.scrollWidth") <= width


@pytest.mark.parametrize("width", [PHONE, DESKTOP])
def test_a_client_sets_quiet_hours_and_downloads_their_data(e2e_cast, signed_in, tmp_path, width):
    # given a client with questionnaires, a safety plan and more, signed in
    populate(e2e_cast)
    page = signed_in(e2e_cast.client, width)
    page.context.add_init_script(AXE_SCRIPT)
    # when they open Me
    page.goto("/account/")
    expect(page.get_by_role("heading", level=1)).to_have_text("Me")
    expect(page).to_have_title(re.compile(r"^Me · Waypost$"))
    for heading in ("About you", "Notifications", "Your data", "Security", "Getting started"):
        expect(page.get_by_role("heading", name=heading, exact=True)).to_be_visible()
    # then API tokens are nowhere to be seen, and sign-out-everywhere is explained
    expect(page.get_by_role("link", name="API tokens")).to_have_count(0)
    expect(page.get_by_text("You stay signed in here.")).to_be_visible()
    _checked(page, width)
    _shot(page, f"me-{width}")

    # when they choose quiet hours overnight and save
    page.get_by_label("Quiet from").fill("22:00")
    page.get_by_label("Quiet until").fill("07:00")
    page.get_by_role("button", name="Save notifications").click()
    # then they are told, and the times stay
    expect(page.get_by_text("Your notification choices are saved.")).to_be_visible()
    expect(page.get_by_label("Quiet from")).to_have_value("22:00")
    e2e_cast.client.refresh_from_db()
    assert e2e_cast.client.quiet_hours_start.strftime("%H:%M") == "22:00"

    # when they open their data page, one tap from Me
    page.get_by_role("link", name="See and download your data").click()
    expect(page.get_by_role("heading", level=1)).to_have_text("Your data")
    # then each completed questionnaire is listed with its own FHIR downloads
    answers = page.get_by_role("link", name=re.compile(r"^Answers"))
    expect(answers).to_have_count(2)  # the two PHQ-9s of tests/e2e/data.py
    expect(page.get_by_role("link", name=re.compile(r"^Score"))).to_have_count(2)
    _checked(page, width)
    _shot(page, f"data-{width}")

    # when they download everything
    with page.expect_download() as waiting:
        page.get_by_role("button", name="Download my data (ZIP)").click()
    download = waiting.value
    assert re.fullmatch(r"waypost-data-\d{4}-\d\d-\d\d\.zip", download.suggested_filename)
    saved = tmp_path / download.suggested_filename
    download.save_as(saved)
    # then the ZIP holds the readable page, the JSON and the FHIR files
    with zipfile.ZipFile(saved) as archive:
        names = archive.namelist()
        assert {"waypost-data.html", "waypost-data.json"} <= set(names)
        assert len([n for n in names if n.startswith("health-records/")]) == 4
        html = tmp_path / "waypost-data.html"
        html.write_bytes(archive.read("waypost-data.html"))

    # and the readable page opens on its own, without anything from the network
    requests: list[str] = []
    page.context.on("request", lambda request: requests.append(request.url))
    page.goto(html.as_uri())
    expect(page.get_by_role("heading", level=1)).to_have_text("Your data from Waypost")
    expect(page.get_by_role("heading", name="Safety plan", exact=True)).to_be_visible()
    assert [u for u in requests if not u.startswith("file:")] == []
    _checked(page, width)
    _shot(page, f"download-html-{width}")


def test_a_clinician_sees_their_account_with_api_tokens_and_quiet_hours(e2e_cast, signed_in):
    page = signed_in(e2e_cast.clinician, PHONE)
    page.context.add_init_script(AXE_SCRIPT)
    page.goto("/account/")
    expect(page.get_by_role("heading", level=1)).to_have_text("Your account")
    expect(page.get_by_role("link", name="API tokens")).to_be_visible()
    expect(
        page.get_by_text("Risk-alert e-mails always come at once, even in quiet hours")
    ).to_be_visible()
    expect(page.get_by_role("heading", name="Your data", exact=True)).to_have_count(0)
    _checked(page, PHONE)
    _shot(page, f"account-clinician-{PHONE}")
