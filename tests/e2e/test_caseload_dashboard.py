"""Story: the demo clinician opens the caseload. On a 1280-pixel screen the whole table fits
without scrolling sideways, the clients who need attention come first, and a click on a
header sorts by it (and a second click turns it round), the filters staying in the address.
On a phone each client is a card, the headers become small labels, nothing is wider than
the screen, and the order can be chosen from the form."""

from __future__ import annotations

import os
import re
import tempfile
from pathlib import Path
from urllib.parse import parse_qs, urlsplit

import pytest
from axe_playwright_python.base import AXE_SCRIPT
from playwright.sync_api import expect

from tests.e2e.conftest import DESKTOP, PHONE, sign_in
from tests.e2e.test_accessibility import BLOCKING, describe, run_axe

pytestmark = pytest.mark.e2e

SHOTS = Path(os.environ.get("WAYPOST_SHOTS") or Path(tempfile.gettempdir(), "shots")) / "dashboard"
CLINICIAN = "clinician@demo.waypost.test"
DEMO_PASSWORD = "waypost-demo"  # noqa: S105 - the public, documented demo password


@pytest.fixture
def demo_clinic(transactional_db, live_server, settings, tmp_path):
    """The demo clinic, committed so the live server's thread sees it."""
    from waypost.demo import load_demo

    settings.MEDIA_ROOT = tmp_path
    load_demo()


def _looked_at(page, name: str, width: int) -> None:
    blocking = [describe(page.url, v) for v in run_axe(page) if v["impact"] in BLOCKING]
    assert not blocking, "\n".join(blocking)
    SHOTS.mkdir(parents=True, exist_ok=True)
    page.screenshot(path=str(SHOTS / f"{name}-{width}.png"), full_page=True)


def _names(page) -> list[str]:
    return page.locator("table.caseload tbody th[scope='row'] > a").all_inner_texts()


def test_the_caseload_fits_a_wide_screen_and_sorts_by_its_headers(
    demo_clinic, new_page, live_server
):
    page = new_page(DESKTOP)
    page.context.add_init_script(AXE_SCRIPT)
    sign_in(page, live_server, CLINICIAN, DEMO_PASSWORD)
    page.goto("/caseload/")
    table = page.locator("table.caseload")
    rows = table.locator("tbody tr")
    expect(rows).to_have_count(3)
    # no scrolling sideways: neither the page nor the table's own region
    assert page.evaluate("document.documentElement.scrollWidth") <= DESKTOP
    wrap = page.locator(".caseload-wrap")
    assert wrap.evaluate("el => el.scrollWidth <= el.clientWidth")
    # needs attention first: the two with an open risk alert, then Daniel (stage 1)
    assert _names(page)[-1] == "Daniel Lim"
    for row in rows.all()[:2]:
        expect(row).to_contain_text("needs attention")
        expect(row.locator("td.flag")).not_to_have_count(0)
    # each promised item is on the page
    for header in ("Stage", "Risk alerts", "Streak · check-in", "Latest scores", "Shield"):
        expect(table.locator("thead")).to_contain_text(header)
    expect(table).to_contain_text("days in all")
    _looked_at(page, "caseload", DESKTOP)

    # a click on "Client" sorts by name, A to Z; another turns it round
    table.locator("thead").get_by_role("link", name="Client").click()
    expect(page.locator("th.col-client[aria-sort='ascending']")).to_have_count(1)
    assert _names(page) == sorted(_names(page))
    table = page.locator("table.caseload")
    table.locator("thead").get_by_role("link", name=re.compile("^Client")).click()
    expect(page.locator("th.col-client[aria-sort='descending']")).to_have_count(1)
    assert _names(page) == sorted(_names(page), reverse=True)
    assert parse_qs(urlsplit(page.url).query) == {"sort": ["name"], "dir": ["desc"]}

    # a filter and a sort together stay in the address (a bookmark brings them back)
    page.get_by_label("Stage", exact=True).select_option("2")
    page.get_by_role("button", name="Show").click()
    expect(page.locator("table.caseload tbody tr")).to_have_count(1)
    page.locator("table.caseload thead").get_by_role("link", name="Risk alerts").click()
    query = parse_qs(urlsplit(page.url).query)
    assert query["stage"] == ["2"] and query["sort"] == ["safety.alerts"]
    expect(page.locator("th[aria-sort='descending']")).to_contain_text("Risk alerts")
    page.get_by_role("link", name="Clear").click()
    expect(page.locator("table.caseload tbody tr")).to_have_count(3)


def test_on_a_phone_each_client_is_a_card(demo_clinic, new_page, live_server):
    page = new_page(PHONE)
    page.context.add_init_script(AXE_SCRIPT)
    sign_in(page, live_server, CLINICIAN, DEMO_PASSWORD)
    page.goto("/caseload/")
    rows = page.locator("table.caseload tbody tr")
    expect(rows).to_have_count(3)
    assert page.evaluate("document.documentElement.scrollWidth") <= PHONE
    # the headers are out of sight; each row is a card as wide as the screen allows
    expect(page.locator("table.caseload thead")).to_have_css("position", "absolute")
    for row in rows.all():
        expect(row).to_have_css("display", "grid")
        box = row.bounding_box()
        assert box is not None and box["width"] <= PHONE
    # the items name themselves, and empty ones are left out
    label = page.evaluate(
        "getComputedStyle(document.querySelector('table.caseload td[data-label]:not(.empty)'),"
        " '::before').content"
    )
    assert label not in ("none", "normal", "")
    expect(page.locator("table.caseload td.empty").first).to_be_hidden()
    _looked_at(page, "caseload", PHONE)
    # the order, chosen from the form (no headers to click on a phone)
    page.get_by_label("Order").select_option("name")
    page.get_by_role("button", name="Show").click()
    expect(page.locator("table.caseload tbody tr")).to_have_count(3)
    assert _names(page) == sorted(_names(page))
