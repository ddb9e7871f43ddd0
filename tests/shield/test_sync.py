"""The web app's side: the snapshot the resolver reads, and the counts it stores back."""

from __future__ import annotations

import base64
import http.client
import uuid
from datetime import UTC, datetime, timedelta

import dns.message
import dns.rcode
import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.utils import timezone

from waypost.recovery.models import Device
from waypost.shield import snapshot, sync
from waypost.shield.blocklist import Blocklist
from waypost.shield.models import (
    BlockedLookup,
    ClinicShield,
    HourlyCount,
    ListEntry,
    ShieldDevice,
)

pytestmark = pytest.mark.django_db


def shield_device(enrollment, name: str = "Phone", **extra) -> ShieldDevice:
    now = timezone.now()
    device = Device.objects.create(
        enrollment=enrollment,
        client_uuid=uuid.uuid4(),
        name=name,
        kind=Device.Kind.PHONE,
        created_at=now,
        retired_at=extra.pop("retired_at", None),
    )
    return ShieldDevice.objects.create(device=device, created_at=now, **extra)


def test_the_snapshot_holds_each_device_in_use_with_its_policy(cast):
    now = timezone.now()
    phone = shield_device(cast.enrollment, lockdown_until=now + timedelta(minutes=30))
    router = shield_device(cast.enrollment, "Home router", linked_address="203.0.113.5")
    shield_device(cast.enrollment, "Old phone", revoked_at=now)
    shield_device(cast.enrollment, "Given away", retired_at=now)
    ClinicShield.objects.create(clinic=cast.clinic, categories=["adult", "bypass"])
    ListEntry.objects.create(clinic=cast.clinic, name="clinic.example", allow=True, created_at=now)
    ListEntry.objects.create(
        enrollment=cast.enrollment, name="tempting.example", allow=False, created_at=now
    )
    ListEntry.objects.create(  # another clinic's list is not this client's
        clinic=cast.other_clinic, name="elsewhere.example", allow=True, created_at=now
    )
    data = sync.build_snapshot(now)
    assert set(data["devices"]) == {str(phone.pk), str(router.pk)}
    entry = data["devices"][str(phone.pk)]
    assert entry["token"] == phone.token and entry["address"] is None
    assert entry["categories"] == ["adult", "bypass"]
    assert entry["allow"] == ["clinic.example"] and entry["block"] == ["tempting.example"]
    assert entry["lockdown_until"] == pytest.approx((now + timedelta(minutes=30)).timestamp())
    assert data["devices"][str(router.pk)]["address"] == "203.0.113.5"
    # in lockdown, Waypost itself (Get help now, the toolbox) still resolves
    assert "testserver" in entry["essentials"] and "127.0.0.1" not in entry["essentials"]
    assert data["devices"][str(router.pk)]["lockdown_until"] is None


def test_the_snapshot_takes_as_many_queries_for_many_devices_as_for_one(cast):
    shield_device(cast.enrollment)
    with CaptureQueriesContext(connection) as one:
        sync.build_snapshot()
    for n in range(10):
        shield_device(cast.enrollment, f"Device {n}")
    with CaptureQueriesContext(connection) as many:
        assert len(sync.build_snapshot()["devices"]) == 11
    assert len(many.captured_queries) == len(one.captured_queries)


def test_a_snapshot_survives_the_trip_through_its_file(cast, tmp_path):
    phone = shield_device(cast.enrollment)
    path = tmp_path / "shield" / "snapshot.json"
    snapshot.write(path, sync.build_snapshot())
    identities = snapshot.SnapshotIdentities(snapshot.read(path))
    assert identities.by_token(phone.token.upper()) == str(phone.pk)
    assert identities.policy_for(str(phone.pk)).categories == frozenset({"adult"})
    (path.parent / "bad.json").write_text("{}", encoding="utf-8")
    with pytest.raises(snapshot.SnapshotError):
        snapshot.read(path.parent / "bad.json")


