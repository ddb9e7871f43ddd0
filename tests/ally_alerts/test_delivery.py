"""Alerts reach allies at the rhythm they chose, in their waking hours, only while consented.

The cast's clinic is in Singapore and its allies chose no time zone, so their evening
digest goes at 18:00 Singapore time. The clock starts on Tuesday 2 June 2026, 09:00.
"""

from __future__ import annotations

import re
import uuid
from datetime import time, timedelta

import pytest
from django.core import mail

from waypost.accounts.models import User
from waypost.connect.alerts import delivery, services
from waypost.connect.alerts.models import AllyAlert, Rhythm
from waypost.connect.services import end_link, set_consent
from waypost.core import events
from waypost.recovery import events as recovery_events
from waypost.shield import silence

from .conftest import MORNING

pytestmark = pytest.mark.django_db

CLINICAL = re.compile(r"porn|sex|addict|recover|relapse|abstinen|urge|lapse|shield", re.I)


def silent_device(cast):
    return events.record(
        enrollment=cast.enrollment,
        kind=silence.SILENT,
        actor=None,
        data={"device": "Laptop", "hours": 30, "never": False},
    )


def lapse(cast):
    return events.record(
        enrollment=cast.enrollment,
        kind=recovery_events.LAPSE_LOGGED,
        actor=cast.client,
        data={"day": "2026-06-01"},
    )


def choose(cast, name: str, rhythm: Rhythm) -> None:
    link = cast.links[name]
    services.set_rhythm(link=link, rhythm=rhythm, by=link.ally)


def recipients() -> list[str]:
    return sorted(address for message in mail.outbox for address in message.to)


def at_local(hour: int, minute: int = 0, days: int = 0):
    return MORNING.replace(hour=hour, minute=minute) + timedelta(days=days)


# --- straight away ----------------------------------------------------------------------


def test_an_ally_who_chose_straight_away_gets_one_discreet_e_mail_at_once(cast, clock, commit):
    choose(cast, "shield", Rhythm.IMMEDIATE)
    with commit():
        silent_device(cast)
    # only that ally: the other one with the scope keeps the default, a daily digest
    assert recipients() == ["ally-shield@north.test"]
    (message,) = mail.outbox
    assert message.subject == "Waypost: an update from someone you support"
    assert "There is an update from Sam Client." in message.body
    link = cast.links["shield"]
    assert f"/ally/{link.pk}/updates/" in message.body
    # (the cast's ally is called "Ally shield": their own name aside)
    assert not CLINICAL.search(message.subject + message.body.replace("Ally shield", ""))
    assert AllyAlert.objects.get(link=link).status == AllyAlert.Status.SENT


def test_a_request_for_support_goes_at_once_whatever_the_rhythm(cast, clock, commit):
    from waypost.connect.alerts.support import request_support

    choose(cast, "support", Rhythm.WEEKLY)
    with commit():
        request_support(enrollment=cast.enrollment, by=cast.client, client_uuid=uuid.uuid4())
    assert recipients() == ["ally-all@north.test", "ally-support@north.test"]
    for message in mail.outbox:
        assert message.subject == "Waypost: an update from someone you support"
        assert "Sam Client has asked for your support." in message.body
        assert not CLINICAL.search(message.body)


# --- digests ----------------------------------------------------------------------------


def test_the_daily_digest_goes_in_the_evening_once(cast, clock, commit):
    with commit():
        silent_device(cast)
    assert mail.outbox == []
    clock.move_to(at_local(17, 59))
    delivery.send_due()
    assert mail.outbox == []
    clock.move_to(at_local(18, 0))
    result = delivery.send_due()
    assert recipients() == ["ally-all@north.test", "ally-shield@north.test"]
    assert result.mails == 2
    # a second run sends nothing more
    delivery.send_due()
    assert len(mail.outbox) == 2


def test_a_digest_groups_an_allys_updates_into_one_e_mail(lapses_scope, cast, clock, commit):
    with commit():
        silent_device(cast)
        lapse(cast)
    clock.move_to(at_local(18, 5))
    delivery.send_due()
    to_all = [m for m in mail.outbox if m.to == ["ally-all@north.test"]]
    assert len(to_all) == 1
    assert "There are 2 updates from Sam Client." in to_all[0].body
    assert not CLINICAL.search(to_all[0].body)


def test_the_weekly_digest_waits_for_sunday_evening(cast, clock, commit):
    choose(cast, "shield", Rhythm.WEEKLY)
    with commit():
        silent_device(cast)
    clock.move_to(at_local(18, 0))  # Tuesday evening: the daily allies' digest
    delivery.send_due()
    assert recipients() == ["ally-all@north.test"]
    clock.move_to(at_local(17, 45, days=5))  # Sunday, before six
    delivery.send_due()
    assert recipients() == ["ally-all@north.test"]
    clock.move_to(at_local(18, 0, days=5))  # Sunday 7 June, 18:00
    delivery.send_due()
    assert recipients() == ["ally-all@north.test", "ally-shield@north.test"]


def test_a_new_rhythm_applies_to_what_is_already_waiting(cast, clock, commit):
    # given an alert waiting for the evening digest
    with commit():
        silent_device(cast)
    # when the ally switches to straight away, the next run sends it
    choose(cast, "shield", Rhythm.IMMEDIATE)
    clock.move_to(at_local(9, 15))
    delivery.send_due()
    assert recipients() == ["ally-shield@north.test"]


# --- quiet hours ------------------------------------------------------------------------


def quiet(user: User, start: time, end: time) -> None:
    User.objects.filter(pk=user.pk).update(quiet_hours_start=start, quiet_hours_end=end)


