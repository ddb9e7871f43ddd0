"""Reminders the day before: once per member and session, discreet, within the person's choices.

The group meets every other Saturday 13:00–15:00 in Singapore; the next session is
Saturday 16 March 2030, 13:00 there (05:00 UTC), so reminders go from 05:00 UTC the day
before.
"""

from __future__ import annotations

import re
from datetime import UTC, datetime, time, timedelta

import pytest
import time_machine
from django.core import mail

from tests.group_therapy.helpers import make_group
from waypost.connect.groups import services, tasks
from waypost.connect.groups.models import SessionReminder

pytestmark = pytest.mark.django_db

NEXT = datetime(2030, 3, 16, 5, tzinfo=UTC)
DAY_BEFORE = datetime(2030, 3, 15, 6, tzinfo=UTC)  # 14:00 on Friday in Singapore
INDISCREET = re.compile(r"porn|sex|addict|recover|relapse|abstinen|urge|lapse", re.IGNORECASE)


@pytest.fixture
def group(cast, frozen):
    return make_group(cast, members=(cast.enrollment,))


def _run(at: datetime) -> dict[str, int]:
    with time_machine.travel(at, tick=False):
        return tasks.send_reminders()


def _assert_discreet(message) -> None:
    for text in (message.subject, message.body):
        assert not INDISCREET.search(text)
        assert "Saturday group" not in text  # not even the group's name
        assert "video.example" not in text and "Group room" not in text


def test_each_member_is_reminded_once_the_day_before(cast, group):
    assert _run(NEXT - timedelta(hours=25))["reminders"] == 0
    assert _run(DAY_BEFORE)["reminders"] == 1
    (message,) = mail.outbox
    assert message.to == [cast.client.email]
    assert message.subject == "Waypost: a reminder"
    assert "Saturday 16 March at 13:00 (Asia/Singapore time)" in message.body
    assert "/connect/groups/" in message.body
    _assert_discreet(message)
    assert _run(DAY_BEFORE + timedelta(minutes=15))["reminders"] == 0
    assert _run(NEXT - timedelta(minutes=5))["reminders"] == 0
    assert len(mail.outbox) == 1
    (row,) = SessionReminder.objects.all()
    assert (row.original_start, row.kind, row.mailed) == (NEXT, "reminder", True)


def test_the_time_is_in_the_members_own_zone(cast, group):
    cast.client.time_zone = "Europe/London"
    cast.client.save(update_fields=["time_zone"])
    _run(DAY_BEFORE)
    assert "Saturday 16 March at 05:00 (Europe/London time)" in mail.outbox[0].body


def test_quiet_hours_hold_the_reminder_until_they_end(cast, group):
    cast.client.quiet_hours_start, cast.client.quiet_hours_end = time(12), time(22)
    cast.client.save(update_fields=["quiet_hours_start", "quiet_hours_end"])
    assert _run(DAY_BEFORE) == {"reminders": 0, "notices": 0, "held": 1, "not_mailed": 0}
    assert not mail.outbox and not SessionReminder.objects.exists()
    # 22:15 in Singapore: quiet hours are over
    assert _run(datetime(2030, 3, 15, 14, 15, tzinfo=UTC))["reminders"] == 1
    assert len(mail.outbox) == 1


def test_reminders_turned_off_send_nothing_and_are_not_asked_again(cast, group):
    cast.client.email_reminders = False
    cast.client.save(update_fields=["email_reminders"])
    assert _run(DAY_BEFORE)["not_mailed"] == 1
    assert _run(DAY_BEFORE + timedelta(minutes=15))["not_mailed"] == 0
    assert not mail.outbox
    assert SessionReminder.objects.get().mailed is False


def test_a_cancelled_session_sends_a_short_notice_instead(cast, group):
    services.cancel_occurrence(programme=group, original=NEXT, by=cast.clinician, reason="Closed")
    result = _run(DAY_BEFORE)
    assert (result["reminders"], result["notices"]) == (0, 1)
    (message,) = mail.outbox
    assert message.subject == "Waypost: a change of plan"
    assert "Saturday 16 March at 13:00 (Asia/Singapore time) will not take place" in message.body
    assert "Closed" not in message.body
    _assert_discreet(message)
    assert _run(DAY_BEFORE + timedelta(minutes=15))["notices"] == 0


def test_a_member_reminded_before_the_session_was_called_off_hears_that_too(cast, group):
    _run(DAY_BEFORE)
    with time_machine.travel(DAY_BEFORE + timedelta(hours=1), tick=False):
        services.cancel_occurrence(programme=group, original=NEXT, by=cast.clinician)
    assert _run(DAY_BEFORE + timedelta(hours=1, minutes=15))["notices"] == 1
    assert [m.subject for m in mail.outbox] == ["Waypost: a reminder", "Waypost: a change of plan"]


