"""Story: on a phone, a client writes to their clinician that they want to die. The page
shows the crisis lines at once. On a desktop the clinician finds the alert in the risk
inbox, opens the message from it and replies; the client then reads the reply."""

from __future__ import annotations

import pytest
from playwright.sync_api import expect

from tests.e2e.conftest import DESKTOP, PHONE

pytestmark = pytest.mark.e2e


def test_a_crisis_message_shows_the_lines_alerts_the_clinician_and_gets_a_reply(
    e2e_cast, signed_in
):
    # Given the client on a phone, on their messages page
    phone = signed_in(e2e_cast.client, PHONE)
    phone.goto("/messages/")
    expect(phone.get_by_role("heading", level=1)).to_have_text("Messages")
    expect(phone.locator("[data-notice]")).to_contain_text("not watched around the clock")
    # When they send a message with crisis words
    phone.get_by_label("Write to your clinician").fill("I can't go on like this. I want to die.")
    phone.get_by_role("button", name="Send").click()
    # Then the crisis lines are shown at once, with a call button
    support = phone.locator("#support")
    expect(support).to_be_visible()
    expect(support).to_contain_text("North crisis line")
    expect(support.get_by_role("link", name="Call 1767")).to_have_attribute("href", "tel:1767")
    expect(phone.locator(".messaging-message.mine")).to_contain_text("I want to die.")
    assert phone.evaluate("document.documentElement.scrollWidth") <= PHONE

    # When the clinician opens the risk inbox on a desktop
    desk = signed_in(e2e_cast.clinician, DESKTOP)
    desk.goto("/risk/")
    alert = desk.locator("article.alert-card")
    expect(alert).to_have_count(1)
    expect(alert).to_contain_text("want to die")
    # and follows the alert to the message and replies
    alert.get_by_role("link", name="Secure message").click()
    expect(desk.get_by_role("heading", level=1)).to_have_text("Messages with Sam Client")
    expect(desk.locator(".messaging-message.theirs")).to_contain_text("I want to die.")
    desk.get_by_label("Reply").fill("Thank you for telling me. I will call you in ten minutes.")
    desk.get_by_role("button", name="Send").click()
    expect(desk.locator(".messaging-message.mine")).to_contain_text("I will call you")

    # Then the client sees the reply, and that their own message was read
    phone.goto("/messages/")
    expect(phone.locator(".messaging-message.theirs")).to_contain_text(
        "I will call you in ten minutes."
    )
    expect(phone.locator(".messaging-message.mine .messaging-receipt")).to_contain_text("Read")
