"""Questionnaire reminders respect the client's choices: off means off, quiet hours wait.

A reminder that falls in quiet hours is not lost: nothing is marked, and the sweep
that runs (every 15 minutes) after the quiet hours end sends it.
"""

from __future__ import annotations

from datetime import datetime, time, timedelta
from zoneinfo import ZoneInfo

import pytest
import time_machine

from tests.assessments.helpers import assign
from waypost.accounts.models import User
from waypost.assessments import tasks
from waypost.assessments.models import Administration

pytestmark = pytest.mark.django_db

SINGAPORE = ZoneInfo("Asia/Singapore")  # the cast's clinic
LONDON = ZoneInfo("Europe/London")
# Thursday 4 June 2026, 22:30 in Singapore: the form opens late in the evening.
OPENS = datetime(2026, 6, 4, 22, 30, tzinfo=SINGAPORE)


def _quiet(user: User, start: time | None, end: time | None, zone: str = "") -> None:
    User.objects.filter(pk=user.pk).update(
        quiet_hours_start=start, quiet_hours_end=end, time_zone=zone
    )


def _assign(cast, **options) -> Administration:
    with time_machine.travel(OPENS, tick=False):
        assign(cast, "phq-9", **options)
    return Administration.objects.get()


def _sweeps(start: datetime, end: datetime) -> list[tuple[datetime, dict[str, int]]]:
    """The task every 15 minutes from ``start`` until ``end``: when, and what it did."""
    runs = []
    at = start
    while at <= end:
        runs.append((at, tasks.send_reminders(now=at)))
        at += timedelta(minutes=15)
    return runs


def test_a_reminder_in_overnight_quiet_hours_comes_when_they_end(cast, mailoutbox):
    # given quiet hours 22:00–07:00, in the clinic's time zone (Singapore)
    _quiet(cast.client, time(22, 0), time(7, 0))
    form = _assign(cast)
    # when the sweep runs every quarter of an hour through the night
    runs = _sweeps(
        OPENS + timedelta(minutes=1), OPENS.replace(hour=7, minute=46) + timedelta(days=1)
    )
    # then nothing is sent, or marked, until seven in the morning
    sent = [at for at, result in runs if result["reminders"]]
    assert len(sent) == 1
    assert sent[0].astimezone(SINGAPORE).time() >= time(7, 0)
    assert sent[0] - datetime(2026, 6, 5, 7, 0, tzinfo=SINGAPORE) < timedelta(minutes=15)
    assert len(mailoutbox) == 1 and mailoutbox[0].to == [cast.client.email]
    form.refresh_from_db()
    assert form.reminded_at == sent[0]


def test_a_reminder_outside_quiet_hours_goes_at_once(cast, mailoutbox):
    _quiet(cast.client, time(13, 0), time(15, 0))  # an afternoon, not the evening
    _assign(cast)
    assert tasks.send_reminders(now=OPENS + timedelta(minutes=1))["reminders"] == 1
    assert len(mailoutbox) == 1


def test_quiet_hours_are_in_the_clients_own_time_zone_when_they_chose_one(cast, mailoutbox):
    # given a client living in London (their own choice) at a Singapore clinic, quiet 22–07
    _quiet(cast.client, time(22, 0), time(7, 0), zone="Europe/London")
    _assign(cast, window_days=3)
    # 22:31 in Singapore is 15:31 in London: not quiet for them
    assert tasks.send_reminders(now=OPENS + timedelta(minutes=1))["reminders"] == 1
    # and the other way round: a form opening at 23:00 London time waits for their morning
    mailoutbox.clear()
    evening = datetime(2026, 6, 10, 23, 0, tzinfo=LONDON)
    with time_machine.travel(evening, tick=False):
        assign(cast, "gad-7")
    assert tasks.send_reminders(now=evening + timedelta(minutes=1))["reminders"] == 0
    morning = datetime(2026, 6, 11, 7, 0, tzinfo=LONDON)
    assert tasks.send_reminders(now=morning)["reminders"] == 1
    assert len(mailoutbox) == 1


def test_the_last_call_waits_out_quiet_hours_too(cast, mailoutbox):
    # given a form open for three days, reminded when it opened, and quiet hours set later
    form = _assign(cast, window_days=3)
    tasks.send_reminders(now=OPENS + timedelta(minutes=1))
    _quiet(cast.client, time(21, 0), time(8, 0))
    closes = form.closes_at
    # when the sweep runs just inside the last day, at 22:45 in Singapore
    assert tasks.send_reminders(now=closes - timedelta(hours=23, minutes=45))["last_calls"] == 0
    form.refresh_from_db()
    assert form.last_call_at is None
    # then the last call goes at 08:00 the next morning, still before it closes
    morning = datetime(2026, 6, 7, 8, 0, tzinfo=SINGAPORE)
    assert morning < closes
    assert tasks.send_reminders(now=morning)["last_calls"] == 1
    assert len(mailoutbox) == 2


def test_with_reminders_turned_off_nothing_is_sent_and_nothing_is_saved_up(cast, mailoutbox):
    User.objects.filter(pk=cast.client.pk).update(email_reminders=False)
    form = _assign(cast, window_days=3)
    # the sweeps of the whole window send nothing
    runs = _sweeps(OPENS + timedelta(minutes=1), OPENS + timedelta(days=2, hours=23))
    assert sum(r["reminders"] + r["last_calls"] for _at, r in runs) == 0
    assert mailoutbox == []
    # and the form counts as reminded, so turning reminders on later sends no old news
    form.refresh_from_db()
    assert form.reminded_at is not None and form.last_call_at is not None
    User.objects.filter(pk=cast.client.pk).update(email_reminders=True)
    assert tasks.send_reminders(now=OPENS + timedelta(days=2, hours=23, minutes=30)) == {
        "opened": 0,
        "expired": 0,
        "reminders": 0,
        "last_calls": 0,
    }
