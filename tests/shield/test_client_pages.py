"""The client's Shield pages: devices on Shield, setup, lockdown, their own lists, Today."""

from __future__ import annotations

import plistlib
import uuid
import xml.etree.ElementTree as ET
from datetime import UTC, datetime, timedelta

import pytest
from django.urls import reverse
from django.utils import timezone

from tests.assessments.helpers import sign_in
from tests.shield import role_expectations_client
from waypost.core.models import TimelineEvent
from waypost.recovery.models import Device
from waypost.recovery.services import devices as device_services
from waypost.shield import selectors, services, setup, sync
from waypost.shield.models import (
    BlockedLookup,
    HourlyCount,
    ListEntry,
    ShieldDevice,
    WrongBlockRequest,
)

pytestmark = pytest.mark.django_db

HOST = "shield.example"
HOME = "/shield/"
NAMES = "/shield/names/"
IPHONE = "Mozilla/5.0 (iPhone; CPU iPhone OS 17_4 like Mac OS X) AppleWebKit/605.1.15 Safari/604.1"
ANDROID = "Mozilla/5.0 (Linux; Android 14; Pixel 8) AppleWebKit/537.36 Chrome/124.0 Mobile"


@pytest.fixture
def host(settings):
    settings.SHIELD_HOST = HOST
    settings.SHIELD_DNS_ADDRESSES = ["192.0.2.53", "2001:db8::53"]
    return HOST


def add(cast, name="My phone", kind="phone") -> Device:
    return device_services.add_device(
        enrollment=cast.enrollment, by=cast.client, client_uuid=uuid.uuid4(), name=name, kind=kind
    )


def on(cast, name="My phone", kind="phone") -> ShieldDevice:
    return services.turn_on(device=add(cast, name, kind), by=cast.client)


def _kinds(kind: str) -> int:
    return TimelineEvent.objects.filter(kind=kind).count()


# --- the ways in (who may: tests/shield/role_expectations.py, in tests/core/test_roles.py) ---


@pytest.mark.parametrize("route", role_expectations_client.ROUTES, ids=lambda r: r.name)
def test_junk_never_causes_a_server_error(route, cast, host):
    # beside tests/core/test_bad_input.py's junk, what these pages read: platform, device …
    from django.test import Client

    from tests.core.test_bad_input import JUNK

    url = reverse(route.name, kwargs=route.kwargs(cast) or None)
    browser = Client(raise_request_exception=False)
    browser.force_login(cast.client)
    for response in (
        browser.get(url, {"platform": "\u202e" * 10, "page": "x' OR 1=1"}),
        browser.post(url, JUNK),
        browser.post(url, {"device": "-1", "length": "\x00", "block-name": "x" * 300}),
        browser.post(url, b"\xff\xfe{not json", content_type="application/json"),
    ):
        assert response.status_code < 500, (route.name, response.status_code)


def test_another_clients_device_is_not_found(cast, client, host):
    from waypost.shield.models import ShieldDevice as SD

    theirs = Device.objects.create(
        enrollment=cast.foreign_enrollment,
        client_uuid=uuid.uuid4(),
        name="Their phone",
        kind="phone",
        created_at=timezone.now(),
    )
    SD.objects.create(device=theirs, created_at=timezone.now())
    browser = sign_in(client, cast.client)

    assert browser.get(reverse("shield:setup", args=[theirs.pk])).status_code == 404
    assert browser.get(reverse("shield:profile", args=[theirs.pk])).status_code == 404
    assert browser.post(reverse("shield:turn_on", args=[theirs.pk])).status_code == 404
    assert browser.post(reverse("shield:new_address", args=[theirs.pk])).status_code == 404
    assert (
        browser.post("/shield/lockdown/", {"device": theirs.pk, "length": "1h"}).status_code == 404
    )
    assert SD.objects.get(device=theirs).lockdown_until is None


