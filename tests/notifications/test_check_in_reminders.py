"""The check-in reminder: the client's chosen local time, once a day, only when it is due.

The cast's client is in Stage 2 at a Singapore clinic (UTC+8, no summer time) and
chose no zone of their own, so their day is Singapore's unless a test says otherwise.
"""

from __future__ import annotations

import uuid
from datetime import UTC, date, datetime, time, timedelta
from zoneinfo import ZoneInfo

import pytest
import time_machine
from django.core import mail
from django.utils import timezone
from hypothesis import given
from hypothesis import strategies as st

from tests.notifications.helpers import choose, quiet
from waypost.accounts.models import User
from waypost.notifications.models import Notification, PushSubscription
from waypost.program.services import change_stage
from waypost.recovery import check_in_rhythm, reminders, tasks
from waypost.recovery.models import CheckIn

pytestmark = pytest.mark.django_db

SINGAPORE = ZoneInfo("Asia/Singapore")
LONDON = ZoneInfo("Europe/London")
KIND = reminders.CHECK_IN.key


def run(at: datetime) -> dict[str, int]:
    with time_machine.travel(at, tick=False):
        return reminders.send_check_in_reminders()


def sweep(start: datetime, end: datetime) -> list[datetime]:
    """The task every 15 minutes from ``start`` to ``end``: when it reminded someone."""
    sent = []
    at = start
    while at <= end:
        if run(at)["reminded"]:
            sent.append(at)
        at += timedelta(minutes=15)
    return sent


def checked_in(cast, day: date) -> None:
    now = timezone.now()
    CheckIn.objects.create(
        enrollment=cast.enrollment,
        local_date=day,
        client_uuid=uuid.uuid4(),
        sober=True,
        mood=3,
        urge=2,
        created_at=now,
        updated_at=now,
    )


LONG_AGO = datetime(2025, 1, 1, tzinfo=UTC)


def chosen(*args, **kwargs) -> None:
    """A choice made long before the days these tests run on."""
    with time_machine.travel(LONG_AGO, tick=False):
        choose(*args, **kwargs)


@pytest.fixture
def at_eight(cast):
    """The client chose 20:00 long ago (in the list and on their devices: the defaults)."""
    chosen(cast.client, KIND, in_app=True, email=False, push=True, at=time(20, 0))


def test_it_comes_at_the_chosen_local_time_once_a_day(cast, at_eight):
    day = datetime(2026, 3, 2, tzinfo=SINGAPORE)
    sent = sweep(day.replace(hour=18), day.replace(hour=23, minute=45))
    assert [at.astimezone(SINGAPORE).time() for at in sent] == [time(20, 0)]
    row = Notification.objects.get()
    assert (row.user, row.kind, row.url, row.shown) == (cast.client, KIND, "/checkin/", True)
    assert row.title == "Time for your check-in"
    assert row.dedupe_key.endswith(":2026-03-02")
    assert mail.outbox == []  # e-mail was not chosen
    # the next day, again once
    sent = sweep(day.replace(hour=19) + timedelta(days=1), day.replace(hour=22) + timedelta(days=1))
    assert len(sent) == 1 and Notification.objects.count() == 2


def test_a_day_already_checked_in_brings_no_reminder(cast, at_eight):
    checked_in(cast, date(2026, 3, 2))
    assert run(datetime(2026, 3, 2, 20, 5, tzinfo=SINGAPORE))["reminded"] == 0
    assert not Notification.objects.exists()


def test_a_time_chosen_after_it_passed_today_starts_tomorrow(cast):
    day = datetime(2026, 3, 2, tzinfo=SINGAPORE)
    with time_machine.travel(day.replace(hour=21), tick=False):
        choose(cast.client, KIND, at=time(20, 0))
    assert sweep(day.replace(hour=21, minute=15), day.replace(hour=23, minute=45)) == []
    assert run(day.replace(hour=20) + timedelta(days=1))["reminded"] == 1


def test_no_time_chosen_means_no_reminder(cast):
    chosen(cast.client, KIND, at=None)
    assert run(datetime(2026, 3, 2, 21, 0, tzinfo=SINGAPORE)) == {
        "reminded": 0,
        "held": 0,
        "not_due": 0,
        "already": 0,
    }


