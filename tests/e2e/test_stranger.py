"""Story: a stranger sees only the public directory, help and the sign-in page."""

from __future__ import annotations

import re
from urllib.parse import parse_qs, urlsplit

import pytest
from playwright.sync_api import expect

from tests.e2e.conftest import PHONE

pytestmark = pytest.mark.e2e

PRIVATE_PATHS = [
    "/today/",
    "/journey/",
    "/caseload/",
    "/clients/{enrollment}/",
    "/clinic/",
    "/connect/",
    "/ally/",
    "/account/",
]


def client_traces(cast) -> list[str]:
    """Things about clients that must never be on a public page."""
    return [
        cast.client.name,
        cast.client.email,
        cast.foreign_client.name,
        cast.foreign_client.email,
    ]


def assert_nothing_about_clients(page, cast):
    text = page.locator("body").inner_text()
    html = page.content()
    for trace in client_traces(cast):
        assert trace not in text, f"{trace!r} is shown on the public page {page.url}"
        assert trace not in html, f"{trace!r} is in the HTML of the public page {page.url}"


def assert_styles_loaded(page):
    """Every stylesheet linked from the page arrived and has rules in it."""
    sheets = page.evaluate(
        """() => [...document.querySelectorAll('link[rel=stylesheet]')].map(
            l => [l.href, l.sheet ? l.sheet.cssRules.length : 0])"""
    )
    assert sheets, "the page links no stylesheet"
    empty = [href for href, rules in sheets if rules == 0]
    assert not empty, f"stylesheets that did not load: {empty}"


def test_stranger_can_browse_the_public_pages(e2e_cast, new_page):
    # Given someone who is not signed in, on their phone
    page = new_page(PHONE)
    profile = e2e_cast.clinician_profile

    # When they open the specialists directory
    page.goto("/specialists/")
    # Then they see the clinics on this installation, styled (the live server serves CSS)
    expect(page.get_by_role("heading", level=1)).to_be_visible()
    assert_styles_loaded(page)
    expect(page.get_by_role("link", name="North Clinic")).to_be_visible()
    assert_nothing_about_clients(page, e2e_cast)

    # When they open one clinic's page
    page.get_by_role("link", name="North Clinic").click()
    expect(page).to_have_url(re.compile(r"/c/north/$"))
    expect(page.get_by_role("heading", name="Specialists at North Clinic")).to_be_visible()
    assert_nothing_about_clients(page, e2e_cast)

    # When they open a specialist
    page.get_by_role("link", name=e2e_cast.clinician.name).click()
    expect(page).to_have_url(re.compile(rf"/c/north/specialists/{profile.pk}/$"))
    expect(page.get_by_role("heading", level=1)).to_have_text(e2e_cast.clinician.name)
    # and the portrait actually loads
    portrait = page.get_by_role("img", name=re.compile(e2e_cast.clinician.name))
    expect(portrait).to_be_visible()
    assert portrait.evaluate("img => img.complete && img.naturalWidth > 0")
    assert_nothing_about_clients(page, e2e_cast)

    # When they need help now, from this clinic's pages
    page.get_by_role("link", name="Get help now").click()
    expect(page).to_have_url(re.compile(r"/help/\?clinic=north$"))
    expect(page.get_by_role("heading", level=1)).to_have_text("Get help now")
    # Then they see this clinic's crisis lines, not every clinic's
    expect(page.get_by_text("North crisis line")).to_be_visible()
    expect(page.get_by_text("South crisis line")).to_have_count(0)
    assert_nothing_about_clients(page, e2e_cast)

    # When they go to sign in
    page.goto("/login/")
    expect(page.get_by_label("Email")).to_be_visible()
    expect(page.get_by_label("Password")).to_be_visible()
    expect(page.get_by_role("button", name="Sign in")).to_be_visible()
    assert_nothing_about_clients(page, e2e_cast)


def test_stranger_is_sent_to_sign_in_from_every_private_page(e2e_cast, new_page):
    # Given someone who is not signed in
    page = new_page(PHONE)
    for template in PRIVATE_PATHS:
        path = template.format(enrollment=e2e_cast.enrollment.pk)

        # When they type a private address
        page.goto(path)

        # Then they land on the sign-in page, which will bring them back afterwards
        landed = urlsplit(page.url)
        assert landed.path == "/login/", f"{path} showed {page.url} to a stranger"
        assert parse_qs(landed.query).get("next") == [path]
        expect(page.get_by_role("button", name="Sign in")).to_be_visible()
        assert_nothing_about_clients(page, e2e_cast)
