"""Shield's part of "download my data": the client's devices on Shield and what Shield kept.

The cast's client (Stage 2, in Singapore) turns Shield on for two devices, links a home
network, locks down, blocks a name, asks about a wrong block; Shield counts and blocks.
Time is frozen at noon their time on 14 March 2030.
"""

from __future__ import annotations

import uuid
from datetime import UTC, datetime, timedelta

import pytest
import time_machine
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse

from tests.accounts.data_helpers import data_json, unzip
from tests.assessments.helpers import sign_in
from tests.roles import ROLES, SIGNED_IN
from tests.shield.test_silence import on_shield
from waypost.core import exports
from waypost.program.services import enroll_client
from waypost.recovery.services import devices as device_services
from waypost.shield import decisions, services
from waypost.shield.exports import SECTION
from waypost.shield.models import (
    BlockedLookup,
    ClientShield,
    HourlyCount,
    ShieldDevice,
    WrongBlockRequest,
)

pytestmark = pytest.mark.django_db

NOW = datetime(2030, 3, 14, 4, 0, tzinfo=UTC)  # 12:00 in Singapore
HOUR = timedelta(hours=1)
DAY = timedelta(days=1)
DOWNLOAD = reverse("accounts:download")
HOME_ADDRESS = "203.0.113.7"
NOTE = "I need it for my course on Tuesday."
EMPTY = {
    "devices": [],
    "hourly_counts": [],
    "daily_counts": [],
    "blocked_lookups": [],
    "allow_list": [],
    "block_list": [],
    "wrong_block_requests": [],
    "settings": [],
}


@pytest.fixture
def frozen():
    with time_machine.travel(NOW, tick=False):
        yield NOW


def _turn_on(enrollment, by, name: str, kind: str = "phone") -> ShieldDevice:
    device = device_services.add_device(
        enrollment=enrollment, by=by, client_uuid=uuid.uuid4(), name=name, kind=kind
    )
    return services.turn_on(device=device, by=by, at=NOW - 10 * DAY)


@pytest.fixture
def used(cast, frozen) -> dict[str, ShieldDevice]:
    """The client's Shield, used for ten days the way the pages would."""
    phone = _turn_on(cast.enrollment, cast.client, "Sam's phone")
    router = _turn_on(cast.enrollment, cast.client, "Home router", "other")
    services.link_address(shield_device=router, by=cast.client, address=HOME_ADDRESS)
    services.start_lockdown(
        enrollment=cast.enrollment,
        by=cast.client,
        length="1h",
        time_zone="Asia/Singapore",
        shield_device=phone,
    )
    ShieldDevice.objects.filter(pk=phone.pk).update(last_seen_at=NOW - HOUR)
    HourlyCount.objects.bulk_create(
        [
            HourlyCount(shield_device=phone, hour=NOW - 2 * HOUR, allowed=40, blocked=2),
            HourlyCount(shield_device=router, hour=NOW - 2 * HOUR, allowed=7, blocked=0),
            HourlyCount(shield_device=phone, hour=NOW - 3 * HOUR, allowed=12, blocked=1),
        ]
    )
    BlockedLookup.objects.create(
        shield_device=phone, at=NOW - 2 * HOUR, name="hard.example", category="adult"
    )
    BlockedLookup.objects.create(
        shield_device=router, at=NOW - 3 * HOUR, name="cards.example", category="gambling"
    )
    services.block_name(enrollment=cast.enrollment, by=cast.client, name="old-haunt.example")
    asked = services.ask_wrong_block(
        enrollment=cast.enrollment, by=cast.client, name="library.example", note=NOTE
    )
    decisions.decide_request(wrong_block=asked, by=cast.clinician, allow=True)
    services.ask_wrong_block(enrollment=cast.enrollment, by=cast.client, name="bank.example")
    decisions.set_block_bypass(enrollment=cast.enrollment, by=cast.client, on=True)
    return {"phone": phone, "router": router}


def _files(client, user) -> dict[str, bytes]:
    response = sign_in(client, user).get(DOWNLOAD)
    assert response.status_code == 200
    return unzip(response.content)


def _shield(files: dict[str, bytes]) -> dict:
    return data_json(files)["sections"]["shield"]["data"]


# --- what the client downloads ------------------------------------------------------------------


