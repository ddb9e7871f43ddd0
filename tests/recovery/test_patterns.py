"""The urge log's pattern arithmetic: examples, then invariants over any list of urges."""

from __future__ import annotations

from datetime import date, timedelta

import pytest
from hypothesis import given
from hypothesis import strategies as st

from waypost.recovery import patterns
from waypost.recovery.patterns import LAPSED, RESISTED, UNSURE, UrgePoint

MONDAY = date(2025, 3, 3)


def urge(hour=22, day=MONDAY, intensity=5, outcome=RESISTED, **values) -> UrgePoint:
    return UrgePoint(
        local_date=day, local_hour=hour, intensity=intensity, outcome=outcome, **values
    )


# --- examples -------------------------------------------------------------------------------


def test_urges_are_counted_by_the_clients_own_hour_and_weekday():
    points = [urge(hour=22), urge(hour=22, day=MONDAY + timedelta(days=5)), urge(hour=7)]

    hours = patterns.by_hour(points)
    weekdays = patterns.by_weekday(points)

    assert hours[22] == 2 and hours[7] == 1 and sum(hours) == 3
    assert weekdays == [2, 0, 0, 0, 0, 1, 0]  # Monday twice, Saturday once


def test_the_summary_says_how_many_how_they_ended_and_how_strong():
    points = [
        urge(intensity=8),
        urge(intensity=3, outcome=LAPSED),
        urge(intensity=4, outcome=UNSURE),
    ]

    summary = patterns.summary(points)

    assert (summary.total, summary.resisted, summary.lapsed, summary.unsure) == (3, 1, 1, 1)
    assert summary.average_intensity == 5.0
    assert summary.resisted_percent == 33
    assert patterns.summary([]).average_intensity is None


def test_triggers_are_grouped_whatever_the_case_and_named_as_most_recently_written():
    points = [
        urge(trigger="late at night"),  # newest first
        urge(trigger="Stress"),
        urge(trigger="  Late  at night "),
        urge(trigger="stress"),
        urge(trigger="Boredom"),
        urge(trigger=""),
    ]

    top = patterns.top_triggers(points)

    assert [(c.label, c.count) for c in top] == [
        ("late at night", 2),
        ("Stress", 2),
        ("Boredom", 1),
    ]
    assert [c.label for c in patterns.top_triggers(points, limit=1)] == ["late at night"]


def test_halt_counts_each_state_in_its_order():
    points = [urge(hungry=True, tired=True), urge(tired=True), urge()]

    assert [(c.key, c.count) for c in patterns.halt(points)] == [
        ("hungry", 1),
        ("angry", 0),
        ("lonely", 0),
        ("tired", 2),
    ]


def test_what_worked_counts_the_urges_ridden_out_with_each_step():
    points = [
        urge(instead=("Went for a walk", "called Sam")),
        urge(instead=("went for a walk",), outcome=LAPSED),
        urge(instead=("Called Sam", "Called sam")),  # named twice on one urge: once
        urge(instead=("Cold shower",), outcome=UNSURE),
    ]

    worked = {w.label: (w.worked, w.used) for w in patterns.what_worked(points)}

    assert worked == {"Went for a walk": (1, 2), "called Sam": (2, 2), "Cold shower": (0, 1)}
    assert patterns.what_worked(points)[0].label == "called Sam"
    assert patterns.what_worked(points)[0].percent == 100


def test_busiest_hours_are_the_fullest_first_and_leave_out_empty_hours():
    hours = [0] * 24
    hours[23], hours[22], hours[8] = 2, 5, 2

    assert patterns.busiest_hours(hours) == [22, 8, 23]
    assert patterns.busiest_hours([0] * 24) == []


def test_bars_are_scaled_to_the_largest_and_a_small_count_still_shows():
    bars = patterns.bars([0, 1, 100, 50], ["a", "b", "c", "d"])

    assert [b.percent for b in bars] == [0, 2, 100, 50]
    assert [b.label for b in bars] == ["a", "b", "c", "d"]
    assert [b.percent for b in patterns.bars([0, 0])] == [0, 0]
    with pytest.raises(ValueError):
        patterns.bars([1, 2], ["only one"])


