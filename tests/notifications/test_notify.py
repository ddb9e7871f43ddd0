"""``notify``: each channel the person has on, quiet hours respected, never twice.

The cast's client lives in the clinic's zone (Singapore); 03:00 UTC is 11:00 there.
"""

from __future__ import annotations

from datetime import UTC, datetime, time

import pytest
from django.core import mail

from tests.notifications.helpers import TEST_KIND, choose, quiet, register_test_kind
from waypost.accounts.models import User
from waypost.accounts.notifications import Decision
from waypost.notifications import kinds, services
from waypost.notifications.models import Notification, PushSubscription

pytestmark = pytest.mark.django_db

MORNING = datetime(2030, 5, 6, 3, 0, tzinfo=UTC)  # 11:00 in Singapore
NIGHT = datetime(2030, 5, 6, 15, 0, tzinfo=UTC)  # 23:00 in Singapore


def _notify(user, *, key="news:1", at=MORNING, **extra):
    options = {
        "user": user,
        "kind": TEST_KIND,
        "title": "Something is waiting for you",
        "body": "Open it when you are ready.",
        "url": "/today/",
        "dedupe_key": key,
        "now": at,
        "fallback_time_zone": "Asia/Singapore",
    }
    return services.notify(**{**options, **extra})


def _device(user) -> PushSubscription:
    return services.subscribe_device(
        user=user,
        endpoint="https://push.example.org/send/abc",
        p256dh="BN" + "A" * 85,
        auth="A" * 22,
    )


def test_by_default_it_is_in_the_list_and_e_mailed(cast, news):
    outcome = _notify(cast.client)
    assert (outcome.in_app, outcome.emailed, outcome.push) == (True, True, False)
    row = Notification.objects.get()
    assert (row.user, row.kind, row.shown, row.read_at) == (cast.client, TEST_KIND, True, None)
    assert row.title == "Something is waiting for you"
    (message,) = mail.outbox
    assert message.to == [cast.client.email]
    assert message.subject == "Waypost: something new"
    assert "Something is waiting for you" in message.body and "/today/" in message.body


def test_the_senders_own_e_mail_is_sent_instead_of_the_plain_one(cast, news):
    sent = []
    _notify(cast.client, email=lambda: sent.append("theirs"))
    assert sent == ["theirs"] and mail.outbox == []


def test_the_same_key_never_notifies_twice(cast, news):
    assert _notify(cast.client).emailed
    again = _notify(cast.client)
    assert again.duplicate and not again.emailed
    assert Notification.objects.count() == 1 and len(mail.outbox) == 1
    # another person may get news under the same key
    assert not _notify(cast.ally_all).duplicate


def test_each_channel_follows_the_persons_choice(cast, news):
    choose(cast.client, TEST_KIND, in_app=False, email=True, push=False)
    outcome = _notify(cast.client)
    assert (outcome.in_app, outcome.emailed) == (False, True)
    # the row is kept (it is what makes the key used), but it is not in the list
    assert Notification.objects.get().shown is False
    choose(cast.client, TEST_KIND, in_app=True, email=False, push=False)
    outcome = _notify(cast.client, key="news:2")
    assert (outcome.in_app, outcome.emailed) == (True, False)
    assert len(mail.outbox) == 1


def test_everything_off_is_never_and_writes_nothing(cast, news):
    choose(cast.client, TEST_KIND, in_app=False, email=False, push=False)
    outcome = _notify(cast.client)
    assert outcome.decision == Decision.NEVER and not outcome.delivered
    assert not Notification.objects.exists() and not mail.outbox


def test_quiet_hours_hold_what_would_interrupt_and_write_nothing(cast, news):
    quiet(cast.client, time(22, 0), time(7, 0))
    outcome = _notify(cast.client, at=NIGHT)
    assert outcome.held and not Notification.objects.exists() and not mail.outbox
    # after they end, the sender's next run sends it
    assert _notify(cast.client, at=MORNING).emailed


def test_in_quiet_hours_the_list_alone_goes_at_once(cast, news):
    quiet(cast.client, time(22, 0), time(7, 0))
    choose(cast.client, TEST_KIND, in_app=True, email=False, push=False)
    outcome = _notify(cast.client, at=NIGHT)
    assert outcome.decision == Decision.SEND and outcome.in_app


