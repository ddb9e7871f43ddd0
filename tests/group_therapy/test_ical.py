"""A series as iCalendar: what is written, and that a calendar app expanding it gets the
same instants as Waypost's own schedule, across daylight-saving changes, in any zone."""

from __future__ import annotations

from datetime import UTC, date, datetime, time, timedelta
from zoneinfo import ZoneInfo

from hypothesis import assume, given
from hypothesis import strategies as st
from icalendar import Calendar

from tests.group_therapy.expand import expand
from tests.group_therapy.test_schedule import series as series_strategy
from waypost.connect.groups import ical, schedule
from waypost.connect.groups.schedule import Change, Series

AMS = ZoneInfo("Europe/Amsterdam")
NEW_YORK = ZoneInfo("America/New_York")
STAMP = datetime(2030, 1, 1, tzinfo=UTC)
DETAILS = ical.Details(uid="group-1@waypost.test", summary="Saturday group", location="Room 1")


def _feed(s: Series, changes=(), first=date(2029, 12, 1), last=date(2033, 12, 31)) -> bytes:
    events = ical.series_events(s, DETAILS, changes, stamp=STAMP)
    return ical.calendar(events, name="Waypost", first=first, last=last).to_ical()


def _fortnightly() -> Series:
    # Every other Saturday 13:00–15:00 in Amsterdam from 2 March 2030: across 31 March.
    return Series(AMS, date(2030, 3, 2), 5, time(13), time(15), interval_weeks=2)


def test_the_series_is_one_rule_in_the_clinics_zone_with_its_zone_defined():
    text = _feed(_fortnightly()).decode()
    assert "DTSTART;TZID=Europe/Amsterdam:20300302T130000" in text
    assert "DTEND;TZID=Europe/Amsterdam:20300302T150000" in text
    assert "RRULE:FREQ=WEEKLY;INTERVAL=2;BYDAY=SA" in text
    assert "BEGIN:VTIMEZONE" in text and "TZID:Europe/Amsterdam" in text
    assert "SUMMARY:Saturday group" in text and "LOCATION:Room 1" in text
    assert "X-WR-CALNAME:Waypost" in text and "NAME:Waypost" in text
    # calendar apps ask again within the hour
    assert "REFRESH-INTERVAL;VALUE=DURATION:PT1H" in text and "X-PUBLISHED-TTL:PT1H" in text
    cal = Calendar.from_ical(text)
    assert not cal.get_missing_tzids()  # a VTIMEZONE for every TZID used


def test_a_cancelled_session_is_an_exdate_and_a_moved_one_an_override():
    s = _fortnightly()
    first, second, third = schedule.occurrences(
        s, datetime(2030, 3, 1, tzinfo=UTC), datetime(2030, 4, 1, tzinfo=UTC)
    )
    moved_to = datetime(2030, 3, 31, 10, tzinfo=AMS)  # the Sunday, after the clocks change
    text = _feed(
        s,
        [
            Change(second.original, cancelled=True),
            Change(third.original, start=moved_to, end=moved_to + timedelta(hours=2), room="B"),
        ],
    ).decode()
    assert "EXDATE;TZID=Europe/Amsterdam:20300316T130000" in text
    assert "RECURRENCE-ID;TZID=Europe/Amsterdam:20300330T130000" in text
    assert "DTSTART;TZID=Europe/Amsterdam:20300331T100000" in text
    assert "LOCATION:B" in text
    assert text.count("UID:group-1@waypost.test") == 2


def test_an_end_date_is_an_until_in_utc_and_a_count_a_count():
    until = Series(AMS, date(2030, 3, 2), 5, time(13), time(15), ends_on=date(2030, 6, 30))
    # the last Saturday on or before 30 June is 29 June, 13:00 CEST = 11:00 UTC
    assert "UNTIL=20300629T110000Z" in _feed(until).decode()
    counted = Series(AMS, date(2030, 3, 2), 5, time(13), time(15), count=6)
    text = _feed(counted).decode()
    assert "COUNT=6" in text and "UNTIL" not in text


def test_a_viewer_in_new_york_sees_the_same_sessions_across_the_change():
    s = _fortnightly()
    moved_to = datetime(2030, 4, 14, 10, tzinfo=AMS)
    ours = schedule.occurrences(
        s, datetime(2030, 3, 1, tzinfo=UTC), datetime(2030, 5, 1, tzinfo=UTC)
    )
    changes = [
        Change(ours[1].original, cancelled=True),
        Change(ours[3].original, start=moved_to, end=moved_to + timedelta(hours=2)),
    ]
    body = _feed(s, changes)
    since, until = datetime(2030, 3, 1, tzinfo=NEW_YORK), datetime(2030, 5, 1, tzinfo=NEW_YORK)
    theirs = [moment.astimezone(NEW_YORK) for _uid, moment in expand(body, since, until)]
    assert [m.strftime("%a %d %b %H:%M") for m in theirs] == [
        "Sat 02 Mar 07:00",  # 13:00 CET, New York still on EST
        # 16 March cancelled
        "Sat 30 Mar 08:00",  # New York on EDT since 10 March, Amsterdam not yet
        "Sun 14 Apr 04:00",  # moved: 10:00 CEST
        "Sat 27 Apr 07:00",  # both on summer time
    ]
    with_changes = schedule.occurrences(s, since, until, changes)
    assert [o.start.astimezone(UTC) for o in with_changes] == [m.astimezone(UTC) for m in theirs]


@given(series_strategy(bounded=None), st.data())
def test_an_expanded_feed_has_exactly_the_schedules_instants(s, data):
    begin = datetime.combine(s.first_day - timedelta(days=2), time(0), tzinfo=UTC)
    end = begin + timedelta(weeks=40)
    everything = schedule.occurrences(s, begin, end)
    changes: list[Change] = []
    if len(everything) >= 3:
        cancelled, moved = data.draw(
            st.lists(st.sampled_from(everything), min_size=2, max_size=2, unique=True)
        )
        # moved to a time that exists in the zone, a few days away, inside the window
        shift = timedelta(days=data.draw(st.integers(1, 5)))
        new_start = (moved.start.astimezone(UTC) + shift).astimezone(s.zone)
        assume(new_start + timedelta(hours=1) < end)
        changes = [
            Change(cancelled.original, cancelled=True),
            Change(moved.original, start=new_start, end=new_start + timedelta(hours=1)),
        ]
    body = _feed(s, changes, first=s.first_day - timedelta(days=1), last=date(2034, 12, 31))
    ours = [o.start.astimezone(UTC) for o in schedule.occurrences(s, begin, end, changes)]
    assert [m for _uid, m in expand(body, begin, end)] == ours
    # the same from the feed's own VTIMEZONE rules (an app that does not know the name);
    # a wall-clock time inside a spring-forward gap is read the same way by both
    assert [m for _uid, m in expand(body, begin, end, zone_from_vtimezone=True)] == ours


def test_two_sources_knowing_one_session_give_it_once():
    events = ical.series_events(_fortnightly(), DETAILS, stamp=STAMP)
    cal = ical.calendar(
        [*events, *events], name="Waypost", first=date(2030, 1, 1), last=date(2031, 1, 1)
    )
    assert len(list(cal.walk("VEVENT"))) == 1
