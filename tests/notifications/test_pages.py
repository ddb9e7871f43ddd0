"""The Notifications page, reading, and the choices page."""

from __future__ import annotations

import json
from datetime import time, timedelta

import pytest
from django.urls import reverse
from django.utils import timezone

from tests.notifications.helpers import choose
from waypost.notifications.models import Notification, Preference, PushSubscription

pytestmark = pytest.mark.django_db

LIST = reverse("notifications:list")
CHOICES = reverse("notifications:choices")


def keep(user, title, *, minutes_ago=0, read=False, shown=True, url="/today/") -> Notification:
    at = timezone.now() - timedelta(minutes=minutes_ago)
    return Notification.objects.create(
        user=user,
        kind="messages.new",
        dedupe_key=f"t:{title}",
        title=title,
        url=url,
        created_at=at,
        read_at=at if read else None,
        shown=shown,
    )


# --- the list ------------------------------------------------------------------------------


def test_unread_come_first_then_the_read_ones(cast, client):
    keep(cast.client, "Older and read", minutes_ago=5, read=True)
    keep(cast.client, "Oldest unread", minutes_ago=30)
    keep(cast.client, "Newest unread", minutes_ago=1)
    keep(cast.client, "Only e-mailed", shown=False)
    keep(cast.clinician, "Someone else's")
    client.force_login(cast.client)
    page = client.get(LIST).content.decode()
    order = [page.index(t) for t in ("Newest unread", "Oldest unread", "Older and read")]
    assert order == sorted(order)
    assert "2 new" in page
    assert "Only e-mailed" not in page and "Someone else's" not in page


def test_nothing_new_says_so_kindly(cast, client):
    client.force_login(cast.clinician)
    assert "Nothing new. You are all caught up." in client.get(LIST).content.decode()


def test_opening_one_marks_it_read_and_goes_to_its_page(cast, client):
    item = keep(cast.client, "A questionnaire is waiting", url="/measures/")
    client.force_login(cast.client)
    response = client.post(reverse("notifications:open", args=[item.pk]))
    assert response.status_code == 302 and response["Location"] == "/measures/"
    item.refresh_from_db()
    assert item.read_at is not None


def test_marking_one_read_stays_on_the_list(cast, client):
    item = keep(cast.client, "News")
    client.force_login(cast.client)
    response = client.post(reverse("notifications:read", args=[item.pk]))
    assert response["Location"] == LIST
    item.refresh_from_db()
    first = item.read_at
    assert first is not None
    client.post(reverse("notifications:read", args=[item.pk]))  # a double tap
    item.refresh_from_db()
    assert item.read_at == first


def test_marking_all_read_touches_only_ones_own(cast, client):
    keep(cast.client, "One")
    keep(cast.client, "Two")
    theirs = keep(cast.clinician, "Theirs")
    client.force_login(cast.client)
    client.post(reverse("notifications:read_all"))
    assert not Notification.objects.filter(user=cast.client, read_at__isnull=True).exists()
    theirs.refresh_from_db()
    assert theirs.read_at is None


@pytest.mark.parametrize("name", ["notifications:open", "notifications:read"])
def test_someone_elses_notification_is_not_found(cast, client, name):
    theirs = keep(cast.clinician, "Theirs")
    client.force_login(cast.client)
    assert client.post(reverse(name, args=[theirs.pk])).status_code == 404
    theirs.refresh_from_db()
    assert theirs.read_at is None


def test_the_list_needs_no_write_and_reading_needs_a_post(cast, client):
    item = keep(cast.client, "News")
    client.force_login(cast.client)
    assert client.get(reverse("notifications:read", args=[item.pk])).status_code == 405
    client.get(LIST)
    item.refresh_from_db()
    assert item.read_at is None


# --- the choices page ------------------------------------------------------------------------


def test_a_client_sees_the_kinds_for_clients_with_three_channels(cast, client):
    client.force_login(cast.client)
    page = client.get(CHOICES).content.decode()
    for label in (
        "Check-in reminder",
        "Questionnaires",
        "Appointments",
        "Group sessions",
        "Messages",
    ):
        assert label in page
    assert "Risk alerts" not in page and "Updates from people you support" not in page
    assert 'name="recovery-check_in__at"' in page
    assert 'name="messages-new__push"' in page
    assert "Turn on notifications on this device" in page
    assert 'name="quiet_hours_start"' in page


def test_a_clinician_sees_risk_alerts_always_on_with_the_reason(cast, client):
    client.force_login(cast.clinician)
    page = client.get(CHOICES).content.decode()
    assert "Risk alerts" in page and "Always on" in page
    assert "about someone&#x27;s safety" in page
    assert 'name="safety-risk_alert__email"' not in page  # no box to untick
    assert 'name="messages-new__email"' in page
    assert "Questionnaires" not in page
    # and they may have them on their devices too
    assert "Turn on notifications on this device" in page
    assert 'name="messages-new__push"' in page


def test_an_ally_chooses_how_updates_reach_them(cast, client):
    client.force_login(cast.ally_all)
    page = client.get(CHOICES).content.decode()
    assert "Updates from people you support" in page and "Requests for support" in page
    assert "Messages" not in page


