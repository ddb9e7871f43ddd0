"""The day counter (``recovery.days``): worked examples, time zones, then invariants.

Pure functions, no database. The property tests walk ``today`` forward over random
plans with random lapse days and compare with a day-by-day reference written here.
"""

from __future__ import annotations

from datetime import UTC, date, datetime, timedelta

import pytest
from hypothesis import given
from hypothesis import strategies as st

from waypost.recovery import days
from waypost.recovery.days import (
    MILESTONES,
    Counter,
    counter,
    local_date,
    milestones_crossed,
    today_for,
)

START = date(2025, 3, 1)


def day(n: int) -> date:
    """Day ``n`` of the plan begun on START (day 1 is START)."""
    return START + timedelta(days=n - 1)


# --- worked examples ---------------------------------------------------------------


def test_the_first_day_without_a_lapse_is_a_streak_of_one():
    c = counter(start=START, today=START, lapse_days=[])
    assert c == Counter(
        start=START,
        today=START,
        current_streak=1,
        total_sober_days=1,
        longest_streak=1,
        lapses=0,
        milestones_reached=(1,),
        next_milestone=7,
        days_to_next=6,
    )
    assert c.streak_began == START
    assert c.days == 1


def test_ten_days_without_a_lapse():
    c = counter(start=START, today=day(10), lapse_days=[])
    assert (c.current_streak, c.total_sober_days, c.longest_streak, c.lapses) == (10, 10, 10, 0)
    assert c.milestones_reached == (1, 7)
    assert (c.next_milestone, c.days_to_next) == (14, 4)


def test_a_lapse_on_the_first_day():
    on_the_day = counter(start=START, today=START, lapse_days=[START])
    assert (on_the_day.current_streak, on_the_day.total_sober_days) == (0, 0)
    assert (on_the_day.longest_streak, on_the_day.lapses) == (0, 1)
    assert on_the_day.milestones_reached == ()
    assert (on_the_day.next_milestone, on_the_day.days_to_next) == (1, 1)
    assert on_the_day.streak_began is None

    next_day = counter(start=START, today=day(2), lapse_days=[START])
    assert (next_day.current_streak, next_day.total_sober_days, next_day.longest_streak) == (
        1,
        1,
        1,
    )
    assert next_day.streak_began == day(2)
    assert next_day.milestones_reached == (1,)


def test_a_lapse_today_keeps_the_total_and_the_longest_streak():
    c = counter(start=START, today=day(10), lapse_days=[day(10)])
    assert c.current_streak == 0
    assert c.total_sober_days == 9
    assert c.longest_streak == 9
    assert c.lapses == 1
    assert c.milestones_reached == ()
    assert (c.next_milestone, c.days_to_next) == (1, 1)


def test_two_lapses_on_the_same_day_are_one_lapse_day():
    once = counter(start=START, today=day(10), lapse_days=[day(4)])
    twice = counter(start=START, today=day(10), lapse_days=[day(4), day(4)])
    assert twice == once
    assert twice.lapses == 1
    assert (twice.current_streak, twice.total_sober_days, twice.longest_streak) == (6, 9, 6)


def test_a_lapse_in_the_middle_starts_a_new_streak_and_nothing_else_is_lost():
    c = counter(start=START, today=day(20), lapse_days=[day(16)])
    assert c.current_streak == 4  # days 17..20
    assert c.longest_streak == 15  # days 1..15
    assert c.total_sober_days == 19
    assert c.streak_began == day(17)


def test_a_start_in_the_future_gives_zeros():
    c = counter(start=START, today=START - timedelta(days=5), lapse_days=[START])
    assert (c.current_streak, c.total_sober_days, c.longest_streak, c.lapses) == (0, 0, 0, 0)
    assert c.milestones_reached == ()
    assert c.streak_began is None
    assert c.days == 0
    # milestone 1 is reached on the start day, five days from now
    assert (c.next_milestone, c.days_to_next) == (1, 5)


def test_lapse_days_outside_the_plan_are_ignored():
    c = counter(
        start=START,
        today=day(10),
        lapse_days=[START - timedelta(days=1), day(11), day(400)],
    )
    assert c == counter(start=START, today=day(10), lapse_days=[])


def test_years_of_recovery_and_thousands_of_lapse_days_are_counted_without_walking_days():
    start, today = date(1900, 1, 1), date(2099, 12, 31)
    lapses = [start + timedelta(days=7 * k) for k in range(5000)]  # every 7th day, 1900-1995
    c = counter(start=start, today=today, lapse_days=reversed(lapses))
    all_days = (today - start).days + 1
    assert c.lapses == 5000
    assert c.total_sober_days == all_days - 5000
    assert c.current_streak == (today - lapses[-1]).days
    assert c.longest_streak == c.current_streak


