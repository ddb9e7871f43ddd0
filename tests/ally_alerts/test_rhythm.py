"""When an alert is due: at once, at the evening digest, or at Sunday evening's."""

from __future__ import annotations

from datetime import UTC, datetime, timedelta
from zoneinfo import ZoneInfo

import pytest
from hypothesis import given
from hypothesis import strategies as st

from waypost.connect.alerts import rhythm

SINGAPORE = ZoneInfo("Asia/Singapore")
LONDON = ZoneInfo("Europe/London")


def local(*args: int, zone=SINGAPORE) -> datetime:
    return datetime(*args, tzinfo=zone)


def test_immediately_is_when_it_was_raised():
    raised = local(2026, 6, 2, 9, 0)
    assert rhythm.due_at(rhythm.IMMEDIATE, raised, SINGAPORE) == raised


def test_the_daily_digest_is_the_first_evening_after_it_was_raised():
    # a Tuesday morning's update goes that evening …
    assert rhythm.due_at(rhythm.DAILY, local(2026, 6, 2, 9, 0), SINGAPORE) == local(
        2026, 6, 2, 18, 0
    )
    # … one raised at 18:00 or later, the next evening
    assert rhythm.due_at(rhythm.DAILY, local(2026, 6, 2, 18, 0), SINGAPORE) == local(
        2026, 6, 3, 18, 0
    )
    assert rhythm.due_at(rhythm.DAILY, local(2026, 6, 2, 23, 30), SINGAPORE) == local(
        2026, 6, 3, 18, 0
    )


def test_the_weekly_digest_is_the_first_sunday_evening_after_it_was_raised():
    # Tuesday 2 June 2026 → Sunday 7 June
    assert rhythm.due_at(rhythm.WEEKLY, local(2026, 6, 2, 9, 0), SINGAPORE) == local(
        2026, 6, 7, 18, 0
    )
    # Sunday morning → that evening; Sunday night → the next Sunday
    assert rhythm.due_at(rhythm.WEEKLY, local(2026, 6, 7, 8, 0), SINGAPORE) == local(
        2026, 6, 7, 18, 0
    )
    assert rhythm.due_at(rhythm.WEEKLY, local(2026, 6, 7, 19, 0), SINGAPORE) == local(
        2026, 6, 14, 18, 0
    )


def test_the_evening_is_the_allys_own_across_a_clock_change():
    # London moves its clocks on Sunday 29 March 2026: 18:00 that day is BST (17:00 UTC)
    due = rhythm.due_at(rhythm.DAILY, local(2026, 3, 29, 0, 30, zone=LONDON), LONDON)
    assert due == datetime(2026, 3, 29, 17, 0, tzinfo=UTC)


def test_an_unknown_rhythm_or_a_naive_time_is_refused():
    with pytest.raises(ValueError):
        rhythm.due_at("hourly", local(2026, 6, 2, 9, 0), SINGAPORE)
    with pytest.raises(ValueError):
        rhythm.due_at(rhythm.DAILY, datetime(2026, 6, 2, 9, 0), SINGAPORE)  # noqa: DTZ001


# hypothesis takes naive bounds; the instants are then read as UTC.
moments = st.datetimes(
    min_value=datetime(2020, 1, 1),  # noqa: DTZ001
    max_value=datetime(2035, 12, 31),  # noqa: DTZ001
).map(lambda naive: naive.replace(tzinfo=UTC))
zones = st.sampled_from([SINGAPORE, LONDON, ZoneInfo("America/New_York"), ZoneInfo("UTC")])


@given(raised=moments, zone=zones)
def test_a_daily_digest_comes_after_the_alert_within_a_day_at_six_in_the_evening(raised, zone):
    due = rhythm.due_at(rhythm.DAILY, raised, zone)
    assert raised < due <= raised + timedelta(days=1, hours=1)
    assert (due.astimezone(zone).hour, due.astimezone(zone).minute) == (18, 0)


@given(raised=moments, zone=zones)
def test_a_weekly_digest_comes_after_the_alert_within_a_week_on_sunday_evening(raised, zone):
    due = rhythm.due_at(rhythm.WEEKLY, raised, zone)
    assert raised < due <= raised + timedelta(days=7, hours=1)
    assert due.astimezone(zone).weekday() == rhythm.WEEKLY_DAY
    assert due.astimezone(zone).hour == 18
    assert rhythm.is_due(rhythm.WEEKLY, raised, zone, due)
    assert not rhythm.is_due(rhythm.WEEKLY, raised, zone, due - timedelta(seconds=1))
