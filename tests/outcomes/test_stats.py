"""The arithmetic: percentiles, the small-number rule, stays and the check-in days asked."""

from __future__ import annotations

import statistics
from datetime import UTC, date, datetime, timedelta

import pytest
from hypothesis import given
from hypothesis import strategies as st

from waypost.caseload.outcomes import stats

values = st.lists(st.floats(min_value=0, max_value=1e6, allow_nan=False), min_size=1, max_size=50)


def test_the_90th_percentile_is_interpolated_between_ranks():
    assert stats.percentile(list(range(1, 11)), 90) == pytest.approx(9.1)
    assert stats.percentile([4.0], 90) == 4.0
    assert stats.percentile([], 90) is None
    assert stats.median([]) is None


@given(values)
def test_the_50th_percentile_is_the_median(data):
    assert stats.percentile(data, 50) == pytest.approx(statistics.median(data))


@given(values, st.floats(0, 100), st.floats(0, 100))
def test_percentiles_lie_within_the_values_and_never_fall_as_p_rises(data, p, q):
    low, high = sorted((p, q))
    assert min(data) <= stats.percentile(data, low) <= max(data)
    assert stats.percentile(data, low) <= stats.percentile(data, high) + 1e-6


def test_a_percentile_outside_0_to_100_is_refused():
    with pytest.raises(ValueError):
        stats.percentile([1.0], 101)


@pytest.mark.parametrize(("count", "n", "shown"), [(0, 4, False), (4, 4, False), (1, 5, True)])
def test_a_share_of_fewer_than_five_clients_is_withheld(count, n, shown):
    share = stats.ClientShare(count, n)
    assert share.shown is shown
    assert (share.percent is not None) is shown


def test_a_shown_share_is_in_per_cent():
    assert stats.ClientShare(3, 6).percent == 50
    assert stats.ratio_percent(1, 4) == 25
    assert stats.ratio_percent(1, 0) is None


T0 = datetime(2026, 1, 1, tzinfo=UTC)


def _at(days: float) -> datetime:
    return T0 + timedelta(days=days)


def test_stays_run_from_one_stage_change_to_the_next_and_the_last_goes_on_for_active_ones():
    changes = [(1, _at(0), 1), (1, _at(10), 2), (1, _at(30), 1), (2, _at(5), 1), (2, _at(6), 2)]
    found = stats.stays(changes, ongoing={1})
    assert found == [
        stats.Stay(1, 1, _at(0), _at(10)),
        stats.Stay(1, 2, _at(10), _at(30)),
        stats.Stay(1, 1, _at(30), None),
        stats.Stay(2, 1, _at(5), _at(6)),  # enrollment 2 is not active: its last stay is unknown
    ]
    assert found[0].days(_at(99)) == 10
    assert found[2].days(_at(40)) == 10


def test_a_stay_covers_its_days_up_to_the_day_before_the_next_change():
    own = [stats.Stay(1, 2, _at(0), _at(3)), stats.Stay(1, 3, _at(3), None)]
    days = stats.stage_days(own, lambda moment: moment.date(), date(2026, 1, 10))
    assert days == [
        (2, stats.DayRange(date(2026, 1, 1), date(2026, 1, 3))),
        (3, stats.DayRange(date(2026, 1, 4), date(2026, 1, 10))),
    ]


def test_day_ranges_clip_count_and_hold_their_days():
    days = stats.DayRange(date(2026, 1, 1), date(2026, 1, 31))
    clipped = days.clip(date(2026, 1, 20), date(2026, 1, 25))
    assert len(clipped) == 6 and date(2026, 1, 25) in clipped and date(2026, 1, 26) not in clipped
    assert len(days.clip(None, date(2025, 12, 1))) == 0
    assert list(stats.DayRange(date(2026, 1, 2), date(2026, 1, 1))) == []


def test_every_day_asks_for_a_check_in_unless_a_lighter_rhythm_or_graduation_says_otherwise():
    two_weeks = stats.DayRange(date(2026, 1, 1), date(2026, 1, 14))
    assert stats.expected_check_ins(two_weeks) == 14
    # A week daily, then "several" (3 a week) from the 8th.
    assert stats.expected_check_ins(
        two_weeks, rhythms=[(date(2026, 1, 8), "several")]
    ) == pytest.approx(7 + 3)
    # Weekly all along, then back to daily on the 8th.
    assert stats.expected_check_ins(
        two_weeks, rhythms=[(date(2025, 12, 1), "weekly"), (date(2026, 1, 8), "daily")]
    ) == pytest.approx(1 + 7)
    # An alumnus from the 11th on is asked nothing.
    away = [stats.DayRange(date(2026, 1, 11), date(2026, 1, 31))]
    assert stats.expected_check_ins(two_weeks, away=away) == 10


@given(st.integers(0, 60), st.sampled_from(["daily", "several", "weekly"]))
def test_a_rhythm_never_asks_for_more_days_than_there_are(length, rhythm):
    days = stats.DayRange(date(2026, 1, 1), date(2026, 1, 1) + timedelta(days=length - 1))
    asked = stats.expected_check_ins(days, rhythms=[(date(2025, 1, 1), rhythm)])
    assert 0 <= asked <= len(days) + 1e-9
