"""Story: a clinician sets up two-factor sign-in on a phone and signs in with it.

Waypost's own pages all the way (accounts/templates/mfa/), axe-clean at phone width.
"""

from __future__ import annotations

import pytest
from allauth.mfa.totp.internal.auth import (
    format_hotp_value,
    hotp_value,
    yield_hotp_counters_from_time,
)
from axe_playwright_python.base import AXE_SCRIPT
from playwright.sync_api import expect

from tests.cast import PASSWORD
from tests.e2e.conftest import PHONE, sign_in
from tests.e2e.test_accessibility import BLOCKING, describe, run_axe

pytestmark = pytest.mark.e2e

CODE = "The 6-digit code from your authenticator app"


def _code(secret: str) -> str:
    return format_hotp_value(hotp_value(secret, next(yield_hotp_counters_from_time())))


def _axe_clean(page) -> None:
    blocking = [describe(page.url, v) for v in run_axe(page) if v["impact"] in BLOCKING]
    assert not blocking, "\n".join(blocking)
    assert page.evaluate("document.documentElement.scrollWidth") <= PHONE


def test_a_clinician_sets_up_two_factor_sign_in_on_a_phone(e2e_cast, new_page, live_server):
    # given a clinician signed in on a phone
    page = new_page(PHONE)
    page.context.add_init_script(AXE_SCRIPT)
    sign_in(page, live_server, e2e_cast.clinician.email, PASSWORD)
    # when they open two-factor sign-in from their account and choose to set it up
    page.goto(f"{live_server.url}/account/")
    page.get_by_role("link", name="Two-factor sign-in").click()
    expect(page.get_by_role("heading", level=1)).to_have_text("Two-factor sign-in")
    _axe_clean(page)
    page.get_by_role("link", name="Set it up").click()
    # then they confirm it's them first
    expect(page.get_by_role("heading", level=1)).to_have_text("First, confirm it's you")
    _axe_clean(page)
    page.get_by_label("Your password").fill(PASSWORD)
    page.get_by_role("button", name="Confirm").click()
    # and see the steps, the QR code and the key to type instead
    expect(page.get_by_role("heading", level=1)).to_have_text("Set up two-factor sign-in")
    _axe_clean(page)
    page.get_by_text("Cannot scan it? Type this key instead").click()
    secret = (page.locator("code.secret").text_content() or "").strip()
    page.get_by_label(CODE).fill(_code(secret))
    page.get_by_role("button", name="Turn on two-factor sign-in").click()
    # then their recovery codes are shown, with a way to download them
    expect(page.get_by_role("heading", level=1)).to_have_text("Your recovery codes")
    expect(page.locator(".codes li")).to_have_count(10)
    _axe_clean(page)
    # and next time signing in asks for a code, on Waypost's page
    page.get_by_role("button", name="Sign out").first.click()
    page.goto(f"{live_server.url}/login/")
    page.get_by_label("Email").fill(e2e_cast.clinician.email)
    page.get_by_label("Password").fill(PASSWORD)
    page.get_by_role("button", name="Sign in").click()
    expect(page.get_by_role("heading", level=1)).to_have_text("One more step")
    _axe_clean(page)
