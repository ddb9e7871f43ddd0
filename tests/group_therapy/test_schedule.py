"""The recurrence module: wall-clock stable series, exceptions, windows; no database."""

from __future__ import annotations

from datetime import UTC, date, datetime, time, timedelta
from zoneinfo import ZoneInfo

import pytest
from hypothesis import assume, given
from hypothesis import strategies as st

from waypost.connect.groups import schedule
from waypost.connect.groups.schedule import Change, Series

ZONES = ["Europe/Amsterdam", "America/New_York", "Australia/Sydney", "Asia/Singapore"]
AMS = ZoneInfo("Europe/Amsterdam")


def _exists(moment: datetime) -> bool:
    """Whether a wall-clock time exists in its zone (not in a spring-forward gap)."""
    round_trip = moment.astimezone(UTC).astimezone(moment.tzinfo)
    return round_trip.replace(tzinfo=None) == moment.replace(tzinfo=None)


@st.composite
def series(draw, *, bounded: bool | None = None) -> Series:
    zone = ZoneInfo(draw(st.sampled_from(ZONES)))
    starts_on = draw(st.dates(date(2024, 1, 1), date(2032, 12, 31)))
    start_minutes = draw(st.integers(0, 22 * 4)) * 15
    length = draw(st.integers(1, 12)) * 15
    start = time(start_minutes // 60, start_minutes % 60)
    end_minutes = min(start_minutes + length, 23 * 60 + 59)
    end = time(end_minutes // 60, end_minutes % 60)
    interval = draw(st.integers(1, 4))
    weekday = draw(st.integers(0, 6))
    ends_on = count = None
    kind = draw(st.sampled_from(["open", "until", "count"])) if bounded is None else "count"
    first = starts_on + timedelta(days=(weekday - starts_on.weekday()) % 7)
    if kind == "until":
        ends_on = first + timedelta(days=draw(st.integers(0, 400)))
    elif kind == "count":
        count = draw(st.integers(1, 40))
    return Series(zone, starts_on, weekday, start, end, interval, ends_on, count)


def _window(s: Series, weeks: int = 60) -> tuple[datetime, datetime]:
    begin = datetime.combine(s.first_day - timedelta(days=3), time(0), tzinfo=UTC)
    return begin, begin + timedelta(weeks=weeks)


@given(series())
def test_every_occurrence_is_on_the_weekday_at_the_local_time(s):
    for o in schedule.occurrences(s, *_window(s)):
        wall = o.start.replace(tzinfo=None)
        assert wall.weekday() == s.weekday
        assert wall.time() == s.start
        assert o.end.replace(tzinfo=None).time() == s.end
        if _exists(o.start):
            # the instant, seen in the clinic's zone, is still that wall-clock time
            assert o.start.astimezone(UTC).astimezone(s.zone).time() == s.start


@given(series())
def test_the_interval_is_kept_in_local_days(s):
    found = schedule.occurrences(s, *_window(s, weeks=120))
    days = [o.start.date() for o in found]
    assert days == sorted(days)
    assert all((b - a).days == 7 * s.interval_weeks for a, b in zip(days, days[1:], strict=False))
    if found:
        assert days[0] == s.first_day and days[0] >= s.starts_on


@given(series())
def test_count_and_end_date_are_respected(s):
    found = schedule.occurrences(s, *_window(s, weeks=4 * 40 + 10))
    if s.count is not None:
        assert len(found) == s.count
    if s.ends_on is not None:
        assert all(o.start.date() <= s.ends_on for o in found)
        assert not schedule.occurrences(
            s, datetime.combine(s.ends_on + timedelta(days=2), time(0), tzinfo=UTC), _window(s)[1]
        )


@given(series(), st.integers(1, 30))
def test_adjacent_windows_neither_miss_nor_repeat(s, split_days):
    begin, end = _window(s, weeks=30)
    middle = begin + timedelta(days=split_days * 3, hours=split_days)
    whole = schedule.occurrences(s, begin, end)
    parts = schedule.occurrences(s, begin, middle) + schedule.occurrences(s, middle, end)
    assert whole == parts


@given(series(bounded=True), st.data())
def test_a_cancelled_session_is_gone_and_a_moved_one_is_there_once(s, data):
    everything = schedule.occurrences(s, *_window(s, weeks=200))
    assume(len(everything) >= 2)
    cancelled = data.draw(st.sampled_from(everything))
    moved = data.draw(st.sampled_from([o for o in everything if o != cancelled]))
    shift = timedelta(days=data.draw(st.integers(-20, 20)), hours=data.draw(st.integers(-5, 5)))
    new_start = moved.start.astimezone(UTC) + shift
    changes = [
        Change(cancelled.original.astimezone(UTC), cancelled=True),
        Change(moved.original, start=new_start, end=new_start + timedelta(hours=2), room="B"),
    ]
    begin, end = _window(s, weeks=200)
    begin -= timedelta(weeks=4)
    found = schedule.occurrences(s, begin, end, changes)
    originals = [o.original.astimezone(UTC) for o in found]
    assert cancelled.original.astimezone(UTC) not in originals
    assert originals.count(moved.original.astimezone(UTC)) == 1
    (placed,) = [o for o in found if o.moved]
    assert schedule.same_instant(placed.start, new_start) and placed.room == "B"
    assert len(found) == len(everything) - 1
    # with the cancelled ones kept, it is there once, marked, at its own time
    kept = schedule.occurrences(s, begin, end, changes, include_cancelled=True)
    assert [o.cancelled for o in kept].count(True) == 1
    # asked for by its key, each comes back as it now is
    assert schedule.occurrence(s, cancelled.original, changes).cancelled
    assert schedule.occurrence(s, moved.original, changes).moved


@given(series(), st.sampled_from(["UTC", "Pacific/Auckland", "America/Los_Angeles"]))
def test_viewers_in_other_zones_see_the_same_instants(s, viewer_name):
    viewer = ZoneInfo(viewer_name)
    begin, end = _window(s, weeks=30)
    here = schedule.occurrences(s, begin, end)
    there = schedule.occurrences(s, begin.astimezone(viewer), end.astimezone(viewer))
    assert [o.start.astimezone(UTC) for o in here] == [o.start.astimezone(UTC) for o in there]


@given(series())
def test_each_occurrence_is_found_again_by_its_key(s):
    for o in schedule.occurrences(s, *_window(s, weeks=20)):
        original = schedule.parse_key(o.key)
        assert original is not None and schedule.same_instant(original, o.original)
        assert s.is_occurrence(original)
        assert not s.is_occurrence(original + timedelta(minutes=15))


# --- daylight saving, by example -----------------------------------------------------------------


@pytest.mark.parametrize(
    ("zone", "before", "after"),
    [
        # Amsterdam: clocks go forward on 31 March 2030 (UTC+1 → UTC+2)
        ("Europe/Amsterdam", date(2030, 3, 30), date(2030, 4, 6)),
        # New York: forward on 10 March 2030 (UTC-5 → UTC-4)
        ("America/New_York", date(2030, 3, 9), date(2030, 3, 16)),
        # Sydney: back on 7 April 2030 (UTC+11 → UTC+10)
        ("Australia/Sydney", date(2030, 4, 6), date(2030, 4, 13)),
    ],
)
def test_thirteen_hundred_stays_thirteen_hundred_across_the_change(zone, before, after):
    s = Series(ZoneInfo(zone), before, 5, time(13), time(15))
    first, second = schedule.occurrences(
        s, datetime.combine(before, time(0), tzinfo=UTC), datetime.combine(after, time(23), UTC)
    )
    assert first.start.astimezone(s.zone).time() == second.start.astimezone(s.zone).time()
    # … so the instant moves by the change of offset
    gap = second.start.astimezone(UTC) - first.start.astimezone(UTC)
    assert gap != timedelta(weeks=1)
    assert abs(gap - timedelta(weeks=1)) == timedelta(hours=1)


def test_a_viewer_in_new_york_sees_an_amsterdam_group_an_hour_earlier_after_europe_changes():
    # Every Saturday 13:00 Amsterdam; the US is already on summer time, Europe not yet.
    s = Series(AMS, date(2030, 3, 23), 5, time(13), time(15))
    new_york = ZoneInfo("America/New_York")
    found = schedule.occurrences(
        s, datetime(2030, 3, 23, tzinfo=UTC), datetime(2030, 4, 7, tzinfo=UTC)
    )
    seen = [o.start.astimezone(new_york).strftime("%d %H:%M") for o in found]
    assert seen == ["23 08:00", "30 08:00", "06 07:00"]


def test_a_time_inside_the_spring_gap_is_read_with_the_offset_before_it():
    # 02:30 does not exist in New York on 10 March 2030; RFC 5545 and zoneinfo agree: 03:30 EDT.
    s = Series(ZoneInfo("America/New_York"), date(2030, 3, 10), 6, time(2, 30), time(4))
    (o,) = schedule.occurrences(
        s, datetime(2030, 3, 10, tzinfo=UTC), datetime(2030, 3, 11, tzinfo=UTC)
    )
    assert o.start.astimezone(UTC) == datetime(2030, 3, 10, 7, 30, tzinfo=UTC)
    assert s.is_occurrence(datetime(2030, 3, 10, 7, 30, tzinfo=UTC))


def test_next_occurrence_skips_cancelled_ones_and_finds_one_moved_far_ahead():
    s = Series(AMS, date(2030, 1, 5), 5, time(13), time(15), interval_weeks=2, count=3)
    first, second, third = schedule.occurrences(
        s, datetime(2030, 1, 1, tzinfo=UTC), datetime(2030, 3, 1, tzinfo=UTC)
    )
    far = datetime(2030, 9, 1, 11, tzinfo=UTC)
    changes = [
        Change(first.original, cancelled=True),
        Change(second.original, cancelled=True),
        Change(third.original, start=far, end=far + timedelta(hours=2)),
    ]
    found = schedule.next_occurrence(s, datetime(2030, 1, 1, tzinfo=UTC), changes)
    assert found is not None and found.moved and found.start.astimezone(UTC) == far
    assert schedule.next_occurrence(s, far + timedelta(hours=1), changes) is None


def test_impossible_series_are_refused():
    with pytest.raises(schedule.ScheduleError):
        Series(AMS, date(2030, 1, 1), 5, time(15), time(13))
    with pytest.raises(schedule.ScheduleError):
        Series(AMS, date(2030, 1, 1), 5, time(13), time(15), interval_weeks=0)
    with pytest.raises(schedule.ScheduleError):
        Series(AMS, date(2030, 1, 10), 5, time(13), time(15), ends_on=date(2030, 1, 11))


@pytest.mark.parametrize("key", ["", "nonsense", "20301301T000000Z", "2030-03-02T05:00:00Z", None])
def test_junk_keys_name_no_occurrence(key):
    assert schedule.parse_key(key) is None


@pytest.mark.parametrize("key", ["99991231T235959Z", "00010101T000000Z", "18500101T000000Z"])
def test_keys_far_outside_any_groups_life_name_no_occurrence(key):
    # they parse as dates, but turning them into a local time can overflow
    assert schedule.parse_key(key) is None


def test_a_key_of_a_real_session_still_names_it():
    moment = datetime(2030, 3, 2, 5, tzinfo=UTC)
    assert schedule.parse_key(schedule.occurrence_key(moment)) == moment