def test_coping_steps_are_kept_one_per_line_once_each():
    stored = patterns.join_items(["Went for a walk", " went  for a walk", "", "Called Sam"])

    assert stored == "Went for a walk\nCalled Sam"
    assert patterns.split_items(stored) == ("Went for a walk", "Called Sam")
    assert patterns.split_items("") == ()


def test_a_period_is_counted_in_local_days_with_today():
    today = date(2025, 3, 30)

    assert patterns.period_start(today, 30) == date(2025, 3, 1)
    assert patterns.period_start(today, 1) == today
    assert patterns.period_start(today, None) is None
    with pytest.raises(ValueError):
        patterns.period_start(today, 0)


def test_an_hour_out_of_range_is_a_programming_error():
    with pytest.raises(ValueError):
        patterns.by_hour([urge(hour=24)])


# --- properties ------------------------------------------------------------------------------

words = st.sampled_from(
    ["", "Stress", "stress", "Boredom", " Late at night", "late at night", "Alcohol"]
)
coping = st.lists(
    st.sampled_from(["Walk", "walk", "Called Sam", "Breathing", "Shower"]), max_size=3
)
points_strategy = st.lists(
    st.builds(
        UrgePoint,
        local_date=st.dates(min_value=date(2020, 1, 1), max_value=date(2030, 12, 31)),
        local_hour=st.integers(0, 23),
        intensity=st.integers(0, 10),
        outcome=st.sampled_from([RESISTED, LAPSED, UNSURE]),
        trigger=words,
        emotion=st.sampled_from(["", "bored", "stressed", "lonely"]),
        hungry=st.booleans(),
        angry=st.booleans(),
        lonely=st.booleans(),
        tired=st.booleans(),
        instead=coping.map(tuple),
    ),
    max_size=60,
)


@given(points_strategy)
def test_every_urge_counts_once_by_hour_and_once_by_weekday(points):
    assert sum(patterns.by_hour(points)) == len(points)
    assert sum(patterns.by_weekday(points)) == len(points)
    assert len(patterns.by_hour(points)) == 24 and len(patterns.by_weekday(points)) == 7


@given(points_strategy)
def test_the_outcomes_add_up_and_the_average_is_in_range(points):
    summary = patterns.summary(points)

    assert summary.resisted + summary.lapsed + summary.unsure == summary.total == len(points)
    if points:
        assert 0 <= summary.average_intensity <= 10
        assert 0 <= summary.resisted_percent <= 100


@given(points_strategy)
def test_trigger_counts_sum_to_the_urges_that_name_one_most_frequent_first(points):
    top = patterns.top_triggers(points)

    assert sum(c.count for c in top) == sum(1 for p in points if p.trigger.strip())
    counts = [c.count for c in top]
    assert counts == sorted(counts, reverse=True)
    assert len({c.key for c in top}) == len(top)


@given(points_strategy)
def test_what_worked_never_counts_more_than_it_was_tried_or_than_were_ridden_out(points):
    resisted = sum(1 for p in points if p.outcome == RESISTED)
    for step in patterns.what_worked(points):
        assert 0 <= step.worked <= step.used <= len(points)
        assert step.worked <= resisted
        assert 0 <= step.percent <= 100


@given(points_strategy)
def test_halt_counts_are_never_more_than_the_urges(points):
    for count in patterns.halt(points):
        assert 0 <= count.count <= len(points)


@given(st.lists(st.integers(0, 1000), max_size=30))
def test_bars_are_between_0_and_100_and_the_largest_is_full(counts):
    bars = patterns.bars(counts)

    assert all(0 <= b.percent <= 100 for b in bars)
    assert all((b.percent > 0) == (b.count > 0) for b in bars)
    if counts and max(counts) > 0:
        assert max(b.percent for b in bars) == 100
    # A larger count is never drawn shorter.
    for a in bars:
        for b in bars:
            if a.count > b.count:
                assert a.percent >= b.percent


@given(st.lists(st.text(max_size=20), max_size=10))
def test_stored_coping_steps_come_back_as_clean_unique_lines(items):
    back = patterns.split_items(patterns.join_items(items))

    assert all(item and item == " ".join(item.split()) for item in back)
    assert len({item.casefold() for item in back}) == len(back)