def test_the_json_holds_the_devices_counts_blocks_lists_requests_and_setting(cast, client, used):
    document = data_json(_files(client, cast.client))
    # right after the device plan
    keys = list(document["sections"])
    assert keys.index("shield") == keys.index("devices") + 1
    assert document["sections"]["shield"]["title"] == "Shield"
    data = document["sections"]["shield"]["data"]
    assert data["devices"] == [
        {
            "device": "Sam's phone",
            "kind": "Phone",
            "turned_on_at": "2030-03-04T04:00:00Z",
            "turned_off_at": None,
            "last_seen_at": "2030-03-14T03:00:00Z",
            "lockdown_until": "2030-03-14T05:00:00Z",
            "silence_noted_at": None,
            "linked_address": None,
        },
        {
            "device": "Home router",
            "kind": "Something else",
            "turned_on_at": "2030-03-04T04:00:00Z",
            "turned_off_at": None,
            "last_seen_at": None,
            "lockdown_until": None,
            "silence_noted_at": None,
            "linked_address": HOME_ADDRESS,
        },
    ]
    # the hours oldest first, one small row per device and hour
    assert data["hourly_counts"] == [
        {"device": "Sam's phone", "hour": "2030-03-14T01:00:00Z", "allowed": 12, "blocked": 1},
        {"device": "Sam's phone", "hour": "2030-03-14T02:00:00Z", "allowed": 40, "blocked": 2},
        {"device": "Home router", "hour": "2030-03-14T02:00:00Z", "allowed": 7, "blocked": 0},
    ]
    # and a day at a time, for the readable copy
    assert data["daily_counts"] == [
        {"device": "Sam's phone", "day": "2030-03-14", "allowed": 52, "blocked": 3},
        {"device": "Home router", "day": "2030-03-14", "allowed": 7, "blocked": 0},
    ]
    assert data["blocked_lookups"] == [
        {
            "device": "Home router",
            "at": "2030-03-14T01:00:00Z",
            "name": "cards.example",
            "category": "Gambling",
            "category_key": "gambling",
        },
        {
            "device": "Sam's phone",
            "at": "2030-03-14T02:00:00Z",
            "name": "hard.example",
            "category": "Adult sites",
            "category_key": "adult",
        },
    ]
    # the clinician's "allowed" went on the client's allow-list
    assert data["allow_list"] == [{"name": "library.example", "created_at": "2030-03-14T04:00:00Z"}]
    assert data["block_list"] == [
        {"name": "old-haunt.example", "created_at": "2030-03-14T04:00:00Z"}
    ]
    assert data["wrong_block_requests"] == [
        {
            "name": "library.example",
            "note": NOTE,
            "asked_at": "2030-03-14T04:00:00Z",
            "decision": "Allowed",
            "decision_key": "allowed",
            "decided_at": "2030-03-14T04:00:00Z",
            "decided_by": cast.clinician.name,
        },
        {
            "name": "bank.example",
            "note": "",
            "asked_at": "2030-03-14T04:00:00Z",
            "decision": "Waiting for your clinician",
            "decision_key": "waiting",
            "decided_at": None,
            "decided_by": None,
        },
    ]
    assert data["settings"] == [
        {"clinic": "North Clinic", "block_bypass": True, "updated_at": "2030-03-14T04:00:00Z"}
    ]


def test_names_and_notes_are_decrypted_though_stored_encrypted(cast, client, used):
    with connection.cursor() as cursor:
        cursor.execute("SELECT name FROM shield_blockedlookup")
        stored = " ".join(row[0] for row in cursor.fetchall())
        cursor.execute("SELECT note FROM shield_wrongblockrequest")
        stored += " ".join(row[0] for row in cursor.fetchall())
    assert "hard.example" not in stored and "course on Tuesday" not in stored
    data = _shield(_files(client, cast.client))
    assert {row["name"] for row in data["blocked_lookups"]} == {"hard.example", "cards.example"}
    assert data["wrong_block_requests"][0]["note"] == NOTE


def test_the_token_is_never_in_the_download_and_the_home_address_is(cast, client, used):
    # a new address for the phone: neither the old token nor the new one is in it
    old_token = used["phone"].token
    services.new_token(shield_device=used["phone"], by=cast.client)
    tokens = [old_token, *ShieldDevice.objects.values_list("token", flat=True)]
    files = _files(client, cast.client)
    everything = b"".join(files.values()).decode()
    for token in tokens:
        assert token not in everything
    assert all("token" not in row for row in _shield(files)["devices"])
    assert HOME_ADDRESS in files["waypost-data.json"].decode()
    assert HOME_ADDRESS in files["waypost-data.html"].decode()


