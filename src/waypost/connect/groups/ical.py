"""A series as iCalendar (RFC 5545) components: the master event and its exceptions. No Django.

The series is one ``VEVENT`` with ``DTSTART;TZID=<clinic zone>`` and a weekly
``RRULE`` (``INTERVAL``, ``BYDAY``, and ``UNTIL`` in UTC or ``COUNT``), so a calendar
app keeps 13:00 at 13:00 in the clinic's zone across daylight-saving changes and shows
each session in the viewer's own zone. A cancelled session is an ``EXDATE``; a moved one
is a second ``VEVENT`` with the same ``UID`` and a ``RECURRENCE-ID`` naming the
original start. :func:`calendar` wraps events in a ``VCALENDAR`` with the ``VTIMEZONE``
of every zone they use.
"""

from __future__ import annotations

from collections.abc import Iterable
from dataclasses import dataclass
from datetime import UTC, date, datetime, timedelta

from icalendar import Calendar, Event, vDuration, vRecur

from waypost.connect.groups.schedule import Change, Series

PRODID = "-//Waypost//Waypost calendar//EN"
WEEKDAYS = ("MO", "TU", "WE", "TH", "FR", "SA", "SU")
#: How long a calendar app may keep a copy before asking again.
REFRESH = timedelta(hours=1)


@dataclass(frozen=True)
class Details:
    """What each session of a series says, beyond its times."""

    uid: str
    summary: str
    location: str = ""
    url: str = ""
    description: str = ""


def _event(details: Details, start: datetime, end: datetime, stamp: datetime) -> Event:
    event = Event()
    event.add("uid", details.uid)
    event.add("dtstamp", stamp.astimezone(UTC))
    event.add("summary", details.summary)
    event.start = start
    event.end = end
    if details.location:
        event.add("location", details.location)
    if details.url:
        event.add("url", details.url)
    if details.description:
        event.add("description", details.description)
    return event


def series_events(
    series: Series,
    details: Details,
    changes: Iterable[Change] = (),
    *,
    stamp: datetime,
    moved_location: str = "",
) -> list[Event]:
    """The series' master event, then one event per moved session.

    ``moved_location`` is where a session moved to another room is (``{room}`` is
    replaced by the room); empty, the room itself.
    """
    first = series.first_day
    master = _event(details, series.starts_at(first), series.ends_at(first), stamp)
    rule: dict[str, object] = {
        "freq": "weekly",
        "interval": series.interval_weeks,
        "byday": WEEKDAYS[series.weekday],
    }
    last_day = series.last_day
    if series.count is not None and (
        series.ends_on is None or last_day == series.day(series.count - 1)
    ):
        rule["count"] = series.count
    elif last_day is not None:
        # With a TZID start, UNTIL must be in UTC (RFC 5545, 3.3.10): the last start.
        rule["until"] = series.starts_at(last_day).astimezone(UTC)
    master.add("rrule", vRecur(rule))
    cancelled: list[datetime] = []
    moved: list[Event] = []
    for change in changes:
        day = series.occurrence_day(change.original)
        if day is None:
            continue  # no longer a session of this series
        original = series.starts_at(day)
        if change.cancelled:
            cancelled.append(original)
        elif change.moved and change.start is not None and change.end is not None:
            location = details.location
            if change.room:
                location = moved_location.replace("{room}", change.room) or change.room
            override = _event(
                Details(details.uid, details.summary, location, details.url, details.description),
                change.start.astimezone(series.zone),
                change.end.astimezone(series.zone),
                stamp,
            )
            override.add("recurrence-id", original)
            moved.append(override)
    if cancelled:
        master.add("exdate", sorted(cancelled, key=lambda moment: moment.astimezone(UTC)))
    return [master, *moved]


def calendar(events: Iterable[Event], *, name: str, first: date, last: date) -> Calendar:
    """A ``VCALENDAR`` named ``name`` holding ``events`` and the zones they use.

    ``first`` and ``last`` bound the dates the ``VTIMEZONE`` rules are written for;
    events outside them still carry their zone's name, which calendar apps know.
    """
    cal = Calendar()
    cal.add("prodid", PRODID)
    cal.add("version", "2.0")
    cal.add("calscale", "GREGORIAN")
    cal.add("method", "PUBLISH")
    cal.add("name", name)
    cal.add("x-wr-calname", name)
    cal.add("refresh-interval", REFRESH, parameters={"VALUE": "DURATION"})
    cal.add("x-published-ttl", vDuration(REFRESH))
    seen: set[tuple[str, str]] = set()
    for event in events:
        # One component per UID and RECURRENCE-ID: two sources may know one session.
        recurrence = event.get("recurrence-id")
        identity = (
            str(event.get("uid", "")),
            recurrence.to_ical().decode() if recurrence is not None else "",
        )
        if identity in seen:
            continue
        seen.add(identity)
        cal.add_component(event)
    cal.add_missing_timezones(first_date=first, last_date=last)
    return cal
