"""Recurrence: sessions keep their wall-clock time in the clinic's zone across DST changes."""

from __future__ import annotations

from datetime import UTC, date, datetime, time, timedelta
from zoneinfo import ZoneInfo

from hypothesis import given
from hypothesis import strategies as st

from waypost.caseload.appointments.recurrence import MAX_OCCURRENCES, Rule, occurrences, to_utc

ZONES = ["Europe/London", "America/New_York", "Australia/Sydney", "Asia/Singapore", "UTC"]

rules = st.builds(
    Rule,
    first_day=st.dates(min_value=date(2025, 1, 1), max_value=date(2030, 12, 31)),
    start_time=st.times().map(lambda t: t.replace(second=0, microsecond=0)),
    zone=st.sampled_from(ZONES),
    every_weeks=st.one_of(st.none(), st.integers(min_value=1, max_value=8)),
    count=st.one_of(st.none(), st.integers(min_value=2, max_value=60)),
    until=st.one_of(st.none(), st.dates(min_value=date(2025, 1, 1), max_value=date(2032, 1, 1))),
)


def _exists(day: date, at: time, zone: str) -> bool:
    """Is this local time real (not skipped by clocks going forward)?"""
    local = to_utc(day, at, zone).astimezone(ZoneInfo(zone))
    return (local.date(), local.time()) == (day, at)


@given(rules)
def test_every_session_is_at_the_booked_local_time_on_its_day(rule):
    starts = occurrences(rule)
    days = rule.local_days()
    assert len(starts) == len(days)
    for start, day in zip(starts, days, strict=True):
        assert start.tzinfo is UTC or start.utcoffset() == timedelta(0)
        local = start.astimezone(ZoneInfo(rule.zone))
        if _exists(day, rule.start_time, rule.zone):
            assert local.date() == day
            assert local.time() == rule.start_time
        else:  # in the skipped hour: one hour later by the clock, same day
            assert local.date() == day
            shift = datetime.combine(day, local.time()) - datetime.combine(day, rule.start_time)
            assert shift == timedelta(hours=1)


@given(rules)
def test_sessions_are_in_order_at_the_interval_and_within_the_limits(rule):
    days = rule.local_days()
    assert days[0] == rule.first_day
    if not rule.every_weeks:
        assert days == [rule.first_day]
        return
    assert len(days) <= min(rule.count or MAX_OCCURRENCES, MAX_OCCURRENCES)
    for earlier, later in zip(days, days[1:], strict=False):
        assert later - earlier == timedelta(weeks=rule.every_weeks)
    if rule.until is not None:
        assert all(day <= rule.until for day in days[1:])
    starts = occurrences(rule)
    assert starts == sorted(starts)


@given(
    st.dates(min_value=date(2025, 1, 1), max_value=date(2030, 12, 31)),
    st.integers(min_value=0, max_value=23),
    st.sampled_from(["Europe/London", "America/New_York"]),
)
def test_a_weekly_series_across_a_dst_change_shifts_in_utc_not_in_local_time(first, hour, zone):
    rule = Rule(first_day=first, start_time=time(hour, 0), zone=zone, every_weeks=1, count=52)
    starts = occurrences(rule)
    offsets = {start.astimezone(ZoneInfo(zone)).utcoffset() for start in starts}
    # A year of weeks crosses both changes: two offsets in UTC, one clock time locally.
    assert len(offsets) == 2
    real = [
        s
        for s, d in zip(starts, rule.local_days(), strict=True)
        if _exists(d, rule.start_time, zone)
    ]
    assert {s.astimezone(ZoneInfo(zone)).time() for s in real} == {time(hour, 0)}


def test_london_ten_o_clock_before_and_after_the_spring_change():
    rule = Rule(
        first_day=date(2026, 3, 22),
        start_time=time(10),
        zone="Europe/London",
        every_weeks=1,
        count=2,
    )
    before, after = occurrences(rule)
    assert before.hour == 10  # GMT
    assert after.hour == 9  # BST: 10:00 local is 09:00 UTC
    assert after - before == timedelta(weeks=1) - timedelta(hours=1)


def test_a_skipped_local_time_falls_an_hour_later_by_the_clock():
    start = to_utc(date(2026, 3, 8), time(2, 30), "America/New_York")
    local = start.astimezone(ZoneInfo("America/New_York"))
    assert (local.date(), local.time()) == (date(2026, 3, 8), time(3, 30))