def test_a_client_before_stage_2_gets_a_kind_page_and_cannot_write(cast, client, host):
    browser = sign_in(client, cast.foreign_client)

    for url in (HOME, NAMES):
        page = browser.get(url)
        assert page.status_code == 200 and "This starts in stage 2" in page.content.decode()
    assert browser.post("/shield/names/block/", {"block-name": "a.example"}).status_code == 403
    assert browser.post("/shield/lockdown/", {"device": "all", "length": "1h"}).status_code == 403
    assert not ListEntry.objects.exists()


def test_the_clinician_cannot_use_the_clients_pages(cast, client, host):
    phone = on(cast)
    browser = sign_in(client, cast.clinician)

    assert browser.get(HOME).status_code == 403
    assert browser.post("/shield/lockdown/", {"device": "all", "length": "2h"}).status_code == 403
    phone.refresh_from_db()
    assert phone.lockdown_until is None


# --- the Shield page ----------------------------------------------------------------------


def test_the_page_lists_each_device_of_the_plan_with_its_status(cast, client, host):
    now = timezone.now()
    add(cast, "Old laptop", "computer")
    tablet = on(cast, "Tablet", "tablet")
    phone = on(cast, "My phone")
    ShieldDevice.objects.filter(pk=phone.pk).update(last_seen_at=now - timedelta(minutes=3))
    retired = add(cast, "Given away")
    device_services.retire_device(device=retired, by=cast.client)
    browser = sign_in(client, cast.client)

    page = browser.get(HOME).content.decode()

    assert "Shield is a wall for hard moments, not a judge." in page
    assert "Old laptop" in page and "Not on Shield yet" in page and "Turn Shield on" in page
    assert "Last heard from 3\xa0minutes ago" in page or "Last heard from 3 minutes ago" in page
    assert "Not heard from yet" in page and tablet.device.name in page
    assert "Given away" not in page
    assert reverse("recovery:device_plan") in page  # the device plan is one tap away
    assert "Get help now" in page


def test_without_devices_the_page_leads_to_the_device_plan(cast, client, host):
    page = sign_in(client, cast.client).get(HOME).content.decode()

    assert "Go to your device plan" in page and "A hard moment? Lock down" not in page


def test_this_week_shows_numbers_and_the_names_only_behind_a_disclosure(cast, client, host):
    phone = on(cast)
    now = timezone.now()
    for name, category, days in [
        ("a.adult.example", "adult", 1),
        ("a.adult.example", "adult", 2),
        ("b.adult.example", "adult", 3),
        ("bet.example", "gambling", 1),
        ("use-application-dns.net", "canary", 1),  # the browser's own question: no attempt
        ("old.example", "adult", 9),  # before this week
    ]:
        BlockedLookup.objects.create(
            shield_device=phone, at=now - timedelta(days=days), name=name, category=category
        )
    HourlyCount.objects.create(
        shield_device=phone,
        hour=(now - timedelta(days=1)).replace(minute=0, second=0, microsecond=0),
        allowed=3402,
        blocked=4,
    )

    week = selectors.week(cast.enrollment, now)
    page = sign_in(client, cast.client).get(HOME).content.decode()

    assert week.blocked == 4 and week.allowed == 3402
    assert [(c.key, c.count) for c in week.categories] == [("adult", 3), ("gambling", 1)]
    assert [(n.name, n.count) for n in week.names][0] == ("a.adult.example", 2)
    assert "old.example" not in page and "use-application-dns.net" not in page
    assert "3,402" in page and "Adult sites" in page
    disclosure = page.index("Show the names")
    assert page.index("a.adult.example") > disclosure  # the names only inside it
    assert page.rindex("<details", 0, disclosure) > page.index("Blocked attempts")


# --- turning Shield on, tokens ------------------------------------------------------------


def test_turning_shield_on_gives_a_fresh_token_once(cast, client, host):
    phone = add(cast)
    browser = sign_in(client, cast.client)

    answer = browser.post(reverse("shield:turn_on", args=[phone.pk]))
    again = browser.post(reverse("shield:turn_on", args=[phone.pk]))

    shield = ShieldDevice.objects.get(device=phone)
    assert answer["Location"] == reverse("shield:setup", args=[phone.pk])
    assert again.status_code == 302 and ShieldDevice.objects.count() == 1
    assert len(shield.token) == 26 and shield.lockdown_until is None
    assert _kinds(services.DEVICE_CHANGED) == 1


