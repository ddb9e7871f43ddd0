"""Story: an ally sees what the client chose to share with them, and nothing else."""

from __future__ import annotations

import re

import pytest
from axe_playwright_python.base import AXE_SCRIPT
from playwright.sync_api import expect

from tests.e2e.conftest import DESKTOP, PHONE
from tests.e2e.test_accessibility import run_axe

pytestmark = pytest.mark.e2e


def open_shared_page(page, cast):
    """From the ally's home, open what the client shares (the way an ally would)."""
    page.goto("/")
    expect(page).to_have_url(re.compile(r"/ally/$"))
    person = page.get_by_role("article", name=cast.client.name)
    person.get_by_role("link", name=re.compile(r"^Open what .+ shares$")).click()
    expect(page).to_have_url(re.compile(r"/ally/\d+/$"))
    expect(page.get_by_role("heading", level=1)).to_have_text(cast.client.name)


def care_team(page):
    return page.get_by_role("region", name="Care team")


def journey(page):
    return page.get_by_role("region", name="Journey")


def test_ally_with_journey_scope_sees_the_journey_only(e2e_cast, signed_in):
    # Given an ally to whom the client shows only their journey
    page = signed_in(e2e_cast.allies["journey"], PHONE)

    # Then the ally's home says, for this client, what is shared ("Sam shares with you: …")
    expect(page).to_have_url(re.compile(r"/ally/$"))
    shares = page.get_by_role("article", name=e2e_cast.client.name).get_by_text(
        re.compile("shares with you")
    )
    expect(shares).to_be_visible()
    expect(shares).to_contain_text("Journey")
    expect(shares).not_to_contain_text("Care team")

    # When they open what the client shares
    open_shared_page(page, e2e_cast)

    # Then they see the journey (four stages, the client's current one marked)
    expect(journey(page)).to_be_visible()
    stages = journey(page).get_by_role("list", name="The four stages of the program")
    expect(stages.get_by_role("listitem")).to_have_count(4)
    expect(stages.locator("[aria-current=step]")).to_contain_text("Abstinence")
    # but not the care team: no section, no clinician's name, no clinic phone
    expect(care_team(page)).to_have_count(0)
    expect(page.get_by_text(e2e_cast.clinician.name)).to_have_count(0)


def test_ally_with_no_scopes_sees_neither(e2e_cast, signed_in):
    # Given an ally the client has linked but shares nothing with
    page = signed_in(e2e_cast.ally_none, PHONE)

    # When they open the client's page
    open_shared_page(page, e2e_cast)

    # Then neither the journey nor the care team is there, and the page says so kindly
    expect(page.get_by_text("has not chosen to share anything here yet")).to_be_visible()
    expect(journey(page)).to_have_count(0)
    expect(care_team(page)).to_have_count(0)
    expect(page.get_by_role("list", name="The four stages of the program")).to_have_count(0)
    expect(page.get_by_text(e2e_cast.clinician.name)).to_have_count(0)
    expect(page.get_by_text("Abstinence")).to_have_count(0)


def test_ally_with_every_scope_sees_both_sections(e2e_cast, signed_in):
    # Given an ally the client shares everything with (the control for the two tests above)
    page = signed_in(e2e_cast.ally_all, PHONE)

    # When they open the client's page
    open_shared_page(page, e2e_cast)

    # Then both sections are there, the clinician's name in the care team
    expect(journey(page)).to_be_visible()
    expect(care_team(page)).to_be_visible()
    expect(care_team(page)).to_contain_text(e2e_cast.clinician.name)


def test_ally_cannot_open_the_client_record_or_another_allys_page(e2e_cast, signed_in):
    # Given an ally with every scope
    page = signed_in(e2e_cast.ally_all, PHONE)

    # When they type the address of the client's clinical record
    response = page.goto(f"/clients/{e2e_cast.enrollment.pk}/")

    # Then they get a refusal page, with none of the record on it
    assert response.status in (403, 404), response.status
    expect(page.get_by_role("heading", level=1)).to_be_visible()
    expect(page.get_by_text("Stage history")).to_have_count(0)
    expect(page.get_by_text(e2e_cast.client.email)).to_have_count(0)

    # When they try the page of another ally's link to the same client
    other_link = e2e_cast.links["journey"]
    response = page.goto(f"/ally/{other_link.pk}/")
    # Then that is refused too
    assert response.status in (403, 404), response.status


@pytest.mark.parametrize("width", [PHONE, DESKTOP])
def test_ally_without_the_care_team_gets_help_without_the_clinics_name(e2e_cast, signed_in, width):
    # Given an ally to whom the client shows their journey but not their care team
    page = signed_in(e2e_cast.allies["journey"], width)
    page.context.add_init_script(AXE_SCRIPT)

    # When they tap "Get help now" in the header
    page.get_by_role("banner").get_by_role("link", name="Get help now").click()
    expect(page).to_have_url(re.compile(r"/help/$"))

    # Then the crisis lines are there, one tap to call, under a heading that names no clinic
    lines = page.get_by_role("region", name="Crisis lines you can call")
    expect(lines).to_be_visible()
    expect(lines.get_by_role("link", name="Call 1767")).to_be_visible()
    expect(page.get_by_text(e2e_cast.clinic.name)).to_have_count(0)
    expect(page.get_by_text(e2e_cast.clinician.name)).to_have_count(0)
    # and the page is accessible and fits the screen
    blocking = [v["id"] for v in run_axe(page) if v["impact"] in ("serious", "critical")]
    assert not blocking, blocking
    assert page.evaluate("document.documentElement.scrollWidth") <= width
