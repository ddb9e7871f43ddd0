"""Story: a client on their phone sees where they are, and help is always one tap away."""

from __future__ import annotations

import re

import pytest
from playwright.sync_api import expect

from tests.e2e.conftest import PHONE

pytestmark = pytest.mark.e2e


def test_client_sees_their_journey_on_a_phone(e2e_cast, signed_in):
    # Given a client in stage 2, signed in on a phone-sized screen
    page = signed_in(e2e_cast.client, PHONE)

    # When they open their journey from the bottom navigation
    expect(page).to_have_url(re.compile(r"/today/$"))
    page.get_by_role("navigation", name="Sections").get_by_role("link", name="Journey").click()

    # Then they see the four stages, with "You are here" on their own stage only
    expect(page).to_have_url(re.compile(r"/journey/$"))
    stages = page.get_by_role("list", name="The four stages of the program").get_by_role("listitem")
    expect(stages).to_have_count(4)
    expect(stages.nth(0)).to_contain_text("Behind you")
    expect(stages.nth(1)).to_contain_text("You are here")
    expect(stages.nth(1)).to_have_attribute("aria-current", "step")
    expect(stages.nth(2)).to_contain_text("Ahead")
    expect(stages.nth(3)).to_contain_text("Ahead")
    expect(page.get_by_text("You are here")).to_have_count(1)
    # and the page fits the phone: nothing wider than the screen
    assert page.evaluate("document.documentElement.scrollWidth") <= PHONE


def test_get_help_now_is_one_tap_from_the_client_pages(e2e_cast, signed_in):
    # Given a signed-in client on a phone, on each of their pages
    page = signed_in(e2e_cast.client, PHONE)
    for path in ("/today/", "/journey/", "/connect/", "/account/"):
        page.goto(path)
        # Then "Get help now" is visible in the header without scrolling or opening a menu
        help_now = page.get_by_role("banner").get_by_role("link", name="Get help now")
        expect(help_now).to_be_visible()
        expect(help_now).to_be_in_viewport()

    # When they tap it once
    help_now.click()

    # Then they are on the crisis lines page with their clinic's lines, and only those
    expect(page).to_have_url(re.compile(r"/help/$"))
    expect(page.get_by_role("heading", level=1)).to_have_text("Get help now")
    expect(page.get_by_role("heading", name="Crisis lines from North Clinic")).to_be_visible()
    expect(page.get_by_text("North crisis line")).to_be_visible()
    expect(page.get_by_role("link", name="Call 1767")).to_have_attribute("href", "tel:1767")
    expect(page.get_by_text("South crisis line")).to_have_count(0)