def test_tokens_are_unique_and_a_new_token_replaces_the_old(cast, client, host):
    phone, tablet = on(cast), on(cast, "Tablet", "tablet")
    old = phone.token
    heard = timezone.now() - timedelta(minutes=2)
    ShieldDevice.objects.filter(pk=phone.pk).update(
        last_seen_at=heard, created_at=heard - timedelta(days=30)
    )
    browser = sign_in(client, cast.client)

    browser.post(reverse("shield:new_address", args=[phone.device_id]))

    phone.refresh_from_db()
    assert phone.token != tablet.token and phone.token != old
    # a new identity: not heard from under it yet, and new on Shield for the silence check
    assert phone.last_seen_at is None and phone.created_at > heard
    tokens = {d["token"] for d in sync.build_snapshot()["devices"].values()}
    assert phone.token in tokens and old not in tokens
    page = browser.get(reverse("shield:setup", args=[phone.device_id]) + "?platform=android")
    assert f"{phone.token}.{HOST}".encode() in page.content and old.encode() not in page.content


def test_a_device_turned_off_comes_back_with_a_new_token(cast, host):
    phone = on(cast)
    old = phone.token
    ShieldDevice.objects.filter(pk=phone.pk).update(revoked_at=timezone.now())

    back = services.turn_on(device=phone.device, by=cast.client)

    assert back.pk == phone.pk and back.revoked_at is None and back.token != old


def test_a_device_taken_off_the_plan_cannot_be_turned_on(cast, host):
    phone = add(cast)
    device_services.retire_device(device=phone, by=cast.client)

    with pytest.raises(services.ShieldError):
        services.turn_on(device=phone, by=cast.client)
    assert not ShieldDevice.objects.exists()


# --- the setup page -----------------------------------------------------------------------


def test_the_setup_page_suggests_the_platform_of_the_device_first(cast, client, host):
    phone = on(cast)
    url = reverse("shield:setup", args=[phone.device_id])
    browser = sign_in(client, cast.client)

    iphone = browser.get(url, HTTP_USER_AGENT=IPHONE).content.decode()
    android = browser.get(url, HTTP_USER_AGENT=ANDROID).content.decode()
    router = browser.get(url + "?platform=router").content.decode()

    assert "Download the profile" in iphone and "Profile Downloaded" in iphone
    assert f"https://{HOST}/dns-query/{phone.token}" in iphone
    assert "Private DNS provider hostname" in android and f"{phone.token}.{HOST}" in android
    for other in ("?platform=windows", "?platform=browser", "?platform=router"):
        assert other in android  # the others one tap away
    assert "192.0.2.53" in router and "Link this network" in router
    assert [p.key for p in setup.platforms_for("computer", "")][0] == "windows"
    assert [p.key for p in setup.platforms_for("console", IPHONE)][0] == "router"


def test_windows_and_browsers_get_the_doh_template(cast, client, host):
    phone = on(cast, "Laptop", "computer")
    url = reverse("shield:setup", args=[phone.device_id])
    browser = sign_in(client, cast.client)

    windows = browser.get(url + "?platform=windows").content.decode()
    browsers = browser.get(url + "?platform=browser").content.decode()

    assert "On (manual template)" in windows and f"/dns-query/{phone.token}" in windows
    assert "Use secure DNS" in browsers and "Max Protection" in browsers