def test_a_moved_session_is_reminded_at_its_new_time(cast, group):
    sunday = datetime(2030, 3, 17, 2, tzinfo=UTC)  # 10:00 on Sunday in Singapore
    services.move_occurrence(
        programme=group,
        original=NEXT,
        start=sunday,
        end=sunday + timedelta(hours=2),
        by=cast.clinician,
    )
    assert _run(DAY_BEFORE)["reminders"] == 0
    assert _run(sunday - timedelta(hours=20))["reminders"] == 1
    assert "Sunday 17 March at 10:00" in mail.outbox[0].body


def test_a_member_reminded_before_the_session_was_moved_hears_of_the_new_time(cast, group):
    # given a member reminded of Saturday's session
    assert _run(DAY_BEFORE)["reminders"] == 1
    # when it is moved to Sunday afterwards
    sunday = datetime(2030, 3, 17, 2, tzinfo=UTC)  # 10:00 on Sunday in Singapore
    with time_machine.travel(DAY_BEFORE + timedelta(hours=1), tick=False):
        services.move_occurrence(
            programme=group,
            original=NEXT,
            start=sunday,
            end=sunday + timedelta(hours=2),
            by=cast.clinician,
        )
    # then the day before Sunday they are reminded of the new time
    assert _run(sunday - timedelta(hours=20))["reminders"] == 1
    assert "Sunday 17 March at 10:00" in mail.outbox[1].body
    assert _run(sunday - timedelta(hours=19))["reminders"] == 0


def test_a_move_back_to_the_usual_time_is_reminded_again(cast, group):
    evening = datetime(2030, 3, 16, 10, tzinfo=UTC)  # 18:00 on Saturday in Singapore
    services.move_occurrence(
        programme=group,
        original=NEXT,
        start=evening,
        end=evening + timedelta(hours=2),
        by=cast.clinician,
    )
    assert _run(evening - timedelta(hours=23))["reminders"] == 1
    assert "Saturday 16 March at 18:00" in mail.outbox[0].body
    with time_machine.travel(evening - timedelta(hours=22), tick=False):
        services.restore_occurrence(programme=group, original=NEXT, by=cast.clinician)
    assert _run(evening - timedelta(hours=22) + timedelta(minutes=15))["reminders"] == 1
    assert "Saturday 16 March at 13:00" in mail.outbox[1].body


def test_a_session_held_after_all_is_reminded_again(cast, group):
    # given a member reminded, then told the session is off
    _run(DAY_BEFORE)
    with time_machine.travel(DAY_BEFORE + timedelta(hours=1), tick=False):
        services.cancel_occurrence(programme=group, original=NEXT, by=cast.clinician)
    assert _run(DAY_BEFORE + timedelta(hours=1, minutes=15))["notices"] == 1
    # when it is held after all, they are reminded of it again
    with time_machine.travel(DAY_BEFORE + timedelta(hours=2), tick=False):
        services.restore_occurrence(programme=group, original=NEXT, by=cast.clinician)
    assert _run(DAY_BEFORE + timedelta(hours=2, minutes=15))["reminders"] == 1
    # and if it is called off once more, they hear that too
    with time_machine.travel(DAY_BEFORE + timedelta(hours=3), tick=False):
        services.cancel_occurrence(programme=group, original=NEXT, by=cast.clinician)
    assert _run(DAY_BEFORE + timedelta(hours=3, minutes=15))["notices"] == 1
    assert [m.subject for m in mail.outbox] == [
        "Waypost: a reminder",
        "Waypost: a change of plan",
        "Waypost: a reminder",
        "Waypost: a change of plan",
    ]


def test_someone_who_left_the_group_is_not_reminded(cast, group):
    services.leave(member=group.members.get(), by=cast.client)
    assert _run(DAY_BEFORE)["reminders"] == 0
    assert not mail.outbox


def test_a_failed_send_is_tried_again_on_the_next_run(cast, group, monkeypatch):
    def refuse(*args, **kwargs):
        raise ConnectionRefusedError("mail server down")

    monkeypatch.setattr(tasks, "send_mail", refuse)
    assert _run(DAY_BEFORE)["reminders"] == 0
    assert not SessionReminder.objects.exists()
    monkeypatch.undo()
    assert _run(DAY_BEFORE + timedelta(minutes=15))["reminders"] == 1
