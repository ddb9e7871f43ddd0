"""Story: a brand-new client accepts an invitation on a phone, sees the welcome, skips it
and lands on Today; Get help now stays one tap away the whole time."""

from __future__ import annotations

import re

import pytest
from playwright.sync_api import expect

from tests.e2e.conftest import PHONE

pytestmark = pytest.mark.e2e


def test_a_new_client_accepts_sees_the_welcome_skips_it_and_lands_on_today(e2e_cast, new_page):
    from waypost.accounts.services import create_invitation
    from waypost.program.models import Enrollment

    # Given an invitation from their clinician
    _invitation, token = create_invitation(
        kind="client",
        clinic=e2e_cast.clinic,
        email="nia@new.test",
        name="Nia Newcomer",
        by=e2e_cast.clinician,
        send=False,
    )
    page = new_page(PHONE)

    # When they open the link on their phone and choose a password
    page.goto(f"/invite/{token}/")
    page.get_by_label("Password").fill("a-long-good-password")
    page.get_by_role("button", name="Accept invitation").click()

    # Then they see the welcome: who sees what, where help is, three things to do first
    expect(page).to_have_url(re.compile(r"/welcome/$"))
    expect(page.get_by_role("heading", level=1)).to_have_text("Welcome, Nia Newcomer")
    expect(page.get_by_role("heading", name="Who sees what")).to_be_visible()
    expect(page.get_by_role("heading", name="Three things to do first")).to_be_attached()
    # and Get help now is in the header, visible without scrolling
    help_now = page.get_by_role("banner").get_by_role("link", name="Get help now")
    expect(help_now).to_be_in_viewport()
    # and the page fits the phone
    assert page.evaluate("document.documentElement.scrollWidth") <= PHONE

    # When they skip it
    page.get_by_role("button", name="Skip").click()

    # Then they are on Today, told where to find the welcome again, and it is not offered
    expect(page).to_have_url(re.compile(r"/today/$"))
    expect(page.get_by_text("You can read the welcome again from Me")).to_be_visible()
    expect(page.get_by_text("You have just begun. Welcome.")).to_be_visible()
    expect(page.get_by_text("New here? Start with the welcome")).to_have_count(0)
    assert Enrollment.objects.get(client__email="nia@new.test").welcomed_at is not None

    # And "Me" still has it
    page.get_by_role("navigation", name="Sections").get_by_role("link", name="Me").click()
    page.get_by_role("link", name=re.compile("Welcome to Waypost")).click()
    expect(page).to_have_url(re.compile(r"/welcome/$"))
    expect(page.get_by_role("button", name="Skip")).to_have_count(0)