def test_without_a_shield_host_the_setup_page_says_so_and_shows_no_address(cast, client, settings):
    settings.SHIELD_HOST = ""
    phone = on(cast)
    browser = sign_in(client, cast.client)

    page = browser.get(reverse("shield:setup", args=[phone.device_id])).content.decode()
    profile = browser.get(reverse("shield:profile", args=[phone.device_id]))
    home = browser.get(HOME).content.decode()

    assert "Your clinic has not set Shield up yet" in page
    assert phone.token not in page and "dns-query" not in page
    assert profile.status_code == 302 and profile["Location"].startswith(
        reverse("shield:setup", args=[phone.device_id])
    )
    assert "Not set up at your clinic yet" in home


def test_the_profile_parses_and_points_the_device_at_its_doh_url(cast, client, host):
    phone = on(cast)
    browser = sign_in(client, cast.client)

    answer = browser.get(reverse("shield:profile", args=[phone.device_id]))

    assert answer["Content-Type"] == "application/x-apple-aspen-config"
    assert "waypost-shield.mobileconfig" in answer["Content-Disposition"]
    profile = plistlib.loads(answer.content)
    assert profile["PayloadType"] == "Configuration" and profile["PayloadVersion"] == 1
    assert profile["PayloadDisplayName"] == "Waypost Shield"
    assert profile["PayloadScope"] == "System"
    assert uuid.UUID(profile["PayloadUUID"]) and profile["PayloadIdentifier"]
    (dns,) = profile["PayloadContent"]
    assert dns["PayloadType"] == "com.apple.dnsSettings.managed"
    assert dns["DNSSettings"] == {
        "DNSProtocol": "HTTPS",
        "ServerURL": f"https://{HOST}/dns-query/{phone.token}",
    }
    assert uuid.UUID(dns["PayloadUUID"]) != uuid.UUID(profile["PayloadUUID"])


def test_a_new_address_keeps_the_profile_identity_so_it_replaces_the_old(cast, host):
    phone = on(cast)
    before = plistlib.loads(setup.profile(phone))

    services.new_token(shield_device=phone, by=cast.client)
    after = plistlib.loads(setup.profile(phone))

    assert after["PayloadIdentifier"] == before["PayloadIdentifier"]
    assert after["PayloadUUID"] == before["PayloadUUID"]
    assert after["PayloadContent"][0]["PayloadUUID"] != before["PayloadContent"][0]["PayloadUUID"]
    assert phone.token in after["PayloadContent"][0]["DNSSettings"]["ServerURL"]


def test_the_qr_code_is_an_inline_svg_of_the_setup_page(cast, client, host):
    phone = on(cast)
    page = sign_in(client, cast.client).get(reverse("shield:setup", args=[phone.device_id]))
    html = page.content.decode()

    # the code, not the header's icons (which come first, hidden from screen readers)
    start = html.index("<svg ", html.index("</header>"))
    markup = html[start : html.index("</svg>", start) + len("</svg>")]
    svg = ET.fromstring(markup)  # noqa: S314 — our own page, just rendered
    assert svg.tag.endswith("svg") and svg.get("role") == "img" and svg.get("aria-label")
    assert "<image" not in markup and "href" not in markup  # nothing loaded from elsewhere
    code = setup.qr_svg("https://waypost.example/shield/devices/1/", "QR")
    assert code.startswith("<svg ") and "<script" not in code and "href" not in code


def test_check_my_setup_says_whether_shield_heard_from_this_device(cast, client, host):
    phone = on(cast)
    url = reverse("shield:setup_status", args=[phone.device_id])
    browser = sign_in(client, cast.client)

    never = browser.get(url).json()
    ShieldDevice.objects.filter(pk=phone.pk).update(last_seen_at=timezone.now())
    recent = browser.get(url).json()
    ShieldDevice.objects.filter(pk=phone.pk).update(
        last_seen_at=timezone.now() - timedelta(hours=3)
    )
    earlier = browser.get(url).json()
    page = browser.get(reverse("shield:setup", args=[phone.device_id])).content.decode()

    assert never["state"] == "never" and "has not heard" in never["verdict"]
    assert recent["state"] == "recent" and "it is set up" in recent["verdict"]
    assert earlier["state"] == "earlier" and "3\xa0hours ago" in earlier["text"]
    assert "Check my setup" in page and "Check again" in page