def test_the_extremes_of_the_calendar_do_not_overflow():
    c = counter(start=date.min, today=date.min, lapse_days=[])
    assert c.current_streak == 1
    c = counter(start=date.max, today=date.max, lapse_days=[date.max])
    assert c.current_streak == 0


def test_datetimes_are_refused_where_dates_are_meant():
    moment = datetime(2025, 3, 1, 12, tzinfo=UTC)
    with pytest.raises(TypeError, match="local_date"):
        counter(start=moment, today=day(3), lapse_days=[])
    with pytest.raises(TypeError, match="local_date"):
        counter(start=START, today=day(3), lapse_days=[moment])


# --- milestones -------------------------------------------------------------------


def test_the_milestones_are_the_spec_list_then_every_30_days():
    assert MILESTONES == (1, 7, 14, 30, 40, 60, 90)
    assert days.MONTHLY_EVERY == 30
    assert [m for m in range(1, 400) if days.is_milestone(m)] == [
        *MILESTONES,
        120,
        150,
        180,
        210,
        240,
        270,
        300,
        330,
        360,
        390,
    ]


@pytest.mark.parametrize(
    ("streak", "reached", "following", "days_to_next"),
    [
        (89, (1, 7, 14, 30, 40, 60), 90, 1),
        (90, (1, 7, 14, 30, 40, 60, 90), 120, 30),
        (119, (1, 7, 14, 30, 40, 60, 90), 120, 1),
        (120, (1, 7, 14, 30, 40, 60, 90, 120), 150, 30),
        (150, (1, 7, 14, 30, 40, 60, 90, 120, 150), 180, 30),
        (151, (1, 7, 14, 30, 40, 60, 90, 120, 150), 180, 29),
    ],
)
def test_milestones_on_long_streaks(streak, reached, following, days_to_next):
    c = counter(start=START, today=day(streak), lapse_days=[])
    assert c.current_streak == streak
    assert c.milestones_reached == reached
    assert (c.next_milestone, c.days_to_next) == (following, days_to_next)


def test_milestones_reached_belong_to_the_current_streak():
    # 100 days, a lapse, then 8 days: the total is past 90, the streak is at 8
    c = counter(start=START, today=day(109), lapse_days=[day(101)])
    assert c.longest_streak == 100
    assert c.total_sober_days == 108
    assert c.milestones_reached == (1, 7)
    assert (c.next_milestone, c.days_to_next) == (14, 6)


def test_milestones_crossed_within_a_streak_and_after_a_lapse():
    def on(n: int, lapses: list[date] = []) -> Counter:  # noqa: B006 - never mutated
        return counter(start=START, today=day(n), lapse_days=lapses)

    assert milestones_crossed(None, on(10)) == (1, 7)  # first time shown: all of them
    assert milestones_crossed(on(6), on(7)) == (7,)
    assert milestones_crossed(on(7), on(8)) == ()
    assert milestones_crossed(on(7), on(7)) == ()  # shown twice the same day
    assert milestones_crossed(on(5), on(35)) == (7, 14, 30)  # not opened for a month
    assert milestones_crossed(on(35), on(30)) == ()  # an older counter shown later
    # a lapse on day 8: that day crosses nothing, the next day begins again from 1
    assert milestones_crossed(on(7), on(8, [day(8)])) == ()
    assert milestones_crossed(on(8, [day(8)]), on(9, [day(8)])) == (1,)
    # not opened from day 5 to day 20, with a lapse on day 9: the new streak's own
    assert milestones_crossed(on(5), on(20, [day(9)])) == (1, 7)


# --- time zones -------------------------------------------------------------------


def test_around_midnight_the_day_is_the_date_where_the_person_is():
    # Singapore is UTC+8 all year: 23:59 and 00:00 there are 15:59 and 16:00 UTC
    before = datetime(2025, 3, 10, 15, 59, tzinfo=UTC)
    after = before + timedelta(minutes=1)
    assert local_date(before, "Asia/Singapore") == date(2025, 3, 10)
    assert local_date(after, "Asia/Singapore") == date(2025, 3, 11)
    assert local_date(before, "UTC") == local_date(after, "UTC") == date(2025, 3, 10)
    # and at midnight UTC the Singapore date does not change
    midnight_utc = datetime(2025, 3, 11, 0, 0, tzinfo=UTC)
    assert local_date(midnight_utc - timedelta(minutes=1), "UTC") == date(2025, 3, 10)
    assert local_date(midnight_utc, "UTC") == date(2025, 3, 11)
    assert local_date(midnight_utc - timedelta(minutes=1), "Asia/Singapore") == date(2025, 3, 11)
    assert local_date(midnight_utc, "Asia/Singapore") == date(2025, 3, 11)


