"""When a weekly meeting starts, in its own zone, across daylight saving time: the pure module."""

from __future__ import annotations

import zoneinfo
from datetime import UTC, date, datetime, time, timedelta
from itertools import islice

from hypothesis import given
from hypothesis import strategies as st

from waypost.connect.meetings import schedule

NEW_YORK = zoneinfo.ZoneInfo("America/New_York")
LONDON = zoneinfo.ZoneInfo("Europe/London")
SINGAPORE = zoneinfo.ZoneInfo("Asia/Singapore")
LORD_HOWE = zoneinfo.ZoneInfo("Australia/Lord_Howe")  # a half-hour change of clocks

ZONES = sorted(zoneinfo.available_timezones())
DST_ZONES = [
    "America/New_York",
    "Europe/London",
    "Europe/Berlin",
    "Australia/Sydney",
    "Australia/Lord_Howe",
    "America/Santiago",
    "Pacific/Auckland",
    "America/Havana",  # changes at midnight
    "Asia/Beirut",  # changes at midnight
]

zones = st.one_of(st.sampled_from(ZONES), st.sampled_from(DST_ZONES)).map(zoneinfo.ZoneInfo)
wall_times = st.builds(time, st.integers(0, 23), st.sampled_from([0, 15, 30, 45, 59]))
day_sets = st.lists(st.integers(0, 6), min_size=1, max_size=7, unique=True)
# hypothesis takes naive bounds and makes aware instants from them
instants = st.datetimes(
    min_value=datetime(2016, 1, 1),  # noqa: DTZ001
    max_value=datetime(2036, 12, 31),  # noqa: DTZ001
    timezones=st.just(UTC),
)


def _local(moment: datetime, zone: zoneinfo.ZoneInfo) -> datetime:
    return moment.astimezone(zone)


# --- examples: the DST rules, as documented --------------------------------------------------


def test_day_numbers_are_meeting_guides_sunday_first():
    assert schedule.day_number(date(2025, 3, 9)) == 0  # a Sunday
    assert schedule.day_number(date(2025, 3, 10)) == 1
    assert schedule.day_number(date(2025, 3, 15)) == 6


def test_a_meeting_in_the_spring_forward_gap_starts_as_much_later_as_the_clocks_jumped():
    # 9 March 2025, New York: 02:00 -> 03:00. A Sunday meeting at 02:30 starts at 03:30 EDT.
    sunday = date(2025, 3, 9)
    assert not schedule.wall_time_exists(sunday, time(2, 30), NEW_YORK)
    start = schedule.start_on(sunday, time(2, 30), NEW_YORK)
    assert _local(start, NEW_YORK).time() == time(3, 30)
    assert start == datetime(2025, 3, 9, 7, 30, tzinfo=UTC)


def test_a_meeting_in_the_autumn_fold_starts_at_the_first_of_the_two_times():
    # 2 November 2025, New York: 02:00 EDT -> 01:00 EST. 01:30 happens twice; the first counts.
    sunday = date(2025, 11, 2)
    start = schedule.start_on(sunday, time(1, 30), NEW_YORK)
    assert start == datetime(2025, 11, 2, 5, 30, tzinfo=UTC)  # 01:30 EDT, not 06:30 (EST)
    assert schedule.wall_time_exists(sunday, time(1, 30), NEW_YORK)


def test_a_weekly_meeting_keeps_its_wall_time_when_its_zone_changes_clocks():
    # Mondays 19:00 in London: 18:00 UTC in summer, 19:00 UTC in winter.
    after = datetime(2025, 10, 20, tzinfo=UTC)
    starts = list(islice(schedule.occurrences([1], time(19), LONDON, after), 2))
    assert starts == [
        datetime(2025, 10, 20, 18, tzinfo=UTC),
        datetime(2025, 10, 27, 19, tzinfo=UTC),
    ]
    assert starts[1] - starts[0] == timedelta(days=7, hours=1)


def test_a_start_exactly_at_the_instant_counts_and_one_just_before_does_not():
    at = datetime(2025, 3, 10, 12, tzinfo=UTC)  # Monday 20:00 in Singapore
    assert schedule.next_start([1], time(20), SINGAPORE, at) == at
    later = schedule.next_start([1], time(20), SINGAPORE, at + timedelta(seconds=1))
    assert later == at + timedelta(days=7)


def test_a_meeting_by_appointment_never_starts():
    at = datetime(2025, 3, 10, tzinfo=UTC)
    assert schedule.next_start([], time(20), SINGAPORE, at) is None
    assert schedule.starts_within([], time(20), SINGAPORE, at, 48) is None