def test_quiet_hours_hold_an_alert_back_until_they_end(cast, clock, commit):
    quiet(cast.allies["shield"], time(8, 0), time(10, 0))
    choose(cast, "shield", Rhythm.IMMEDIATE)
    with commit():
        silent_device(cast)
    assert mail.outbox == []
    clock.move_to(at_local(9, 45))
    delivery.send_due()
    assert mail.outbox == []
    clock.move_to(at_local(10, 0))
    delivery.send_due()
    assert recipients() == ["ally-shield@north.test"]


def test_a_digest_in_quiet_hours_goes_when_they_end(cast, clock, commit):
    quiet(cast.ally_all, time(17, 0), time(19, 0))
    with commit():
        silent_device(cast)
    clock.move_to(at_local(18, 0))
    delivery.send_due()
    assert recipients() == ["ally-shield@north.test"]
    clock.move_to(at_local(19, 0))
    delivery.send_due()
    assert recipients() == ["ally-all@north.test", "ally-shield@north.test"]


def test_a_request_for_support_ignores_quiet_hours(cast, clock, commit):
    from waypost.connect.alerts.support import request_support

    quiet(cast.allies["support"], time(7, 1), time(7, 0))  # quiet all day and night
    with commit():
        request_support(enrollment=cast.enrollment, by=cast.client, client_uuid=uuid.uuid4())
    assert "ally-support@north.test" in recipients()


# --- consent at send time ---------------------------------------------------------------


def test_consent_withdrawn_before_an_immediate_send_means_nothing_is_sent(
    cast, clock, django_capture_on_commit_callbacks
):
    choose(cast, "shield", Rhythm.IMMEDIATE)
    # given the alert raised, its e-mail queued but not sent yet
    with django_capture_on_commit_callbacks() as recorded:
        silent_device(cast)
    with django_capture_on_commit_callbacks() as queued:
        for callback in recorded:
            callback()
    alert = AllyAlert.objects.get(link=cast.links["shield"])
    assert alert.status == AllyAlert.Status.PENDING
    # when the client withdraws "shield" before the worker gets to it
    set_consent(link=cast.links["shield"], scopes=[], by=cast.client)
    for callback in queued:
        callback()
    # then nothing is sent, ever
    assert mail.outbox == []
    alert.refresh_from_db()
    assert alert.status == AllyAlert.Status.DROPPED
    clock.move_to(at_local(18, 0))
    delivery.send_due()
    assert "ally-shield@north.test" not in recipients()


def test_consent_withdrawn_before_the_digest_means_it_is_left_out(cast, clock, commit):
    with commit():
        silent_device(cast)
    clock.move_to(at_local(12, 0))
    set_consent(link=cast.links["all"], scopes=["journey"], by=cast.client)
    clock.move_to(at_local(18, 0))
    delivery.send_due()
    assert recipients() == ["ally-shield@north.test"]
    assert AllyAlert.objects.get(link=cast.links["all"]).status == AllyAlert.Status.DROPPED


def test_a_link_ended_before_the_send_means_nothing_is_sent(cast, clock, commit):
    choose(cast, "support", Rhythm.DAILY)
    with commit():
        silent_device(cast)
    end_link(link=cast.links["all"], by=cast.client)
    end_link(link=cast.links["shield"], by=cast.client)
    clock.move_to(at_local(18, 0))
    result = delivery.send_due()
    assert mail.outbox == []
    assert result.dropped == 2


def test_a_link_ended_before_an_immediate_send_means_nothing_is_sent(cast, clock, commit):
    choose(cast, "shield", Rhythm.IMMEDIATE)
    with commit():
        event = silent_device(cast)
    mail.outbox.clear()
    AllyAlert.objects.all().delete()
    end_link(link=cast.links["shield"], by=cast.client)
    with commit():
        services.raise_alerts(event=event)  # too late: the link has ended
    assert mail.outbox == []
    assert not AllyAlert.objects.filter(link=cast.links["shield"]).exists()


# --- one sender ------------------------------------------------------------------------


def test_an_alert_claimed_by_one_run_is_not_sent_by_another(cast, clock, commit):
    choose(cast, "shield", Rhythm.IMMEDIATE)
    with commit():
        silent_device(cast)
    alert = AllyAlert.objects.get(link=cast.links["shield"])
    # the queued send arriving again (a retry) finds it taken
    assert delivery.deliver(alert_id=alert.pk).mails == 0
    assert delivery.send_due().mails == 0
    assert len(mail.outbox) == 1


def test_a_failed_send_waits_for_the_next_run(cast, clock, commit, monkeypatch):
    choose(cast, "shield", Rhythm.IMMEDIATE)

    def refuse(*args, **kwargs):
        raise OSError("the mail server is away")

    monkeypatch.setattr(delivery, "send_mail", refuse)
    with commit():
        silent_device(cast)
    alert = AllyAlert.objects.get(link=cast.links["shield"])
    assert alert.status == AllyAlert.Status.PENDING
    monkeypatch.undo()
    clock.move_to(at_local(9, 15))
    delivery.send_due()
    assert recipients() == ["ally-shield@north.test"]


def test_an_ally_without_an_active_account_gets_no_e_mail(cast, clock, commit):
    User.objects.filter(pk=cast.allies["shield"].pk).update(is_active=False)
    choose(cast, "shield", Rhythm.DAILY)
    with commit():
        silent_device(cast)
    clock.move_to(at_local(18, 0))
    delivery.send_due()
    assert recipients() == ["ally-all@north.test"]
    assert AllyAlert.objects.get(link=cast.links["shield"]).status == AllyAlert.Status.NOT_MAILED