def test_the_readable_copy_has_it_in_words_in_the_clients_time(cast, client, used):
    html = _files(client, cast.client)["waypost-data.html"].decode()
    assert '<h2 id="shield">Shield</h2>' in html
    assert "works like a key" in html  # the description says what is left out, and why
    for words in (
        "Your devices on Shield",
        "On Shield since",
        "Linked home network address",
        "Lookups each day (UTC)",
        '<th scope="col">Let through</th><th scope="col">Blocked</th>',
        "Adult sites",
        "hard.example",
        "Your own block-list",
        "old-haunt.example",
        "Names your clinician allowed for you",
        "Waiting for your clinician",
        NOTE,
        "Ways around the filter blocked (VPNs, proxies, other DNS)",
    ):
        assert words in html, words
    # the lockdown ends at 13:00 in Singapore (05:00 UTC)
    assert "<time>14 Mar 2030, 13:00</time>" in html
    # the keys for programs stay in the JSON only, and every key has words
    assert "(for programs)" not in html
    assert "Lookups each hour" not in html  # hours in the JSON only: a year is 8,760 rows
    assert "Category key" not in html and "Decision key" not in html
    data = _shield(_files(client, cast.client))
    keys = set(data)
    for rows in data.values():
        for row in rows:
            keys |= set(row)
    labels = {**exports.COMMON_LABELS, **SECTION.labels}
    assert keys - set(labels) == set()


def test_an_odd_stored_name_or_category_is_shown_as_it_is_never_as_markup(cast, client, used):
    # Shield stores what it was asked; the copy must show it as text and not stumble
    BlockedLookup.objects.create(
        shield_device=used["phone"], at=NOW - HOUR, name="<b>x</b>.example", category="new-kind"
    )
    files = _files(client, cast.client)
    newest = _shield(files)["blocked_lookups"][-1]
    assert newest["name"] == "<b>x</b>.example"
    assert (newest["category"], newest["category_key"]) == ("new-kind", "new-kind")
    html = files["waypost-data.html"].decode()
    assert "<b>x</b>" not in html and "&lt;b&gt;x&lt;/b&gt;.example" in html


def test_a_device_turned_off_and_gone_silent_says_so(cast, client, frozen):
    on_shield(
        cast.enrollment,
        "Old tablet",
        kind="tablet",
        created_at=NOW - 20 * DAY,
        revoked_at=NOW - 2 * DAY,
        last_seen_at=NOW - 5 * DAY,
        silence_raised_at=NOW - 3 * DAY,
    )
    (device,) = _shield(_files(client, cast.client))["devices"]
    assert device["kind"] == "Tablet"
    assert device["turned_off_at"] == "2030-03-12T04:00:00Z"
    assert device["silence_noted_at"] == "2030-03-11T04:00:00Z"


def test_it_gathers_every_enrollment_of_the_client(cast, client, used):
    # the client also joins the south clinic and puts a laptop on Shield there
    south = enroll_client(
        client=cast.client,
        clinician_profile=cast.foreign_clinician.clinician_profiles.get(),
        by=cast.foreign_clinician,
    )
    laptop = on_shield(south, "Laptop", kind="computer", created_at=NOW - DAY)
    BlockedLookup.objects.create(
        shield_device=laptop, at=NOW - HOUR, name="south.example", category="dating"
    )
    ClientShield.objects.create(enrollment=south, block_bypass=False, updated_at=NOW)
    data = _shield(_files(client, cast.client))
    assert [d["device"] for d in data["devices"]] == ["Laptop", "Sam's phone", "Home router"]
    assert "south.example" in {row["name"] for row in data["blocked_lookups"]}
    assert [(s["clinic"], s["block_bypass"]) for s in data["settings"]] == [
        ("North Clinic", True),
        ("South Clinic", False),
    ]


# --- whose data ---------------------------------------------------------------------------------


def _foreign_shield(cast) -> ShieldDevice:
    theirs = on_shield(cast.foreign_enrollment, "Fay's phone", linked_address="198.51.100.9")
    BlockedLookup.objects.create(
        shield_device=theirs, at=NOW - HOUR, name="theirs.example", category="adult"
    )
    HourlyCount.objects.create(shield_device=theirs, hour=NOW - HOUR, allowed=99, blocked=1)
    WrongBlockRequest.objects.create(
        enrollment=cast.foreign_enrollment, name="their-bank.example", created_at=NOW
    )
    return theirs


def test_another_clients_shield_is_not_in_the_download(cast, client, used):
    _foreign_shield(cast)
    files = _files(client, cast.client)
    everything = b"".join(files.values()).decode()
    for theirs in ("Fay's phone", "theirs.example", "198.51.100.9", "their-bank.example"):
        assert theirs not in everything
    assert [d["device"] for d in _shield(files)["devices"]] == ["Sam's phone", "Home router"]
    # and the other client gets their own, and none of Sam's
    files = _files(client, cast.foreign_client)
    data = _shield(files)
    assert [d["device"] for d in data["devices"]] == ["Fay's phone"]
    assert [row["allowed"] for row in data["hourly_counts"]] == [99]
    everything = b"".join(files.values()).decode()
    for sams in ("Sam's phone", "hard.example", HOME_ADDRESS, NOTE, "old-haunt.example"):
        assert sams not in everything