def test_a_check_in_at_2359_and_a_lapse_at_0000_fall_on_two_days_in_singapore():
    zone = "Asia/Singapore"
    start = date(2025, 3, 1)
    check_in = datetime(2025, 3, 10, 15, 59, tzinfo=UTC)  # 23:59 on the 10th there
    lapse = check_in + timedelta(minutes=1)  # 00:00 on the 11th there
    stored_lapses = [local_date(lapse, zone)]
    assert stored_lapses == [date(2025, 3, 11)]

    at_2359 = counter(start=start, today=local_date(check_in, zone), lapse_days=stored_lapses)
    at_0000 = counter(start=start, today=local_date(lapse, zone), lapse_days=stored_lapses)
    assert (at_2359.current_streak, at_2359.total_sober_days) == (10, 10)
    # the lapse just after midnight leaves the 10th a sober day; the 11th is the lapse day
    assert (at_0000.current_streak, at_0000.total_sober_days, at_0000.longest_streak) == (
        0,
        10,
        10,
    )
    # the same moments read in UTC would have put the lapse on the 10th and lost that day
    assert local_date(lapse, "UTC") == date(2025, 3, 10)


def test_the_counter_depends_only_on_stored_dates_not_on_where_it_is_read():
    zone = "Asia/Singapore"
    start = date(2025, 3, 1)
    # a lapse stored at 00:30 on the 5th in Singapore (16:30 UTC on the 4th)
    stored = [local_date(datetime(2025, 3, 4, 16, 30, tzinfo=UTC), zone)]
    assert stored == [date(2025, 3, 5)]
    # two weeks later the client is in London; the stored date does not move
    now = datetime(2025, 3, 19, 23, 59, tzinfo=UTC)
    c = counter(start=start, today=local_date(now, "Europe/London"), lapse_days=stored)
    assert (c.total_sober_days, c.lapses, c.current_streak, c.longest_streak) == (18, 1, 14, 14)