def test_a_kind_that_ignores_quiet_hours_goes_at_once(cast):
    register_test_kind(ignores_quiet_hours=True)
    try:
        quiet(cast.client, time(22, 0), time(7, 0))
        assert _notify(cast.client, at=NIGHT).emailed
    finally:
        kinds.unregister(TEST_KIND)


def test_push_waits_for_a_device_and_for_the_commit(cast, news, django_capture_on_commit_callbacks):
    # without a device, push is not a channel at all
    assert _notify(cast.client).push is False
    _device(cast.client)
    with django_capture_on_commit_callbacks() as queued:
        outcome = _notify(cast.client, key="news:2")
    assert outcome.push
    row = Notification.objects.get(dedupe_key="news:2")
    assert row.push == Notification.Push.WAITING
    assert len(queued) == 1  # the push is queued only once the notification is kept


def test_with_a_device_quiet_hours_hold_even_without_e_mail(cast, news):
    _device(cast.client)
    choose(cast.client, TEST_KIND, in_app=True, email=False, push=True)
    quiet(cast.client, time(22, 0), time(7, 0))
    assert _notify(cast.client, at=NIGHT).held


def test_reminders_follow_the_e_mail_reminders_switch(cast):
    register_test_kind(reminder=True)
    try:
        User.objects.filter(pk=cast.client.pk).update(email_reminders=False)
        cast.client.refresh_from_db()
        outcome = _notify(cast.client)
        assert outcome.in_app and not outcome.emailed and not mail.outbox
    finally:
        kinds.unregister(TEST_KIND)


def test_a_locked_kind_goes_on_every_channel_whatever_was_chosen(cast):
    register_test_kind(locked=True, locked_reason="Safety.")
    try:
        choose(cast.client, TEST_KIND, in_app=False, email=False, push=False)
        outcome = _notify(cast.client)
        assert outcome.in_app and outcome.emailed
    finally:
        kinds.unregister(TEST_KIND)


@pytest.mark.parametrize("change", [{"is_active": False}, {"email": ""}])
def test_no_address_means_no_e_mail_and_a_closed_account_nothing(cast, news, change):
    User.objects.filter(pk=cast.client.pk).update(**change)
    cast.client.refresh_from_db()
    outcome = _notify(cast.client)
    assert not outcome.emailed and not mail.outbox
    assert outcome.in_app is ("email" in change)


def test_a_failed_e_mail_keeps_nothing_so_a_retry_sends_it_all(cast, news):
    def refuse():
        raise ConnectionRefusedError("mail server down")

    with pytest.raises(ConnectionRefusedError):
        _notify(cast.client, email=refuse)
    assert not Notification.objects.exists()
    assert _notify(cast.client).emailed


def test_texts_that_are_not_discreet_are_replaced_with_neutral_ones(cast, news):
    _notify(cast.client, title="About your urges", body="Your relapse plan")
    row = Notification.objects.get()
    assert row.title == "Something new in Waypost" and row.body == ""


@pytest.mark.parametrize(
    "url",
    [
        "https://elsewhere.example/",
        "//elsewhere.example/",
        "today/",
        # browsers drop tabs and line breaks: these would be //elsewhere.example
        "/\t/elsewhere.example",
        "/\n/elsewhere.example",
        "/\r/elsewhere.example",
        "/\\elsewhere.example",
        "/ /elsewhere.example",
        "/\x00/elsewhere.example",
        "/\x7f/elsewhere.example",
        "/caf\u00e9/",
        "/\u2028/elsewhere.example",
    ],
)
def test_a_notification_links_only_inside_waypost(cast, news, url):
    with pytest.raises(ValueError):
        _notify(cast.client, url=url)
    assert not Notification.objects.exists()


def test_a_link_inside_waypost_with_a_query_is_kept():
    from waypost.notifications.services import check_url

    assert check_url("/ally/3/updates/?page=2#latest") == "/ally/3/updates/?page=2#latest"


def test_titles_and_bodies_are_encrypted_at_rest(cast, news):
    from django.db import connection

    _notify(cast.client)
    with connection.cursor() as cursor:
        cursor.execute("SELECT title, body FROM notifications_notification")
        title, body = cursor.fetchone()
    assert "waiting" not in title and "ready" not in body