def test_every_channel_off_means_no_reminder(cast):
    chosen(cast.client, KIND, in_app=False, email=False, push=False, at=time(20, 0))
    run(datetime(2026, 3, 2, 21, 0, tzinfo=SINGAPORE))
    assert not Notification.objects.exists()


def test_before_stage_two_there_is_no_check_in_to_remind_of(cast):
    chosen(cast.foreign_client, KIND, at=time(0, 0))  # any hour of the day has reached it
    run(datetime(2026, 3, 2, 12, 0, tzinfo=SINGAPORE))
    assert not Notification.objects.filter(user=cast.foreign_client).exists()


def test_the_clients_own_time_zone_wins_over_the_clinics(cast, at_eight):
    User.objects.filter(pk=cast.client.pk).update(time_zone="Europe/London")
    # 20:00 in Singapore is 12:00 in London: not yet
    assert run(datetime(2026, 1, 15, 20, 0, tzinfo=SINGAPORE))["reminded"] == 0
    assert run(datetime(2026, 1, 15, 20, 0, tzinfo=LONDON))["reminded"] == 1
    assert Notification.objects.get().dedupe_key.endswith(":2026-01-15")


def test_it_follows_summer_time(cast, at_eight):
    # London moves its clocks forward on Sunday 29 March 2026: 20:00 is 20:00 UTC the
    # day before and 19:00 UTC that day
    User.objects.filter(pk=cast.client.pk).update(time_zone="Europe/London")
    sent = sweep(
        datetime(2026, 3, 28, 12, 0, tzinfo=UTC), datetime(2026, 3, 29, 23, 45, tzinfo=UTC)
    )
    assert sent == [
        datetime(2026, 3, 28, 20, 0, tzinfo=UTC),
        datetime(2026, 3, 29, 19, 0, tzinfo=UTC),
    ]
    assert all(at.astimezone(LONDON).time() == time(20, 0) for at in sent)


def test_a_time_the_clocks_skip_comes_as_they_jump(cast):
    # 01:30 does not exist in London on 29 March 2026 (01:00 becomes 02:00)
    User.objects.filter(pk=cast.client.pk).update(time_zone="Europe/London")
    chosen(cast.client, KIND, at=time(1, 30))
    sent = sweep(datetime(2026, 3, 29, 0, 0, tzinfo=UTC), datetime(2026, 3, 29, 3, 0, tzinfo=UTC))
    assert sent == [datetime(2026, 3, 29, 1, 0, tzinfo=UTC)]  # 02:00 in London, just after


def test_a_time_the_clocks_repeat_comes_once(cast):
    # 01:30 happens twice in London on 25 October 2026
    User.objects.filter(pk=cast.client.pk).update(time_zone="Europe/London")
    chosen(cast.client, KIND, at=time(1, 30))
    sent = sweep(
        datetime(2026, 10, 24, 23, 0, tzinfo=UTC), datetime(2026, 10, 25, 3, 0, tzinfo=UTC)
    )
    assert sent == [datetime(2026, 10, 25, 0, 30, tzinfo=UTC)]


def test_quiet_hours_hold_the_email_until_they_end_the_same_day(cast):
    chosen(cast.client, KIND, in_app=True, email=True, push=False, at=time(20, 0))
    quiet(cast.client, time(19, 30), time(21, 0))
    day = datetime(2026, 3, 2, tzinfo=SINGAPORE)
    assert run(day.replace(hour=20))["held"] == 1
    # the list at once (it interrupts nobody), the e-mail not yet
    listed = Notification.objects.get()
    assert listed.shown and not listed.emailed and listed.url == "/checkin/"
    assert mail.outbox == []
    sent = sweep(day.replace(hour=20, minute=15), day.replace(hour=23))
    assert [at.astimezone(SINGAPORE).time() for at in sent] == [time(21, 0)]
    (message,) = mail.outbox
    assert message.subject == "Waypost: a reminder"
    assert "/checkin/" in message.body
    # and the list has it once, not twice
    assert Notification.objects.filter(shown=True).count() == 1