def test_a_client_saves_a_reminder_time_channels_and_quiet_hours(cast, client):
    client.force_login(cast.client)
    response = client.post(
        CHOICES,
        {
            "recovery-check_in__at": "20:30",
            "recovery-check_in__in_app": "on",
            "recovery-check_in__push": "on",
            "assessments-due__email": "on",
            "messages-new__in_app": "on",
            "quiet_hours_start": "22:00",
            "quiet_hours_end": "07:00",
        },
    )
    assert response.status_code == 302 and response["Location"] == CHOICES
    saved = {p.kind: p for p in Preference.objects.filter(user=cast.client)}
    check_in = saved["recovery.check_in"]
    assert (check_in.at_time, check_in.in_app, check_in.email, check_in.push) == (
        time(20, 30),
        True,
        False,
        True,
    )
    assert (saved["assessments.due"].in_app, saved["assessments.due"].email) == (False, True)
    assert (saved["messages.new"].in_app, saved["messages.new"].email) == (True, False)
    cast.client.refresh_from_db()
    assert (cast.client.quiet_hours_start, cast.client.quiet_hours_end) == (time(22), time(7))
    assert cast.client.email_reminders is True  # a reminder kind has e-mail on
    page = client.get(CHOICES).content.decode()
    assert 'value="20:30"' in page


def test_no_reminder_e_mail_ticked_turns_the_e_mail_reminders_switch_off(cast, client):
    client.force_login(cast.client)
    client.post(CHOICES, {"messages-new__email": "on"})
    cast.client.refresh_from_db()
    assert cast.client.email_reminders is False
    # and with the switch off, the page shows reminder e-mails as off
    form = client.get(CHOICES).context["form"]
    assert form["assessments-due__email"].value() is False
    assert form["messages-new__email"].value() is True


def test_a_clinician_cannot_switch_risk_alerts_off(cast, client):
    client.force_login(cast.clinician)
    client.post(CHOICES, {"safety-risk_alert__email": "", "messages-new__in_app": "on"})
    assert not Preference.objects.filter(user=cast.clinician, kind="safety.risk_alert").exists()


@pytest.mark.parametrize(
    ("data", "message"),
    [
        ({"recovery-check_in__at": "25:99"}, "Enter a valid time."),
        ({"quiet_hours_start": "22:00"}, "Please give both times for quiet hours"),
    ],
)
def test_bad_input_is_refused_kindly_and_nothing_changes(cast, client, data, message):
    choose(cast.client, "recovery.check_in", at=time(8, 0))
    client.force_login(cast.client)
    response = client.post(CHOICES, {"messages-new__email": "on", **data})
    assert response.status_code == 400
    assert message in response.content.decode()
    assert Preference.objects.get(user=cast.client, kind="recovery.check_in").at_time == time(8)
    assert not Preference.objects.filter(kind="messages.new").exists()
    cast.client.refresh_from_db()
    assert cast.client.quiet_hours_start is None


def test_saving_twice_is_the_same_as_once(cast, client):
    client.force_login(cast.client)
    data = {"recovery-check_in__at": "09:00", "recovery-check_in__in_app": "on"}
    client.post(CHOICES, data)
    client.post(CHOICES, data)
    assert Preference.objects.filter(user=cast.client, kind="recovery.check_in").count() == 1


def test_me_links_to_the_choices_and_the_list(cast, client):
    client.force_login(cast.client)
    page = client.get(reverse("accounts:account")).content.decode()
    assert CHOICES in page and LIST in page
    client.force_login(cast.admin)
    page = client.get(reverse("accounts:account")).content.decode()
    assert CHOICES in page


# --- this device -----------------------------------------------------------------------------

DEVICE = {
    "endpoint": "https://push.example.org/send/abc",
    "keys": {"p256dh": "BN" + "A" * 85, "auth": "A" * 22},
}


def _post_json(client, name, data):
    return client.post(reverse(name), json.dumps(data), content_type="application/json")


def test_a_client_turns_a_device_on_and_off(cast, client):
    client.force_login(cast.client)
    response = _post_json(client, "notifications:device_on", DEVICE)
    assert response.status_code == 200 and response.json()["ok"] is True
    _post_json(client, "notifications:device_on", DEVICE)  # again: kept once
    device = PushSubscription.objects.get()
    assert device.user == cast.client and device.endpoint == DEVICE["endpoint"]
    response = _post_json(client, "notifications:device_off", {"endpoint": DEVICE["endpoint"]})
    assert response.status_code == 200 and not PushSubscription.objects.exists()


def test_a_device_moves_to_whoever_turned_it_on_last(cast, client):
    client.force_login(cast.client)
    _post_json(client, "notifications:device_on", DEVICE)
    # someone else signs in on the same browser and turns it on
    from waypost.notifications import services

    services.subscribe_device(
        user=cast.foreign_client, endpoint=DEVICE["endpoint"], p256dh="BN" + "A" * 85, auth="A" * 22
    )
    assert PushSubscription.objects.get().user == cast.foreign_client


@pytest.mark.parametrize(
    "data",
    [
        {},
        {"endpoint": "https://push.example.org/x"},
        {**DEVICE, "endpoint": "http://push.example.org/x"},
        {**DEVICE, "endpoint": "https://192.168.0.10/x"},
        {**DEVICE, "endpoint": 42},
        {**DEVICE, "keys": {"p256dh": "short", "auth": "A" * 22}},
        {**DEVICE, "keys": {"p256dh": "BN" + "A" * 85, "auth": "!!"}},
        ["not", "an", "object"],
    ],
)
def test_a_device_that_cannot_be_used_is_refused_with_a_message(cast, client, data):
    client.force_login(cast.client)
    response = _post_json(client, "notifications:device_on", data)
    assert response.status_code == 400
    assert response.json()["message"]
    assert not PushSubscription.objects.exists()


def test_a_body_that_is_not_json_is_refused(cast, client):
    client.force_login(cast.client)
    response = client.post(
        reverse("notifications:device_on"), "not json", content_type="application/json"
    )
    assert response.status_code == 400


def test_an_ally_whose_links_all_ended_has_no_device_to_turn_on(cast, client):
    client.force_login(cast.ally_ended)
    assert _post_json(client, "notifications:device_on", DEVICE).status_code == 403