def test_only_the_client_downloads_and_nobody_else_collects_their_shield(cast, client, used):
    for role in ROLES:
        user = cast.role(role)
        client.logout()
        if user is not None:
            client.force_login(user)
        response = client.get(DOWNLOAD)
        if role == "client":
            assert response.status_code == 200
        elif user is None:
            assert response.status_code == 302 and response["Location"].startswith("/login/")
        else:
            assert response.status_code == 403, role
    # and the section, asked for anyone but the client, holds nothing of theirs
    for role in SIGNED_IN:
        expected = EMPTY if role != "client" else SECTION.collect(cast.client)
        assert SECTION.collect(cast.role(role)) == expected, role
    assert SECTION.collect(cast.client)["devices"]


def test_an_ally_who_is_a_client_too_downloads_only_their_own_shield(cast, client, used):
    ally = cast.ally_all  # sees Sam's shares, and now is a client of the south clinic too
    own = enroll_client(
        client=ally,
        clinician_profile=cast.foreign_clinician.clinician_profiles.get(),
        by=cast.foreign_clinician,
    )
    on_shield(own, "Alex's laptop", kind="computer")
    files = _files(client, ally)
    assert [d["device"] for d in _shield(files)["devices"]] == ["Alex's laptop"]
    everything = b"".join(files.values()).decode()
    for sams in ("Sam's phone", "hard.example", HOME_ADDRESS, NOTE, "old-haunt.example"):
        assert sams not in everything


def test_it_is_empty_for_a_client_who_never_used_shield(cast, client, frozen):
    files = _files(client, cast.client)
    assert _shield(files) == EMPTY
    # the readable copy still has the section, saying there is nothing
    html = files["waypost-data.html"].decode()
    section = html.split('<h2 id="shield">Shield</h2>', 1)[1].split("<h2", 1)[0]
    # one "None" a part, but the hourly counts (in the JSON only)
    assert section.count('<span class="none">None</span>') == len(EMPTY) - 1


# --- it stays cheap as it grows -----------------------------------------------------------------


def _queries(user) -> tuple[int, dict]:
    with CaptureQueriesContext(connection) as captured:
        data = SECTION.collect(user)
    return len(captured.captured_queries), data


def test_the_queries_stay_the_same_with_a_year_of_hours(cast, frozen):
    first = on_shield(cast.enrollment, "Phone 0")
    HourlyCount.objects.create(shield_device=first, hour=NOW - HOUR, allowed=1, blocked=0)
    BlockedLookup.objects.create(shield_device=first, at=NOW, name="a.example", category="adult")
    WrongBlockRequest.objects.create(enrollment=cast.enrollment, name="b.example", created_at=NOW)
    few, _data = _queries(cast.client)
    # four more devices, a year of hours on one of them, many blocks, requests, decisions
    devices = [first, *(on_shield(cast.enrollment, f"Phone {n}") for n in range(1, 5))]
    year = 365 * 24
    HourlyCount.objects.bulk_create(
        HourlyCount(shield_device=first, hour=NOW - (n + 2) * HOUR, allowed=n % 50, blocked=n % 3)
        for n in range(year)
    )
    BlockedLookup.objects.bulk_create(
        BlockedLookup(shield_device=d, at=NOW - n * HOUR, name=f"n{n}.example", category="dating")
        for d in devices
        for n in range(40)
    )
    for n in range(10):
        asked = services.ask_wrong_block(
            enrollment=cast.enrollment, by=cast.client, name=f"asked{n}.example"
        )
        if n % 2:
            decisions.decide_request(wrong_block=asked, by=cast.clinician, allow=n % 4 == 1)
    decisions.set_block_bypass(enrollment=cast.enrollment, by=cast.client, on=True)
    many, data = _queries(cast.client)
    assert many == few == 6
    assert len(data["devices"]) == 5
    assert len(data["hourly_counts"]) == year + 1
    assert len(data["blocked_lookups"]) == 1 + 5 * 40
    assert len(data["wrong_block_requests"]) == 11
    # each hour is a small flat row: four values
    assert all(len(row) == 4 for row in data["hourly_counts"])


def test_without_a_device_on_shield_it_asks_less(cast, frozen):
    count, data = _queries(cast.client)
    assert count == 4 and data == EMPTY
