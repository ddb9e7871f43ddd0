"""Reading a feed back as a calendar app would: icalendar parses it, dateutil expands it.

Independent of Waypost's own recurrence code, so the tests can compare the two.
"""

from __future__ import annotations

from datetime import UTC, datetime, tzinfo

from dateutil.rrule import rruleset, rrulestr
from icalendar import Calendar


def expand(
    body: bytes, since: datetime, until: datetime, *, zone_from_vtimezone: bool = False
) -> list[tuple[str, datetime]]:
    """Every (uid, start in UTC) the feed has in ``[since, until)``, soonest first.

    With ``zone_from_vtimezone`` the zone rules come from the feed's own VTIMEZONE
    components, as for a calendar app that does not know the zone's name.
    """
    cal = Calendar.from_ical(body)
    zones: dict[str, tzinfo] = {tz.tz_name: tz.to_tz() for tz in cal.timezones}
    events = list(cal.walk("VEVENT"))

    def start_of(component, name: str = "dtstart") -> datetime:
        value = component.decoded(name)
        if zone_from_vtimezone and value.tzinfo is not None:
            key = getattr(value.tzinfo, "key", None)
            if key in zones:
                value = value.replace(tzinfo=zones[key])
        return value

    found: list[tuple[str, datetime]] = []
    overrides: dict[str, list] = {}
    for event in events:
        if "RECURRENCE-ID" in event:
            overrides.setdefault(str(event["UID"]), []).append(event)
    for event in events:
        uid = str(event["UID"])
        if "RECURRENCE-ID" in event:
            start = start_of(event)
            if since <= start < until:
                found.append((uid, start.astimezone(UTC)))
            continue
        dtstart = start_of(event)
        if "RRULE" not in event:
            if since <= dtstart < until:
                found.append((uid, dtstart.astimezone(UTC)))
            continue
        rules = rruleset()
        rules.rrule(rrulestr(event["RRULE"].to_ical().decode(), dtstart=dtstart))
        exdates = event.get("EXDATE", [])
        for group in exdates if isinstance(exdates, list) else [exdates]:
            for moment in group.dts:
                value = moment.dt
                if zone_from_vtimezone and getattr(value.tzinfo, "key", None) in zones:
                    value = value.replace(tzinfo=zones[value.tzinfo.key])
                rules.exdate(value)
        for override in overrides.get(uid, []):
            rules.exdate(start_of(override, "recurrence-id"))
        for moment in rules.between(since, until, inc=True):
            if moment < until:
                found.append((uid, moment.astimezone(UTC)))
    return sorted(found, key=lambda pair: (pair[1], pair[0]))