def test_a_reminder_in_overnight_quiet_hours_is_in_the_list_at_once(cast):
    # 22:30, quiet 22:00 to 07:00: by the end of quiet hours it is another day
    chosen(cast.client, KIND, in_app=True, email=True, push=False, at=time(22, 30))
    quiet(cast.client, time(22, 0), time(7, 0))
    day = datetime(2026, 3, 2, tzinfo=SINGAPORE)
    sweep(day.replace(hour=21), day.replace(hour=23, minute=45) + timedelta(hours=9))
    row = Notification.objects.get()
    assert row.shown and row.dedupe_key.startswith(
        reminders.dedupe_key(cast.enrollment, day.date())
    )
    assert row.created_at == day.replace(hour=22, minute=30)
    assert mail.outbox == []  # no e-mail at seven for last night's check-in


def test_a_time_after_the_days_last_run_comes_at_midnight_for_its_day(cast):
    chosen(cast.client, KIND, in_app=True, email=False, push=False, at=time(23, 50))
    day = datetime(2026, 3, 2, tzinfo=SINGAPORE)
    sent = sweep(day.replace(hour=23), day.replace(hour=23) + timedelta(hours=2))
    assert sent == [day + timedelta(days=1)]  # the run at 00:00
    assert Notification.objects.get().dedupe_key.endswith(":2026-03-02")


def test_a_missed_time_of_yesterday_does_not_come_hours_later(cast):
    chosen(cast.client, KIND, in_app=True, email=False, push=False, at=time(23, 50))
    assert run(datetime(2026, 3, 3, 0, 30, tzinfo=SINGAPORE))["reminded"] == 0
    assert not Notification.objects.exists()


def test_yesterdays_time_checked_in_brings_nothing_at_midnight(cast):
    chosen(cast.client, KIND, in_app=True, email=False, push=False, at=time(23, 50))
    checked_in(cast, date(2026, 3, 2))
    assert run(datetime(2026, 3, 3, 0, 0, tzinfo=SINGAPORE))["reminded"] == 0


def test_saving_other_choices_keeps_todays_reminder(cast, at_eight):
    from waypost.notifications import choices, services
    from waypost.notifications.kinds import Channel

    day = datetime(2026, 3, 2, tzinfo=SINGAPORE)
    with time_machine.travel(day.replace(hour=19), tick=False):
        current = dict((kind.key, choice) for kind, choice in services.choices_for(cast.client))
        current["assessments.due"] = choices.Choice(frozenset({Channel.IN_APP}))
        services.save_choices(user=cast.client, chosen=current)
    assert run(day.replace(hour=20))["reminded"] == 1


def test_changing_the_time_after_it_passed_today_starts_tomorrow(cast, at_eight):
    from waypost.notifications import choices, services
    from waypost.notifications.kinds import Channel

    day = datetime(2026, 3, 2, tzinfo=SINGAPORE)
    with time_machine.travel(day.replace(hour=21), tick=False):
        services.save_choices(
            user=cast.client,
            chosen={KIND: choices.Choice(frozenset({Channel.IN_APP}), time(20, 30))},
        )
    assert run(day.replace(hour=21, minute=15))["reminded"] == 0
    assert run(day.replace(hour=20, minute=30) + timedelta(days=1))["reminded"] == 1


def test_two_workers_at_once_remind_once(cast, at_eight):
    at = datetime(2026, 3, 2, 20, 0, tzinfo=SINGAPORE)
    assert run(at)["reminded"] == 1
    assert run(at) == {"reminded": 0, "held": 0, "not_due": 0, "already": 1}
    assert Notification.objects.count() == 1


def test_a_device_gets_it_too(cast, at_eight, django_capture_on_commit_callbacks):
    from waypost.notifications import services

    services.subscribe_device(
        user=cast.client,
        endpoint="https://push.example.org/x",
        p256dh="BN" + "A" * 85,
        auth="A" * 22,
    )
    with django_capture_on_commit_callbacks() as queued:
        run(datetime(2026, 3, 2, 20, 0, tzinfo=SINGAPORE))
    assert Notification.objects.get().push == Notification.Push.WAITING
    assert len(queued) == 1
    assert PushSubscription.objects.count() == 1