# --- linking a home network ---------------------------------------------------------------


def test_linking_this_network_records_the_requests_address(cast, client, host):
    router = on(cast, "Home router", "other")
    browser = sign_in(client, cast.client)

    browser.post(reverse("shield:link_network", args=[router.device_id]), REMOTE_ADDR="203.0.113.5")

    router.refresh_from_db()
    assert router.linked_address == "203.0.113.5"
    assert sync.build_snapshot()["devices"][str(router.pk)]["address"] == "203.0.113.5"


def test_an_address_taken_by_another_device_is_refused_with_a_clear_message(cast, client, host):
    theirs = Device.objects.create(
        enrollment=cast.foreign_enrollment,
        client_uuid=uuid.uuid4(),
        name="Their router",
        kind="other",
        created_at=timezone.now(),
    )
    ShieldDevice.objects.create(
        device=theirs, created_at=timezone.now(), linked_address="203.0.113.9"
    )
    mine = on(cast, "Home router", "other")
    other_of_mine = on(cast, "TV", "tv")
    services.link_address(shield_device=other_of_mine, by=cast.client, address="198.51.100.7")
    browser = sign_in(client, cast.client)

    taken = browser.post(
        reverse("shield:link_network", args=[mine.device_id]),
        REMOTE_ADDR="203.0.113.9",
        follow=True,
    ).content.decode()
    with pytest.raises(services.ShieldError, match="already linked to your device “TV”"):
        services.link_address(shield_device=mine, by=cast.client, address="198.51.100.7")

    assert "already linked to another device" in taken and "One address can belong" in taken
    assert "Their router" not in taken  # someone else's device is never named
    mine.refresh_from_db()
    assert mine.linked_address is None


# --- lockdown -------------------------------------------------------------------------------


@pytest.mark.parametrize(("length", "minutes"), [("30m", 30), ("1h", 60), ("2h", 120)])
def test_a_lockdown_lasts_the_time_chosen(cast, host, length, minutes):
    phone = on(cast)
    now = timezone.now()

    done = services.start_lockdown(
        enrollment=cast.enrollment, by=cast.client, length=length, time_zone="UTC", at=now
    )

    phone.refresh_from_db()
    assert done.until == now + timedelta(minutes=minutes) == phone.lockdown_until
    entry = sync.build_snapshot(now)["devices"][str(phone.pk)]
    assert entry["lockdown_until"] == pytest.approx(done.until.timestamp())
    assert (
        sync.build_snapshot(done.until + timedelta(seconds=1))["devices"][str(phone.pk)][
            "lockdown_until"
        ]
        is None
    )


@pytest.mark.parametrize(
    ("local_now", "end"),
    [
        # Singapore is UTC+8: 23:30 there → 7:00 the next day; 2:00 → 7:00 the same morning
        (datetime(2025, 3, 3, 15, 30, tzinfo=UTC), datetime(2025, 3, 3, 23, 0, tzinfo=UTC)),
        (datetime(2025, 3, 3, 18, 0, tzinfo=UTC), datetime(2025, 3, 3, 23, 0, tzinfo=UTC)),
        (datetime(2025, 3, 3, 23, 0, tzinfo=UTC), datetime(2025, 3, 4, 23, 0, tzinfo=UTC)),
    ],
)
def test_until_tomorrow_morning_is_the_next_seven_oclock_where_the_client_is(local_now, end):
    assert services.lockdown_end("morning", now=local_now, time_zone="Asia/Singapore") == end


def test_an_unknown_length_is_refused(cast, host):
    on(cast)
    with pytest.raises(services.ShieldError):
        services.start_lockdown(
            enrollment=cast.enrollment, by=cast.client, length="forever", time_zone="UTC"
        )


