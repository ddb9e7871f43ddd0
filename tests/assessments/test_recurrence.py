"""Weeks counted on the clinic's wall clock: the invariants of ``assessments.recurrence``.

Pure functions, no database: hypothesis tries any start, any zone, any period.
"""

from __future__ import annotations

from datetime import UTC, datetime, timedelta, tzinfo
from zoneinfo import ZoneInfo

import pytest
from hypothesis import given
from hypothesis import strategies as st

from waypost.assessments import recurrence

# Instants from 1990 to 2060 (after 2037 zoneinfo extends each zone's last rule);
# hypothesis takes naive bounds and the instants are then read as UTC.
instants = st.datetimes(
    min_value=datetime(1990, 1, 1),  # noqa: DTZ001
    max_value=datetime(2060, 1, 1),  # noqa: DTZ001
).map(lambda naive: naive.replace(tzinfo=UTC))
# Any zone, with the ones that change their clocks (and a few odd ones) tried more often.
zones = st.one_of(
    st.sampled_from(
        [
            ZoneInfo("Europe/London"),
            ZoneInfo("America/New_York"),
            ZoneInfo("Australia/Lord_Howe"),  # a 30-minute change
            ZoneInfo("Pacific/Apia"),  # skipped a whole day in December 2011
            ZoneInfo("America/Santiago"),
        ]
    ),
    st.timezones(),
)
every_weeks = st.integers(min_value=1, max_value=52)
indexes = st.integers(min_value=0, max_value=40)


def _wall(moment: datetime, zone: tzinfo) -> datetime:
    return moment.astimezone(zone).replace(tzinfo=None)


def _exists(wall: datetime, zone: tzinfo) -> bool:
    """Whether the local wall-clock time happens at all (not in the hour skipped forward)."""
    return _wall(wall.replace(tzinfo=zone).astimezone(UTC), zone) == wall


@given(first=instants, zone=zones, n=every_weeks, k=indexes)
def test_the_local_wall_clock_time_is_kept_for_any_period_and_start(first, zone, n, k):
    opens = recurrence.opening(first=first, every_weeks=n, index=k, zone=zone)
    meant = _wall(first, zone) + timedelta(weeks=n * k)
    got = _wall(opens, zone)
    if _exists(meant, zone):
        # the same hour and minute, N·k weeks later on the calendar
        assert got == meant
    else:
        # a time the clocks skipped lands just after the change, never before it
        assert timedelta(0) < got - meant <= timedelta(days=1)
    assert opens.tzinfo is UTC


@given(first=instants, zone=zones, n=every_weeks, k=indexes)
def test_openings_strictly_increase_about_n_weeks_apart(first, zone, n, k):
    this = recurrence.opening(first=first, every_weeks=n, index=k, zone=zone)
    following = recurrence.opening(first=first, every_weeks=n, index=k + 1, zone=zone)
    assert this < following
    # off N weeks by no more than the zone's change of offset in between: an hour
    # usually, 25 hours when Samoa crossed the date line in 2011 during summer time
    assert abs((following - this) - timedelta(weeks=n)) <= timedelta(hours=26)


@given(first=instants, zone=zones, n=every_weeks)
def test_the_first_opening_is_the_start_itself(first, zone, n):
    assert recurrence.opening(first=first, every_weeks=n, index=0, zone=zone) == first


@given(
    first=instants,
    zone=zones,
    n=every_weeks,
    window_days=st.integers(min_value=1, max_value=28),
    after=st.timedeltas(min_value=timedelta(0), max_value=timedelta(weeks=52 * 5)),
)
def test_the_current_window_is_the_latest_opening_not_after_now(first, zone, n, window_days, after):
    now = first + after
    opens, closes = recurrence.current_window(
        first=first, every_weeks=n, window_days=window_days, now=now, zone=zone
    )
    index = recurrence.latest_index(first=first, every_weeks=n, now=now, zone=zone)
    following = recurrence.opening(first=first, every_weeks=n, index=index + 1, zone=zone)
    # the latest opening at or before now, with the next one still to come
    assert opens == recurrence.opening(first=first, every_weeks=n, index=index, zone=zone)
    assert opens <= now < following
    # open for the window, and never past the next opening
    assert opens < closes <= following
    if window_days >= 7 * n:
        assert closes == following


@given(
    first=instants,
    zone=zones,
    n=every_weeks,
    before=st.timedeltas(min_value=timedelta(0), max_value=timedelta(weeks=52 * 20)),
)
def test_before_the_start_the_first_opening_is_the_one(first, zone, n, before):
    now = first - before
    assert recurrence.latest_index(first=first, every_weeks=n, now=now, zone=zone) == 0


# --- examples worth naming -------------------------------------------------------------


def test_every_two_weeks_at_nine_stays_at_nine_in_london_across_the_spring_change():
    london = ZoneInfo("Europe/London")
    # Monday 23 March 2026, 09:00 GMT; the clocks go forward on Sunday 29 March
    first = datetime(2026, 3, 23, 9, 0, tzinfo=london)
    opens = recurrence.opening(first=first, every_weeks=2, index=1, zone="Europe/London")
    assert opens.astimezone(london) == datetime(2026, 4, 6, 9, 0, tzinfo=london)
    assert opens == datetime(2026, 4, 6, 8, 0, tzinfo=UTC)  # 09:00 BST is 08:00 UTC


def test_every_week_at_nine_stays_at_nine_in_new_york_across_the_autumn_change():
    new_york = ZoneInfo("America/New_York")
    # Friday 30 October 2026, 09:00 EDT; the clocks go back on Sunday 1 November
    first = datetime(2026, 10, 30, 9, 0, tzinfo=new_york)
    opens, closes = recurrence.current_window(
        first=first,
        every_weeks=1,
        window_days=7,
        now=datetime(2026, 11, 6, 14, 0, tzinfo=UTC),  # 09:00 EST
        zone=new_york,
    )
    assert opens == datetime(2026, 11, 6, 14, 0, tzinfo=UTC)
    assert closes == datetime(2026, 11, 13, 9, 0, tzinfo=new_york)
    assert closes.astimezone(new_york).hour == 9


def test_a_naive_datetime_is_refused():
    with pytest.raises(ValueError, match="aware"):
        recurrence.shift_local(datetime(2026, 1, 1, 9, 0), days=7, zone="UTC")  # noqa: DTZ001


def test_a_time_the_clocks_skip_lands_just_after_the_change():
    new_york = ZoneInfo("America/New_York")
    # Sunday 7 March 2027, 02:30 EST; a week later 02:30 does not happen (clocks go
    # from 02:00 straight to 03:00 on 14 March)
    first = datetime(2027, 3, 7, 2, 30, tzinfo=new_york)
    opens = recurrence.opening(first=first, every_weeks=1, index=1, zone=new_york)
    assert opens == datetime(2027, 3, 14, 3, 30, tzinfo=new_york)
    following = recurrence.opening(first=first, every_weeks=1, index=2, zone=new_york)
    assert following == datetime(2027, 3, 21, 2, 30, tzinfo=new_york)