def test_the_periodic_task_runs_the_sweep(cast, at_eight):
    with time_machine.travel(datetime(2026, 3, 2, 20, 0, tzinfo=SINGAPORE), tick=False):
        assert tasks.remind_to_check_in.call_local()["reminded"] == 1


# --- the rhythm --------------------------------------------------------------------------


@pytest.mark.parametrize(
    ("rhythm", "days_since", "expected"),
    [
        ("daily", 1, True),
        ("several", 1, False),
        ("several", 2, True),
        ("weekly", 6, False),
        ("weekly", 7, True),
        ("unknown", 1, True),  # an answer nobody knows: daily
    ],
)
def test_which_days_each_rhythm_expects(rhythm, days_since, expected):
    today = date(2026, 3, 10)
    assert (
        check_in_rhythm.is_expected(rhythm, today, today - timedelta(days=days_since)) is expected
    )
    assert check_in_rhythm.is_expected(rhythm, today, None) is True


@given(
    rhythm=st.sampled_from(sorted(check_in_rhythm.GAP_DAYS)),
    latest=st.dates(min_value=date(2020, 1, 1), max_value=date(2030, 1, 1)),
    later=st.integers(min_value=0, max_value=30),
)
def test_once_expected_a_check_in_stays_expected_until_one_is_made(rhythm, latest, later):
    # the day after the last check-in is never expected unless the rhythm is daily, and
    # a day that is expected stays expected on every later day without a check-in
    gap = check_in_rhythm.GAP_DAYS[rhythm]
    first = latest + timedelta(days=gap)
    assert check_in_rhythm.is_expected(rhythm, first, latest)
    assert check_in_rhythm.is_expected(rhythm, first + timedelta(days=later), latest)
    assert not check_in_rhythm.is_expected(rhythm, first - timedelta(days=1), latest)


def _stage_four_with_plan(cast, rhythm: str) -> None:
    from waypost.flourish.services.maintenance import save_maintenance_plan

    change_stage(enrollment=cast.enrollment, to_stage=3, reason="Ready.", by=cast.clinician)
    change_stage(enrollment=cast.enrollment, to_stage=4, reason="Steady.", by=cast.clinician)
    cast.enrollment.refresh_from_db()
    save_maintenance_plan(
        enrollment=cast.enrollment,
        by=cast.client,
        rhythm=rhythm,
        warning_signs=["Staying up late alone"],
        if_they_appear=["Call my sponsor"],
    )


def test_stage_four_follows_the_maintenance_plans_lighter_rhythm(cast, at_eight):
    # given a client in Stage 4 whose plan says "once a week", last checked in 3 days ago
    _stage_four_with_plan(cast, "weekly")
    checked_in(cast, date(2026, 3, 7))
    assert check_in_rhythm.rhythm_of(cast.enrollment) == "weekly"
    # then no reminder on the 10th, and one once a week has passed, on the 14th
    assert run(datetime(2026, 3, 10, 20, 0, tzinfo=SINGAPORE))["not_due"] == 1
    assert run(datetime(2026, 3, 13, 20, 0, tzinfo=SINGAPORE))["reminded"] == 0
    assert run(datetime(2026, 3, 14, 20, 0, tzinfo=SINGAPORE))["reminded"] == 1


def test_a_plan_kept_after_stepping_back_no_longer_lightens_the_rhythm(cast, at_eight):
    _stage_four_with_plan(cast, "weekly")
    change_stage(enrollment=cast.enrollment, to_stage=3, reason="More support.", by=cast.clinician)
    cast.enrollment.refresh_from_db()
    assert check_in_rhythm.rhythm_of(cast.enrollment) == "daily"
    checked_in(cast, date(2026, 3, 9))
    assert run(datetime(2026, 3, 10, 20, 0, tzinfo=SINGAPORE))["reminded"] == 1


def test_without_a_provider_the_rhythm_is_daily(cast):
    saved = dict(check_in_rhythm._providers)
    check_in_rhythm._providers.clear()
    try:
        assert check_in_rhythm.rhythm_of(cast.enrollment) == "daily"
        check_in_rhythm.register("test", lambda e: "several")
        assert check_in_rhythm.rhythm_of(cast.enrollment) == "several"
    finally:
        check_in_rhythm._providers.clear()
        check_in_rhythm._providers.update(saved)
