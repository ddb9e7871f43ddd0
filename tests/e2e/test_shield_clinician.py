"""Story: a clinician sees Shield on a client's record, decides a request and ends a lockdown;
the caseload marks the silent device; an ally who may see Shield alerts sees it go quiet.

Screenshots go to ``$WAYPOST_SHOTS/shield-clinician`` (default <temp>/shots/shield-clinician/),
at 390 and 1280 pixels wide.
"""

from __future__ import annotations

import os
import re
import tempfile
import uuid
from datetime import timedelta
from pathlib import Path

import pytest
from axe_playwright_python.base import AXE_SCRIPT
from playwright.sync_api import expect

from tests.e2e.conftest import DESKTOP, PHONE
from tests.e2e.test_accessibility import BLOCKING, describe, run_axe

pytestmark = pytest.mark.e2e

SHOTS = (
    Path(os.environ.get("WAYPOST_SHOTS") or Path(tempfile.gettempdir(), "shots"))
    / "shield-clinician"
)


def _looked_at(page, name: str, width: int) -> None:
    blocking = [describe(page.url, v) for v in run_axe(page) if v["impact"] in BLOCKING]
    assert not blocking, "\n".join(blocking)
    assert page.evaluate("document.documentElement.scrollWidth") <= width
    SHOTS.mkdir(parents=True, exist_ok=True)
    page.screenshot(path=str(SHOTS / f"{name}-{width}.png"), full_page=True)


def _shield_history(cast) -> dict:
    """A phone heard from just now and in lockdown, a laptop quiet for three days (raised),
    a fortnight of blocked lookups, and a "wrong block?" request waiting."""
    from django.utils import timezone

    from waypost.recovery.models import Device
    from waypost.shield import silence
    from waypost.shield.models import BlockedLookup, ShieldDevice, WrongBlockRequest

    now = timezone.now()

    def on_shield(name: str, kind: str, **extra) -> ShieldDevice:
        device = Device.objects.create(
            enrollment=cast.enrollment,
            client_uuid=uuid.uuid4(),
            name=name,
            kind=kind,
            created_at=now - timedelta(days=20),
        )
        return ShieldDevice.objects.create(
            device=device, created_at=now - timedelta(days=19), **extra
        )

    phone = on_shield(
        "Sam's phone",
        Device.Kind.PHONE,
        last_seen_at=now - timedelta(minutes=2),
        lockdown_until=now + timedelta(hours=1),
    )
    laptop = on_shield("Work laptop", Device.Kind.COMPUTER, last_seen_at=now - timedelta(days=3))
    lookups = []
    for day, n, category in ((12, 4, "adult"), (9, 3, "adult"), (9, 1, "dating"), (2, 2, "adult")):
        for i in range(n):
            lookups.append(
                BlockedLookup(
                    shield_device=phone if i % 3 else laptop,
                    at=now - timedelta(days=day, minutes=i),
                    name=f"www.{'blocked' if category == 'adult' else category}-demo-{day}.example",
                    category=category,
                )
            )
    BlockedLookup.objects.bulk_create(lookups)
    WrongBlockRequest.objects.create(
        enrollment=cast.enrollment,
        name="recipes-demo.example",
        note="My cooking class shares its recipes there.",
        created_at=now - timedelta(hours=5),
    )
    silence.check(now - timedelta(days=1), notify=False)
    return {"phone": phone, "laptop": laptop}


def test_a_clinician_reads_the_shield_card_decides_and_ends_a_lockdown(e2e_cast, signed_in):
    _shield_history(e2e_cast)
    for width in (DESKTOP, PHONE):
        page = signed_in(e2e_cast.clinician, width)
        page.context.add_init_script(AXE_SCRIPT)
        # the caseload marks the client: a device is silent
        page.goto("/caseload/")
        row = page.get_by_role("row", name=re.compile(e2e_cast.client.name))
        expect(row).to_contain_text("2 on Shield · 1 silent")
        expect(row).to_contain_text("needs attention")
        _looked_at(page, "caseload", width)

        # the record's Shield card: status of each device, the fortnight, the request
        row.get_by_role("link", name="2 on Shield · 1 silent").click()
        card = page.get_by_role("region", name="Shield", exact=True)
        expect(card).to_contain_text("Sam's phone")
        expect(card).to_contain_text("Last heard 2")
        expect(card).to_contain_text("Lockdown until")
        expect(card.locator(".shield-device", has_text="Work laptop")).to_contain_text(
            "Not heard from since"
        )
        expect(card).to_contain_text("10 in all:")
        expect(card).not_to_contain_text("blocked-demo")
        card.get_by_text("The numbers by day").click()
        table = card.get_by_role("table", name=re.compile("Blocked attempts per day"))
        expect(table.get_by_role("row")).to_have_count(15)  # a header and fourteen days
        card.get_by_text("Blocked names", exact=True).click()
        _looked_at(page, "record-card", width)

    # the names, opened on purpose
    card.get_by_role("link", name="Show the blocked names").click()
    expect(page.get_by_role("heading", name="Blocked names")).to_be_visible()
    names = page.get_by_role("table", name="Blocked names, the most recent first")
    expect(names.get_by_role("row", name=re.compile("www.blocked-demo-9.example"))).to_contain_text(
        "3"
    )
    _looked_at(page, "names", PHONE)
    page.go_back()

    # allow the asked-for name, then end the phone's lockdown
    card = page.get_by_role("region", name="Shield", exact=True)
    card.get_by_role("button", name="Allow recipes-demo.example").click()
    expect(page.get_by_text("“recipes-demo.example” is allowed for Sam Client")).to_be_visible()
    card = page.get_by_role("region", name="Shield", exact=True)
    expect(card).to_contain_text("allowed")
    card.get_by_role("button", name=re.compile("End lockdown now")).click()
    expect(page.get_by_text("The lockdown of “Sam's phone” has ended.")).to_be_visible()
    expect(page.get_by_role("button", name=re.compile("End lockdown now"))).to_have_count(0)
    _looked_at(page, "record-after", PHONE)

    from waypost.shield import sync

    (phone, _laptop) = sync.build_snapshot()["devices"].values()
    assert phone["allow"] == ["recipes-demo.example"] and phone["lockdown_until"] is None


def test_an_ally_who_may_see_shield_alerts_sees_a_device_go_quiet(e2e_cast, signed_in):
    _shield_history(e2e_cast)
    for width in (PHONE, DESKTOP):
        page = signed_in(e2e_cast.allies["shield"], width)
        page.context.add_init_script(AXE_SCRIPT)
        page.goto(f"/ally/{e2e_cast.links['shield'].pk}/")
        section = page.get_by_role("region", name="Shield alerts")
        expect(section).to_contain_text("Using Shield: last heard")
        expect(section.locator("li", has_text="Work laptop (Computer)")).to_contain_text(
            "Has not used Shield since"
        )
        expect(section).to_contain_text("“Work laptop” went quiet")
        expect(page.get_by_text("blocked-demo")).to_have_count(0)
        _looked_at(page, "ally", width)
