"""Story (Stage 3's "done when"): a client invites an ally with two scopes; the ally follows
the invitation and creates an account; they see exactly those two sections; the client
withdraws one; the ally reloads and it is gone at once, from the page and the API."""

from __future__ import annotations

import re

import pytest
from playwright.sync_api import expect

from tests.e2e.conftest import PHONE

pytestmark = pytest.mark.e2e

STREAK = "Streak and milestones"
CHECKINS = "Weekly check-in summary"


def _invitation_path(mailoutbox) -> str:
    """The one-use link in the invitation e-mail, as a path on the live server."""
    assert len(mailoutbox) == 1
    message = mailoutbox[0]
    assert message.to == ["robin@partner.test"]
    # discreet: the subject names nothing clinical
    assert not re.search(r"porn|sex|addict|recover|relapse|lapse|urge", message.subject, re.I)
    found = re.search(r"https?://[^/\s]+(/invite/[^/\s]+/)", message.body)
    assert found, message.body
    return found.group(1)


def test_an_ally_sees_what_was_shared_and_loses_a_scope_the_moment_it_is_withdrawn(
    e2e_cast, signed_in, new_page, mailoutbox
):
    # Given a client on their phone, on the Connect tab
    client_page = signed_in(e2e_cast.client, PHONE)
    client_page.goto("/connect/")

    # When they invite their partner, sharing two things only
    client_page.get_by_role("link", name="Invite an ally").click()
    client_page.get_by_role("checkbox", name=re.compile(f"^{STREAK}")).check()
    client_page.get_by_role("checkbox", name=re.compile(f"^{CHECKINS}")).check()
    client_page.get_by_label("Their name").fill("Robin")
    client_page.get_by_label("Their e-mail address").fill("robin@partner.test")
    client_page.get_by_role("radio", name="Partner").check()
    client_page.get_by_role("button", name="Send invitation").click()
    expect(client_page.get_by_text("Invitation sent to robin@partner.test")).to_be_visible()

    # And the partner follows the link in the e-mail and creates an account, on their phone
    ally_page = new_page(PHONE)
    ally_page.goto(_invitation_path(mailoutbox))
    invitation = ally_page.get_by_role("main")
    expect(invitation.get_by_text(STREAK)).to_be_visible()
    expect(invitation.get_by_text(CHECKINS)).to_be_visible()
    ally_page.get_by_label("Your name").fill("Robin Partner")
    ally_page.get_by_label("Choose a password").fill("a-long-good-password")
    ally_page.get_by_role("button", name="Accept invitation").click()

    # Then their home says what the client shares, and the page shows exactly two sections
    expect(ally_page).to_have_url(re.compile(r"/ally/$"))
    person = ally_page.get_by_role("article", name=e2e_cast.client.name)
    expect(person.get_by_text(re.compile("shares with you"))).to_contain_text(
        f"{STREAK}, {CHECKINS}"
    )
    person.get_by_role("link", name=re.compile(r"^Open what .+ shares$")).click()
    expect(ally_page).to_have_url(re.compile(r"/ally/\d+/$"))
    sections = ally_page.locator("section.shared-section")
    expect(sections).to_have_count(2)
    expect(ally_page.get_by_role("region", name=STREAK)).to_be_visible()
    expect(ally_page.get_by_role("region", name=CHECKINS)).to_be_visible()
    expect(ally_page.get_by_role("region", name=CHECKINS)).to_contain_text("of the last 7")
    for other in ("Journey", "Care team", "Lapse alerts"):
        expect(ally_page.get_by_role("region", name=other)).to_have_count(0)
    assert ally_page.evaluate("document.documentElement.scrollWidth") <= PHONE

    # When the client withdraws the weekly summary
    client_page.goto("/connect/")
    client_page.get_by_role("link", name="Change what Robin Partner sees").click()
    client_page.get_by_role("checkbox", name=re.compile(f"^{CHECKINS}")).uncheck()
    client_page.get_by_role("button", name="Save").click()
    expect(client_page.get_by_text(f"Robin Partner can no longer see: {CHECKINS}.")).to_be_visible()

    # Then the ally, reloading, has lost it at once, and keeps the other
    ally_page.reload()
    expect(ally_page.get_by_role("region", name=CHECKINS)).to_have_count(0)
    expect(ally_page.get_by_role("region", name=STREAK)).to_be_visible()
    expect(sections).to_have_count(1)
    expect(ally_page.get_by_text("of the last 7")).to_have_count(0)
    # and the API their browser reads says the same
    link_id = int(re.search(r"/ally/(\d+)/$", ally_page.url).group(1))
    body = ally_page.request.get(f"/api/v1/ally/links/{link_id}/shared").json()
    assert [scope["key"] for scope in body["scopes"]] == ["streak"]