def test_counts_are_stored_by_hour_and_blocked_names_encrypted(cast):
    phone = shield_device(cast.enrollment)
    device = str(phone.pk)
    at = datetime(2026, 12, 4, 9, 15, tzinfo=UTC).timestamp()
    hour = int(at // 3600)
    sync.record(
        {(device, hour): 7, ("999999", hour): 3},
        [(device, "bad.example", "adult", at)],
        {device: at},
    )
    sync.record({(device, hour): 2}, [], {})  # a second flush of the same hour adds up
    (count,) = HourlyCount.objects.filter(shield_device=phone)
    assert (count.allowed, count.blocked) == (9, 1)
    assert count.hour == datetime(2026, 12, 4, 9, tzinfo=UTC)
    (lookup,) = BlockedLookup.objects.filter(shield_device=phone)
    assert (lookup.name, lookup.category) == ("bad.example", "adult")
    with connection.cursor() as cursor:
        cursor.execute("SELECT name FROM shield_blockedlookup")
        (stored,) = cursor.fetchone()
    assert "bad.example" not in stored
    phone.refresh_from_db()
    assert phone.last_seen_at == datetime.fromtimestamp(at, UTC)
    assert HourlyCount.objects.count() == 1  # the unknown device was skipped


def test_counts_the_database_could_not_take_at_stop_are_kept_encrypted_for_the_next_start(
    cast, tmp_path
):
    from waypost.shield import commands, server

    phone = shield_device(cast.enrollment)
    device = str(phone.pk)
    at = datetime(2026, 12, 4, 9, 15, tzinfo=UTC).timestamp()
    hour = int(at // 3600)
    drained = ({(device, hour): 5}, [(device, "bad.example", "adult", at)], {device: at})
    kept = commands._spool(drained, tmp_path)
    assert "bad.example" not in kept.read_text()  # encrypted, like the database's copy
    assert kept.stat().st_mode & 0o777 == 0o600
    (tmp_path / "unsent-1.json").write_text("not ours", encoding="ascii")  # unreadable: skipped

    stats = server.Stats()
    assert commands._unspool(tmp_path, stats) == 1
    assert list(tmp_path.iterdir()) == []  # each file taken once, the unreadable one too
    assert commands._unspool(tmp_path, server.Stats()) == 0
    sync.record(*stats.drain())  # the next flush stores them
    (count,) = HourlyCount.objects.filter(shield_device=phone)
    assert (count.allowed, count.blocked) == (5, 1)
    (lookup,) = BlockedLookup.objects.filter(shield_device=phone)
    assert lookup.name == "bad.example"


def _doh(shield, token: str, name: str) -> dns.message.Message:
    host, port = shield.doh
    query = base64.urlsafe_b64encode(dns.message.make_query(name, "A").to_wire()).rstrip(b"=")
    http_connection = http.client.HTTPConnection(host, port, timeout=5)
    http_connection.request("GET", f"/dns-query/{token}?dns={query.decode()}")
    response = http_connection.getresponse()
    assert response.status == 200
    return dns.message.from_wire(response.read())


def test_a_device_is_filtered_by_its_own_policy_and_its_lookups_reach_the_database(
    cast, start_shield
):
    phone = shield_device(cast.enrollment)
    ListEntry.objects.create(
        enrollment=cast.enrollment, name="allowed.test", allow=False, created_at=timezone.now()
    )
    identities = snapshot.SnapshotIdentities(sync.build_snapshot())
    shield = start_shield(
        blocklist=Blocklist.from_domains({"blocked.test": "adult"}),
        identities=identities,
        policy_for=identities.policy_for,
    )
    assert _doh(shield, phone.token, "www.blocked.test").rcode() == dns.rcode.NXDOMAIN
    assert _doh(shield, phone.token, "allowed.test").rcode() == dns.rcode.NXDOMAIN  # own list
    assert _doh(shield, phone.token, "notblocked.test").rcode() == dns.rcode.NOERROR
    sync.record(*shield.call(shield.resolver.stats.drain))
    (count,) = HourlyCount.objects.filter(shield_device=phone)
    assert (count.allowed, count.blocked) == (1, 2)
    assert sorted(BlockedLookup.objects.values_list("category", flat=True)) == ["adult", "custom"]


def test_urge_lockdown_lets_only_the_allow_list_through_until_its_time(cast, start_shield):
    phone = shield_device(cast.enrollment, lockdown_until=timezone.now() + timedelta(hours=1))
    ListEntry.objects.create(
        enrollment=cast.enrollment, name="allowed.test", allow=True, created_at=timezone.now()
    )
    identities = snapshot.SnapshotIdentities(sync.build_snapshot())
    shield = start_shield(identities=identities, policy_for=identities.policy_for)
    assert _doh(shield, phone.token, "www.allowed.test").rcode() == dns.rcode.NOERROR
    assert _doh(shield, phone.token, "notblocked.test").rcode() == dns.rcode.NXDOMAIN
    assert identities.policy_for(str(phone.pk)).essentials  # Waypost's own name resolves
    # the hour is up: the next snapshot has no lockdown, and the device is as before
    ShieldDevice.objects.filter(pk=phone.pk).update(
        lockdown_until=timezone.now() - timedelta(seconds=1)
    )
    fresh = sync.build_snapshot()  # on this thread: the database is not the resolver's
    shield.call(lambda: identities.replace(fresh))
    assert _doh(shield, phone.token, "notblocked.test").rcode() == dns.rcode.NOERROR
