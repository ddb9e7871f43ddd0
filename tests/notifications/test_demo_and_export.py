"""The demo's notifications, and notifications in "download my data"."""

from __future__ import annotations

from datetime import time

import pytest
from django.urls import reverse
from django.utils import timezone

from waypost.core import exports
from waypost.notifications.models import Notification, Preference, PushSubscription

pytestmark = pytest.mark.django_db


def test_the_demo_clients_have_notifications_and_a_reminder_time(demo, client):
    _now, enrollment = demo
    client2 = enrollment(2).client
    choice = Preference.objects.get(user=client2, kind="recovery.check_in")
    assert choice.at_time == time(20, 0) and choice.push and not choice.email
    client2.refresh_from_db()
    assert (client2.quiet_hours_start, client2.quiet_hours_end) == (time(22, 30), time(7, 0))
    unread = Notification.objects.filter(user=client2, read_at__isnull=True)
    assert unread.count() == 2
    assert Notification.objects.filter(user=client2, read_at__isnull=False).exists()
    assert Notification.objects.filter(user=enrollment(4).client, read_at__isnull=True).exists()
    clinician = enrollment(2).primary_clinician.user
    assert Notification.objects.filter(user=clinician, kind="safety.risk_alert").exists()
    # and the pages show them
    client.force_login(client2)
    page = client.get(reverse("notifications:list")).content.decode()
    assert "Time for your check-in" in page and "2 new" in page
    page = client.get(reverse("notifications:choices")).content.decode()
    assert 'value="20:00"' in page


def test_the_data_download_holds_notifications_choices_and_devices(cast):
    Notification.objects.create(
        user=cast.client,
        kind="recovery.check_in",
        dedupe_key="k1",
        title="Time for your check-in",
        url="/checkin/",
        created_at=timezone.now(),
    )
    Preference.objects.create(
        user=cast.client,
        kind="recovery.check_in",
        at_time=time(20, 0),
        updated_at=timezone.now(),
    )
    PushSubscription.objects.create(
        user=cast.client,
        endpoint="https://push.example.org/secret",
        endpoint_hash="h",
        p256dh="p",
        auth="a",
        created_at=timezone.now(),
    )
    section = next(s for s in exports.sections() if s.key == "notifications")
    data = section.collect(cast.client)
    assert data["notifications"][0]["title"] == "Time for your check-in"
    assert data["notifications"][0]["what"] == "Check-in reminder"
    assert data["choices"][0]["at_time"] == time(20, 0)
    assert len(data["devices"]) == 1
    assert "secret" not in repr(data)  # a device's address is its own secret