def _trip(first_zone: str, second_zone: str, *, leave: datetime, hours: int):
    """(moment, zone) every hour, teleporting from one zone to the other at ``leave``."""
    begin = leave - timedelta(hours=hours // 2)
    for h in range(hours):
        moment = begin + timedelta(hours=h)
        yield moment, (first_zone if moment < leave else second_zone)


def _live_through(trip, *, start: date, lapse_at: set[datetime]):
    """Stamp a daily check-in (and the given lapses) with the local date, as the app does.

    Returns, for every hour of the trip, the counter the client would be shown.
    """
    stored_days: set[date] = set()
    stored_lapses: set[date] = set()
    shown = []
    for moment, zone in trip:
        stamped = local_date(moment, zone)
        stored_days.add(stamped)  # one check-in per local day; another the same day updates it
        if moment in lapse_at:
            stored_lapses.add(stamped)
        today = today_for(moment, zone, latest_recorded=max(stored_days))
        shown.append(counter(start=start, today=today, lapse_days=stored_lapses))
    return shown, stored_days, stored_lapses


def test_flying_west_over_the_date_line_creates_no_day_and_loses_none():
    # Kiritimati is UTC+14, Pago Pago UTC-11: flying between them the date steps back 1-2 days
    leave = datetime(2025, 6, 10, 10, 30, tzinfo=UTC)  # 00:30 on the 11th in Kiritimati
    assert local_date(leave - timedelta(minutes=1), "Pacific/Kiritimati") == date(2025, 6, 11)
    assert local_date(leave, "Pacific/Pago_Pago") == date(2025, 6, 9)
    start = date(2025, 6, 1)
    lapse = leave - timedelta(hours=20)  # 14:30 on the 10th in Kiritimati
    trip = list(_trip("Pacific/Kiritimati", "Pacific/Pago_Pago", leave=leave, hours=24 * 6))
    shown, stored_days, stored_lapses = _live_through(trip, start=start, lapse_at={lapse})

    assert stored_lapses == {date(2025, 6, 10)}
    # the counter never steps back, though the calendar did; only the hour the lapse is
    # recorded takes back the day in progress (today counted until a lapse is recorded)
    for earlier, later in zip(shown, shown[1:], strict=False):
        assert later.today >= earlier.today
        taken_back = later.lapses - earlier.lapses
        assert later.total_sober_days >= earlier.total_sober_days - taken_back
        assert later.longest_streak >= earlier.longest_streak - taken_back
    # every day shown is a calendar date of the plan: none made up by the trip, none missing
    for c in shown:
        assert c.days == (c.today - start).days + 1
        assert c.total_sober_days == c.days - c.lapses
    last = shown[-1]
    assert stored_days == {
        trip[0][0].astimezone(days.zone_named("Pacific/Kiritimati")).date() + timedelta(days=n)
        for n in range(len(stored_days))
    }
    # the same totals as counting the stored dates for someone who never travelled
    stay_at_home = counter(start=start, today=max(stored_days), lapse_days=stored_lapses)
    assert last == stay_at_home


def test_flying_east_over_the_date_line_skips_calendar_dates_but_counts_them():
    leave = datetime(2025, 6, 10, 10, 30, tzinfo=UTC)  # 23:30 on the 9th in Pago Pago
    assert local_date(leave - timedelta(minutes=1), "Pacific/Pago_Pago") == date(2025, 6, 9)
    assert local_date(leave, "Pacific/Kiritimati") == date(2025, 6, 11)  # the 10th skipped
    start = date(2025, 6, 1)
    trip = list(_trip("Pacific/Pago_Pago", "Pacific/Kiritimati", leave=leave, hours=24 * 6))
    shown, stored_days, _ = _live_through(trip, start=start, lapse_at=set())

    assert date(2025, 6, 10) not in stored_days  # no check-in could be stamped that day
    before, after = shown[72 - 1], shown[72]  # the hour before and the hour of arrival
    assert (before.today, after.today) == (date(2025, 6, 9), date(2025, 6, 11))
    # the skipped date is a day of the plan like any other: not lost, not a lapse
    assert after.total_sober_days == before.total_sober_days + 2
    for earlier, later in zip(shown, shown[1:], strict=False):
        assert later.total_sober_days >= earlier.total_sober_days
    assert shown[-1] == counter(start=start, today=max(stored_days), lapse_days=[])


def test_today_for_never_steps_back_before_a_recorded_date():
    moment = datetime(2025, 6, 10, 10, 30, tzinfo=UTC)
    assert today_for(moment, "Pacific/Pago_Pago") == date(2025, 6, 9)
    assert today_for(moment, "Pacific/Pago_Pago", latest_recorded=date(2025, 6, 11)) == date(
        2025, 6, 11
    )
    assert today_for(moment, "Pacific/Kiritimati", latest_recorded=date(2025, 6, 1)) == date(
        2025, 6, 11
    )


@pytest.mark.parametrize("name", ["Nowhere/City", "", "../etc/passwd", "/etc/localtime", "Europe/"])
def test_an_unknown_time_zone_is_a_clear_value_error(name):
    with pytest.raises(ValueError, match="Unknown time zone"):
        local_date(datetime(2025, 3, 1, tzinfo=UTC), name)


def test_a_naive_moment_is_refused():
    with pytest.raises(ValueError, match="aware"):
        local_date(datetime(2025, 3, 1, 12), "UTC")  # noqa: DTZ001


# --- properties -------------------------------------------------------------------


def reference(start: date, today: date, lapse_days: list[date]) -> Counter:
    """The counter the slow, obvious way: walk every day from start to today."""
    lapses = set(lapse_days)
    fixed = (1, 7, 14, 30, 40, 60, 90)

    def milestone(n: int) -> bool:
        return n in fixed or (n > 90 and n % 30 == 0)

    streak = total = longest = lapse_count = 0
    d = start
    while d <= today:
        if d in lapses:
            streak = 0
            lapse_count += 1
        else:
            streak += 1
            total += 1
            longest = max(longest, streak)
        d += timedelta(days=1)
    following = streak + 1
    while not milestone(following):
        following += 1
    # before the start, the first milestone comes on the start day
    to_next = (start - today).days if today < start else following - streak
    return Counter(
        start=start,
        today=today,
        current_streak=streak,
        total_sober_days=total,
        longest_streak=longest,
        lapses=lapse_count,
        milestones_reached=tuple(n for n in range(1, streak + 1) if milestone(n)),
        next_milestone=following,
        days_to_next=to_next,
    )


starts = st.dates(min_value=date(2000, 1, 1), max_value=date(2040, 12, 31))


@st.composite
def plans(draw, *, max_days: int):
    """A start, a number of days to walk, and lapse days in and around that span."""
    start = draw(starts)
    length = draw(st.integers(min_value=0, max_value=max_days))
    # few lapses or many: sometimes long streaks, sometimes one every few days
    offsets = draw(
        st.lists(
            st.integers(min_value=-20, max_value=length + 20),
            max_size=draw(st.sampled_from([0, 3, 12, 60])),
        )
    )
    return start, length, [start + timedelta(days=o) for o in offsets]


@given(plan=plans(max_days=2000), before=st.integers(min_value=0, max_value=10))
def test_the_counter_equals_walking_every_day(plan, before):
    start, length, lapses = plan
    for today in (start - timedelta(days=before), start + timedelta(days=length)):
        assert counter(start=start, today=today, lapse_days=lapses) == reference(
            start, today, lapses
        )


@given(plan=plans(max_days=200))
def test_as_days_go_by_totals_never_decrease_and_the_invariants_hold(plan):
    start, length, lapses = plan
    previous: Counter | None = None
    for n in range(-3, length + 1):
        today = start + timedelta(days=n)
        c = counter(start=start, today=today, lapse_days=lapses)
        in_range = {d for d in lapses if start <= d <= today}
        assert c.total_sober_days + len(in_range) == max(0, n + 1)
        assert c.lapses == len(in_range)
        assert 0 <= c.current_streak <= c.longest_streak <= c.total_sober_days
        assert c.milestones_reached == days.milestones_up_to(c.current_streak)
        assert all(m <= c.current_streak for m in c.milestones_reached)
        assert c.next_milestone is not None and c.days_to_next is not None
        assert c.next_milestone > c.current_streak and c.days_to_next >= 1
        if today in in_range:
            assert c.current_streak == 0
        if previous is not None:
            assert c.total_sober_days >= previous.total_sober_days
            assert c.longest_streak >= previous.longest_streak
            assert c.lapses >= previous.lapses
            # a day adds exactly one day: to the total or to the lapses
            assert c.days == previous.days + (1 if n >= 0 else 0)
        previous = c


@given(plan=plans(max_days=300))
def test_walking_day_by_day_each_milestone_of_each_streak_is_crossed_exactly_once(plan):
    start, length, lapses = plan
    lapse_set = set(lapses)
    celebrated: list[tuple[date | None, int, date]] = []
    previous: Counter | None = None
    for n in range(-2, length + 1):
        today = start + timedelta(days=n)
        c = counter(start=start, today=today, lapse_days=lapses)
        celebrated += [(c.streak_began, m, today) for m in milestones_crossed(previous, c)]
        previous = c

    # expected: a streak reaches milestone m on the day its length becomes m
    expected: list[tuple[date | None, int, date]] = []
    streak, began = 0, None
    for n in range(0, length + 1):
        today = start + timedelta(days=n)
        if today in lapse_set:
            streak, began = 0, None
            continue
        streak += 1
        began = began or today
        if days.is_milestone(streak):
            expected.append((began, streak, today))
    assert celebrated == expected
    assert len(set((b, m) for b, m, _ in celebrated)) == len(celebrated)  # none twice


@given(
    plan=plans(max_days=300),
    visits=st.lists(st.integers(min_value=-2, max_value=300), max_size=25),
)
def test_opened_at_random_times_no_milestone_is_celebrated_twice_or_missed(plan, visits):
    start, length, lapses = plan
    seen: list[tuple[date | None, int]] = []
    previous: Counter | None = None
    shown = [
        counter(start=start, today=start + timedelta(days=n), lapse_days=lapses)
        for n in sorted({min(v, length) for v in visits})
    ]
    for c in shown:
        seen += [(c.streak_began, m) for m in milestones_crossed(previous, c)]
        previous = c
    assert len(set(seen)) == len(seen)
    if shown:
        last = shown[-1]
        assert {m for b, m in seen if b == last.streak_began and b is not None} == set(
            last.milestones_reached
        )


@given(
    moments=st.lists(
        st.datetimes(
            min_value=datetime(2000, 1, 1),  # noqa: DTZ001
            max_value=datetime(2040, 1, 1),  # noqa: DTZ001
        ).map(lambda naive: naive.replace(tzinfo=UTC)),
        min_size=1,
        max_size=20,
    ),
    zones=st.lists(
        st.sampled_from(
            ["UTC", "Asia/Singapore", "Pacific/Kiritimati", "Pacific/Pago_Pago", "Pacific/Apia"]
        ),
        min_size=20,
        max_size=20,
    ),
)
def test_travelling_anywhere_the_counted_today_never_goes_back(moments, zones):
    latest: date | None = None
    for moment, zone in zip(sorted(moments), zones, strict=False):
        local = local_date(moment, zone)
        assert local == moment.astimezone(days.zone_named(zone)).date()
        today = today_for(moment, zone, latest_recorded=latest)
        assert today >= local
        if latest is not None:
            assert today >= latest
        latest = max(latest or local, local)  # the event just stamped is recorded