def test_a_lockdown_of_one_device_or_all_from_the_page(cast, client, host):
    phone, laptop = on(cast), on(cast, "Laptop", "computer")
    browser = sign_in(client, cast.client)

    one = browser.post(
        "/shield/lockdown/", {"device": phone.device_id, "length": "1h"}, follow=True
    ).content.decode()
    phone.refresh_from_db()
    laptop.refresh_from_db()
    assert phone.lockdown_until is not None and laptop.lockdown_until is None
    assert "Locked down until" in one and "cannot end it early" in one

    browser.post("/shield/lockdown/", {"device": "all", "length": "2h"})
    phone.refresh_from_db()
    laptop.refresh_from_db()
    assert phone.lockdown_until == laptop.lockdown_until
    assert _kinds(services.LOCKDOWN_STARTED) == 2


def test_a_lockdown_is_never_shortened_and_a_retry_writes_nothing(cast, host):
    phone = on(cast)
    now = timezone.now()
    services.start_lockdown(
        enrollment=cast.enrollment, by=cast.client, length="2h", time_zone="UTC", at=now
    )

    shorter = services.start_lockdown(
        enrollment=cast.enrollment, by=cast.client, length="30m", time_zone="UTC", at=now
    )
    retry = services.start_lockdown(
        enrollment=cast.enrollment,
        by=cast.client,
        length="2h",
        time_zone="UTC",
        at=now + timedelta(seconds=5),
    )

    phone.refresh_from_db()
    assert phone.lockdown_until == now + timedelta(hours=2)
    assert not shorter.changed and not retry.changed
    assert _kinds(services.LOCKDOWN_STARTED) == 1


def test_a_lockdown_without_a_device_on_shield_is_refused_kindly(cast, client, host):
    add(cast)
    page = sign_in(client, cast.client).post(
        "/shield/lockdown/", {"device": "all", "length": "1h"}, follow=True
    )

    assert "Turn Shield on for a device first" in page.content.decode()


def test_the_lockdown_shows_until_when_on_the_page(cast, client, host):
    phone = on(cast)
    services.start_lockdown(
        enrollment=cast.enrollment, by=cast.client, length="morning", time_zone="Asia/Singapore"
    )

    page = sign_in(client, cast.client).get(HOME).content.decode()

    assert "locked down until" in page.lower() and phone.device.name in page
    assert "7:00" in page  # the button names the morning hour


# --- the client's own lists -----------------------------------------------------------------


def test_blocking_a_name_adds_it_to_the_clients_list_and_the_snapshot(cast, client, host):
    phone = on(cast)
    browser = sign_in(client, cast.client)

    browser.post("/shield/names/block/", {"block-name": " Tempting.Example. "})
    browser.post("/shield/names/block/", {"block-name": "tempting.example"})  # again

    entry = ListEntry.objects.get()
    assert (entry.enrollment_id, entry.name, entry.allow) == (
        cast.enrollment.pk,
        "tempting.example",
        False,
    )
    assert sync.build_snapshot()["devices"][str(phone.pk)]["block"] == ["tempting.example"]
    assert _kinds(services.NAME_BLOCKED) == 1
    assert "tempting.example" in browser.get(NAMES).content.decode()


@pytest.mark.parametrize(
    "name", ["", "   ", "not a name", "192.168.0.1", "a..example", "x" * 64 + ".example"]
)
def test_a_bad_name_is_refused_and_nothing_changes(cast, client, host, name):
    browser = sign_in(client, cast.client)

    answer = browser.post("/shield/names/block/", {"block-name": name})
    asked = browser.post("/shield/names/wrong-block/", {"ask-name": name})

    assert answer.status_code == 400 and asked.status_code == 400
    assert 'class="errorlist"' in answer.content.decode()
    assert not ListEntry.objects.exists() and not WrongBlockRequest.objects.exists()
    assert not TimelineEvent.objects.filter(kind__startswith="shield.").exists()


def test_a_name_the_clinician_allowed_cannot_be_blocked_by_the_client(cast, host):
    ListEntry.objects.create(
        enrollment=cast.enrollment, name="school.example", allow=True, created_at=timezone.now()
    )

    with pytest.raises(services.ShieldError, match="Your clinician allowed"):
        services.block_name(enrollment=cast.enrollment, by=cast.client, name="school.example")
    assert ListEntry.objects.count() == 1