def test_naive_instants_are_refused():
    try:
        next(schedule.occurrences([1], time(20), SINGAPORE, datetime(2025, 3, 10)))  # noqa: DTZ001
    except ValueError:
        pass
    else:
        raise AssertionError("a naive instant was accepted")


def test_ends_at_uses_the_end_time_or_an_hour_and_runs_past_midnight():
    start = schedule.start_on(date(2025, 3, 10), time(23, 30), SINGAPORE)
    assert schedule.ends_at(start, time(23, 30), None, SINGAPORE) - start == timedelta(hours=1)
    assert schedule.ends_at(start, time(23, 30), time(0, 45), SINGAPORE) - start == timedelta(
        hours=1, minutes=15
    )


def test_time_windows_may_run_past_midnight_and_be_open_on_one_side():
    assert schedule.in_window(time(23), time(22), time(2))
    assert schedule.in_window(time(1), time(22), time(2))
    assert not schedule.in_window(time(12), time(22), time(2))
    assert schedule.in_window(time(8), None, time(9))
    assert not schedule.in_window(time(10), None, time(9))
    assert schedule.in_window(time(10), time(9), None)
    assert schedule.in_window(time(3), None, None)


def test_weekly_slots_are_in_the_viewers_zone():
    # Monday 20:00 in New York is Tuesday 09:00 in Singapore (in March, after DST begins).
    now = datetime(2025, 3, 12, tzinfo=UTC)
    (slot,) = schedule.weekly_slots([1], time(20), NEW_YORK, SINGAPORE, now)
    assert slot.tzinfo == SINGAPORE
    assert (schedule.day_number(slot.date()), slot.time()) == (2, time(8))


# --- properties ------------------------------------------------------------------------------


@given(zone=zones, at=wall_times, days=day_sets, after=instants)
def test_every_start_is_at_the_wall_time_on_one_of_its_days_or_shifted_out_of_a_gap(
    zone, at, days, after
):
    for start in islice(schedule.occurrences(days, at, zone, after), 9):
        local = _local(start, zone)
        if local.time() == at and schedule.day_number(local.date()) in days:
            continue
        # The only exception: the wall time does not exist that day (clocks jumped over it),
        # and the start is that wall time read with the offset before the jump.
        day = next(
            d
            for d in (local.date(), local.date() - timedelta(days=1))
            if schedule.day_number(d) in days and schedule.start_on(d, at, zone) == start
        )
        assert not schedule.wall_time_exists(day, at, zone)


@given(zone=zones, at=wall_times, days=day_sets, after=instants)
def test_starts_are_at_or_after_the_instant_and_strictly_increasing(zone, at, days, after):
    starts = list(islice(schedule.occurrences(days, at, zone, after), 15))
    assert starts[0] >= after
    assert all(a < b for a, b in zip(starts, starts[1:], strict=False))
    # a week never passes without a start
    assert starts[0] - after <= timedelta(days=7, hours=3)


@given(zone=zones, at=wall_times, day=st.integers(0, 6), after=instants)
def test_one_day_a_week_starts_are_seven_days_apart_give_or_take_the_change_of_offset(
    zone, at, day, after
):
    starts = list(islice(schedule.occurrences([day], at, zone, after), 6))
    for first, second in zip(starts, starts[1:], strict=False):
        a, b = _local(first, zone), _local(second, zone)
        if a.time() != at or b.time() != at:
            continue  # one of them was shifted out of a gap
        offset_change = b.utcoffset() - a.utcoffset()
        assert second - first == timedelta(days=7) - offset_change


@given(
    zone=zones,
    at=wall_times,
    days=day_sets,
    after=instants,
    hours=st.sampled_from([0.5, 1, 2, 3, 6, 24, 49]),
)
def test_starting_within_n_hours_agrees_with_brute_force(zone, at, days, after, hours):
    end = after + timedelta(hours=hours)
    # brute force: every local date around the window, each of its days, kept if in it
    first_day = after.astimezone(zone).date() - timedelta(days=3)
    brute = sorted(
        {
            start
            for n in range(int(hours // 24) + 7)
            for d in [first_day + timedelta(days=n)]
            if schedule.day_number(d) in days
            for start in [schedule.start_on(d, at, zone)]
            if after <= start <= end
        }
    )
    assert schedule.starts_between(days, at, zone, after, end) == brute
    first = schedule.starts_within(days, at, zone, after, hours)
    assert first == (brute[0] if brute else None)


@given(at=wall_times, day=st.integers(0, 6), after=instants)
def test_lord_howe_half_hour_changes_keep_the_wall_time(at, day, after):
    for start in islice(schedule.occurrences([day], at, LORD_HOWE, after), 4):
        local = _local(start, LORD_HOWE)
        assert local.time() == at or not schedule.wall_time_exists(local.date(), at, LORD_HOWE)
