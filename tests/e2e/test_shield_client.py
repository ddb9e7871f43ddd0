"""Story: on a phone, a Stage 2 client with a phone in the device plan turns Shield on for it
from Today, opens its setup page (the steps for the phone first, the others one tap away),
checks the setup without reloading the page, then, in a hard moment, locks the phone down.

Screenshots go to ``$WAYPOST_SHOTS/shield-client`` (default <temp>/shots/shield-client/).
"""

from __future__ import annotations

import os
import tempfile
import uuid
from pathlib import Path

import pytest
from axe_playwright_python.base import AXE_SCRIPT
from playwright.sync_api import expect

from tests.e2e.conftest import DESKTOP, PHONE
from tests.e2e.test_accessibility import BLOCKING, INDISCREET, describe, run_axe

pytestmark = pytest.mark.e2e

SHOTS = (
    Path(os.environ.get("WAYPOST_SHOTS") or Path(tempfile.gettempdir(), "shots")) / "shield-client"
)
HOST = "shield.example"


def _looked_at(page, name: str, width: int = PHONE) -> None:
    blocking = [describe(page.url, v) for v in run_axe(page) if v["impact"] in BLOCKING]
    assert not blocking, "\n".join(blocking)
    assert page.evaluate("document.documentElement.scrollWidth") <= width
    assert not INDISCREET.search(page.title()), page.title()
    SHOTS.mkdir(parents=True, exist_ok=True)
    page.screenshot(path=str(SHOTS / f"{name}-{width}.png"), full_page=True)


@pytest.fixture
def shield_host(settings):
    settings.SHIELD_HOST = HOST
    settings.SHIELD_DNS_ADDRESSES = ["192.0.2.53"]


def test_a_client_turns_shield_on_for_the_phone_sets_it_up_and_locks_down(
    e2e_cast, signed_in, shield_host
):
    from waypost.program.services import mark_welcomed
    from waypost.recovery.services.devices import add_device
    from waypost.shield.models import ShieldDevice

    # given a Stage 2 client with their phone in the device plan, on a phone
    mark_welcomed(enrollment=e2e_cast.enrollment, by=e2e_cast.client)
    phone = add_device(
        enrollment=e2e_cast.enrollment,
        by=e2e_cast.client,
        client_uuid=uuid.uuid4(),
        name="My phone",
        kind="phone",
    )
    page = signed_in(e2e_cast.client, PHONE)
    page.context.add_init_script(AXE_SCRIPT)

    # when Today suggests Shield and they follow it, then turn it on for the phone
    page.goto("/today/")
    step = page.locator("[data-step='shield.setup']")
    folded = page.locator("details.more-steps", has=step)
    if folded.count():
        folded.locator("summary").click()
    expect(step).to_contain_text("Set up Shield on your phone")
    step.get_by_role("link").first.click()
    expect(page.get_by_role("heading", name="Shield", exact=True)).to_be_visible()
    device = page.locator("li.shield-device", has_text="My phone")
    expect(device).to_contain_text("Not on Shield yet")
    _looked_at(page, "shield-before")
    device.get_by_role("button", name="Turn Shield on").click()

    # then its setup page opens with the steps for a phone first, the others one tap away
    expect(page.get_by_role("heading", name="Set up Shield on My phone")).to_be_visible()
    expect(page.get_by_text("Shield is on for My phone.")).to_be_visible()
    shield = ShieldDevice.objects.get(device=phone)
    expect(page.get_by_role("button", name="Download the profile")).to_be_visible()
    expect(
        page.get_by_role("img", name="A QR code that opens this page on My phone")
    ).to_be_visible()
    _looked_at(page, "setup-apple")
    page.get_by_role("link", name="Android").click()
    expect(page.get_by_text(f"{shield.token}.{HOST}")).to_be_visible()
    _looked_at(page, "setup-android")

    # when they check before the phone has asked Shield anything, and again after
    check = page.get_by_role("region", name="Check my setup")
    check.get_by_role("button", name="Check again").click()
    expect(check.get_by_role("status")).to_contain_text("has not heard from this device yet")
    from django.utils import timezone

    ShieldDevice.objects.filter(pk=shield.pk).update(last_seen_at=timezone.now())
    before = page.url
    check.get_by_role("button", name="Check again").click()

    # then the answer changes in place, without loading the page again
    expect(check.get_by_role("status")).to_contain_text("it is set up")
    expect(page.locator("#heard-text")).to_have_text("Last heard from just now")
    assert page.url == before
    _looked_at(page, "setup-checked")

    # when, in a hard moment, they lock the phone down for 30 minutes from the Shield page
    page.get_by_role("link", name="Back to Shield").first.click()
    lockdown = page.get_by_role("region", name="A hard moment? Lock down")
    lockdown.get_by_role("button", name="30 minutes").click()

    # then it says until when, and that it cannot be ended early
    expect(page.get_by_text("Reaching for this was a strong choice.")).to_be_visible()
    lockdown = page.get_by_role("region", name="A hard moment? Lock down")
    expect(lockdown.get_by_role("list", name="Locked down now")).to_contain_text("My phone")
    expect(lockdown).to_contain_text("you cannot end it early")
    shield.refresh_from_db()
    assert shield.lockdown_until is not None and shield.lockdown_until > timezone.now()
    _looked_at(page, "shield-locked")


def test_the_shield_pages_on_a_wide_screen(e2e_cast, signed_in, shield_host):
    """The same pages at 1280 px, with a week of numbers and the lists (for the screenshots)."""
    from datetime import timedelta

    from django.utils import timezone

    from waypost.recovery.services.devices import add_device
    from waypost.shield import services
    from waypost.shield.models import BlockedLookup, HourlyCount

    phone = services.turn_on(
        device=add_device(
            enrollment=e2e_cast.enrollment,
            by=e2e_cast.client,
            client_uuid=uuid.uuid4(),
            name="My phone",
            kind="phone",
        ),
        by=e2e_cast.client,
    )
    add_device(
        enrollment=e2e_cast.enrollment,
        by=e2e_cast.client,
        client_uuid=uuid.uuid4(),
        name="Games console",
        kind="console",
    )
    now = timezone.now()
    for days, name in ((1, "a.adult.example"), (2, "a.adult.example"), (3, "bet.example")):
        BlockedLookup.objects.create(
            shield_device=phone,
            at=now - timedelta(days=days),
            name=name,
            category="gambling" if name.startswith("bet") else "adult",
        )
    HourlyCount.objects.create(
        shield_device=phone, hour=now.replace(minute=0, second=0, microsecond=0), allowed=1204
    )
    services.block_name(enrollment=e2e_cast.enrollment, by=e2e_cast.client, name="hard.example")
    services.ask_wrong_block(
        enrollment=e2e_cast.enrollment, by=e2e_cast.client, name="school.example", note="Maths"
    )
    for width in (DESKTOP, PHONE):
        page = signed_in(e2e_cast.client, width)
        page.context.add_init_script(AXE_SCRIPT)
        page.goto("/shield/")
        page.get_by_text("Show the names").click()
        expect(page.get_by_text("a.adult.example")).to_be_visible()
        _looked_at(page, "shield-week", width)
        page.goto(f"/shield/devices/{phone.device_id}/?platform=router")
        expect(page.get_by_role("button", name="Link this network")).to_be_visible()
        _looked_at(page, "setup-router", width)
        page.goto("/shield/names/")
        expect(page.get_by_text("Waiting for your clinician")).to_be_visible()
        _looked_at(page, "names", width)