def test_a_wrong_block_request_goes_to_the_clinician_with_its_status_shown(cast, client, host):
    browser = sign_in(client, cast.client)

    browser.post("/shield/names/wrong-block/", {"ask-name": "school.example", "ask-note": "Maths"})
    browser.post("/shield/names/wrong-block/", {"ask-name": "school.example"})  # a retry
    waiting = browser.get(NAMES).content.decode()

    request = WrongBlockRequest.objects.get()
    assert (request.enrollment_id, request.name, request.note) == (
        cast.enrollment.pk,
        "school.example",
        "Maths",
    )
    assert request.decided_at is None and request.allowed is None
    assert "Waiting for your clinician" in waiting
    assert _kinds(services.WRONG_BLOCK_ASKED) == 1

    WrongBlockRequest.objects.filter(pk=request.pk).update(
        decided_at=timezone.now(), decided_by=cast.clinician, allowed=False
    )
    assert "Kept blocked" in browser.get(NAMES).content.decode()
    WrongBlockRequest.objects.filter(pk=request.pk).update(allowed=True)
    assert "Allowed" in browser.get(NAMES).content.decode()


# --- Today, Journey, the timeline ---------------------------------------------------------


def test_today_suggests_setting_up_shield_while_no_device_is_on_it(cast, client, host):
    browser = sign_in(client, cast.client)
    assert "Set up Shield" not in browser.get("/today/").content.decode()  # no devices yet

    add(cast, "Laptop", "computer")
    phone = add(cast)
    assert "Set up Shield on your phone" in browser.get("/today/").content.decode()

    services.turn_on(device=phone, by=cast.client)
    assert "Set up Shield" not in browser.get("/today/").content.decode()


def test_today_says_nothing_of_shield_when_the_clinic_has_not_set_it_up(cast, client, settings):
    settings.SHIELD_HOST = ""
    add(cast)

    assert "Set up Shield" not in sign_in(client, cast.client).get("/today/").content.decode()


def test_the_fact_gives_the_devices_and_whether_each_is_on_shield(cast, host):
    from waypost.core import facts

    phone = add(cast)
    add(cast, "TV", "tv")
    known = facts.read(cast.enrollment)[selectors.FACT]
    assert selectors.device_to_set_up(known).pk == phone.pk

    services.turn_on(device=phone, by=cast.client)
    known = facts.read(cast.enrollment)[selectors.FACT]
    assert {d.name: bool(d.on_shield) for d in known} == {"My phone": True, "TV": False}
    assert selectors.device_to_set_up(known) is None


def test_shield_is_on_journey_from_stage_2_and_lights_it(cast, client, host):
    browser = sign_in(client, cast.client)

    journey = browser.get("/journey/").content.decode()
    page = browser.get(HOME).content.decode()

    assert 'href="/shield/"' in journey
    assert 'href="/journey/" aria-current="page"' in page


def test_the_timeline_tells_what_happened_and_keeps_names_private(cast, host):
    phone = on(cast)
    services.start_lockdown(
        enrollment=cast.enrollment,
        by=cast.client,
        length="1h",
        time_zone="UTC",
        shield_device=phone,
    )
    services.block_name(enrollment=cast.enrollment, by=cast.client, name="tempting.example")

    events = list(TimelineEvent.objects.filter(kind__startswith="shield.").order_by("pk"))

    assert [e.kind for e in events] == [
        services.DEVICE_CHANGED,
        services.LOCKDOWN_STARTED,
        services.NAME_BLOCKED,
    ]
    for event in events:
        assert "My phone" not in str(event.data) and "tempting" not in str(event.data)
    from waypost.core import events as core_events

    words = [core_events.describe(e.kind, e.data, e.private_data) for e in events]
    assert words[0] == "Shield turned on for “My phone”"
    assert words[1].startswith("Shield locked down on “My phone” until")
    assert words[2] == "A name added to the Shield block-list"
