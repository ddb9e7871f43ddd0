"""Where meetings show up outside their own pages, registered from ``MeetingsConfig.ready()``.

- the ally scope "meetings" (how many peer meetings the client logged, the recent ones
  by name and date) and the attendance source the Stage 3 gate and the record read;
- the client's calendar feed: their favourite meetings as weekly events, discreetly;
- the client's Connect page (a short section) and Today's "Coming up" (a favourite
  online meeting starting within a few hours, read with Today's one query of facts);
- the Connect tab for the meetings pages and the clinic's "Meetings" page.
"""

from __future__ import annotations

import json
from collections.abc import Iterable
from datetime import UTC, datetime, time, timedelta
from typing import TYPE_CHECKING, Any
from urllib.parse import urlsplit

from django.conf import settings
from django.db.models import F, OuterRef
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from waypost.access.policy import Action, can, roles_of
from waypost.connect import attendance, calendars, scopes
from waypost.connect.meetings import schedule, selectors
from waypost.connect.meetings.models import Favourite, Meeting
from waypost.core import clinic_pages, coming_up, facts, nav, panels
from waypost.core.discretion import discreet, is_discreet
from waypost.core.timezones import first_zone

if TYPE_CHECKING:
    from django.contrib.auth.models import _User as User
    from django.http import HttpRequest
    from icalendar import Event

    from waypost.connect.models import AllyLink
    from waypost.program.models import Enrollment

SCOPE = "meetings"
STYLESHEET = "meetings/meetings.css"
# Today shows a favourite online meeting this many hours before it starts.
COMING_UP_HOURS = 3
# The ally's section: the count over this many days, and this many recent ones by name.
ALLY_DAYS = 30
ALLY_RECENT = 5
PANEL_FAVOURITES = 3


# --- the ally's section and the attendance source ----------------------------------------------


def ally_section(link: AllyLink) -> scopes.SectionContext:
    """How many meetings the client logged (in all, lately) and the latest by name and date."""
    enrollment = link.enrollment
    since = timezone.now() - timedelta(days=ALLY_DAYS)
    return {
        "total": selectors.attended_count(enrollment),
        "lately": selectors.attended_count(enrollment, since),
        "days": ALLY_DAYS,
        "recent": [
            {"name": entry.meeting.name, "day": entry.attended_on, "online": entry.online}
            for entry in selectors.attendance_log(enrollment, limit=ALLY_RECENT)
        ],
    }


def _count(enrollment: Enrollment, since: datetime | None) -> int:
    return selectors.attended_count(enrollment, since)


def _latest(enrollment: Enrollment, limit: int) -> list[attendance.Attended]:
    return [
        attendance.Attended(
            source=SCOPE, at=entry.starts_at, title=entry.meeting.name, online=entry.online
        )
        for entry in selectors.attendance_log(enrollment, limit=limit)
    ]


# --- the calendar feed ----------------------------------------------------------------------------


def _byday(days: list[int]) -> list[str]:
    return [("SU", "MO", "TU", "WE", "TH", "FR", "SA")[day] for day in days]


def _own_page(meeting: Meeting) -> str:
    """The meeting's page here (sign-in needed): says nothing to whoever sees the calendar."""
    return settings.SITE_URL + reverse("meetings:meeting", args=[meeting.pk])


def _uid(meeting: Meeting) -> str:
    # By number: a slug such as "saa-monday" would say what the meeting is.
    host = urlsplit(settings.SITE_URL).hostname or "waypost"
    return f"meeting-{meeting.pk}@{host}"


def meeting_event(meeting: Meeting, since: datetime, now: datetime) -> Event | None:
    """A favourite meeting as a weekly event, in its own zone (TZID), so DST is right for anyone.

    ``DTSTART``: its first start on or after ``since`` (when it became a favourite), which
    does not move from one fetch to the next. None for a meeting by appointment.

    A calendar may be shared, synced or seen on a lock screen, so the event is discreet
    (``core.discretion``): a name that says what the meeting is for becomes "Meeting";
    the feed's notes and the fellowship's own web page stay out; the link to join (needed
    to take part) stays unless it too says too much, when the meeting's page here takes
    its place; an address or venue that says too much is left out.
    """
    from icalendar import Event

    if meeting.by_appointment or meeting.time is None:
        return None
    zone = meeting.zone
    first = schedule.next_start(meeting.days, meeting.time, zone, since)
    if first is None:
        return None
    local = first.astimezone(zone)
    start = datetime.combine(local.date(), meeting.time, tzinfo=zone)
    end = schedule.ends_at(first, meeting.time, meeting.end_time, zone)
    event = Event()
    event.add("uid", _uid(meeting))
    event.add("dtstamp", now.astimezone(UTC))
    event.add("summary", discreet(meeting.name, _("Meeting")))
    event.add("dtstart", start)
    event.add("duration", end - first)
    event.add("rrule", {"freq": "weekly", "byday": _byday(meeting.days)})
    join = meeting.conference_url
    if join and not is_discreet(join):
        join = _own_page(meeting)
    event.add("url", join or _own_page(meeting))
    if meeting.online and not meeting.in_person:
        where = join or meeting.conference_phone
    else:
        places = (meeting.full_address, meeting.location)
        where = next((text for text in places if text and is_discreet(text)), "")
    if where:
        event.add("location", where)
    # Only what it takes to join by phone or link; the feed's other notes stay out.
    notes = [
        text
        for text in (meeting.conference_phone_notes, meeting.conference_url_notes)
        if text and is_discreet(text)
    ]
    if meeting.conference_phone:
        notes.insert(0, _("By phone: %(phone)s") % {"phone": meeting.conference_phone})
    if notes:
        event.add("description", "\n\n".join(notes))
    return event


def calendar_events(viewer: User, now: datetime) -> Iterable[Event]:
    """The viewer's own favourite meetings, if they are a client; nothing for anyone else.

    Allies get nothing from here: a client's meetings are theirs, and the ally scope
    shares only what they logged.
    """
    enrollment = roles_of(viewer).enrollment
    if enrollment is None or not can(viewer, Action.VIEW_OWN, enrollment):
        return []
    favourites = Favourite.objects.filter(
        enrollment=enrollment, meeting__active=True
    ).select_related("meeting__clinic")
    found = []
    for favourite in favourites:
        event = meeting_event(favourite.meeting, favourite.created_at, now)
        if event is not None:
            found.append(event)
    return found


# --- the Connect page, Today ------------------------------------------------------------------


def connect_panel(request: HttpRequest, enrollment: Enrollment) -> dict[str, Any] | None:
    """A few favourites with their next start, soonest first, and the way to the directory.

    One query (the favourites with their meetings).
    """
    if not can(request.user, Action.VIEW_OWN, enrollment):
        return None
    now = timezone.now()
    viewer = timezone.get_current_timezone()
    upcoming = []
    for favourite in selectors.favourites_with_meetings(enrollment):
        meeting = favourite.meeting
        if not meeting.active:
            continue
        start = None
        if not meeting.by_appointment and meeting.time is not None:
            start = schedule.next_start(meeting.days, meeting.time, meeting.zone, now)
        upcoming.append(
            {
                "meeting": meeting,
                "starts_at": start.astimezone(viewer) if start else None,
                "soon": start is not None and start - now <= timedelta(hours=COMING_UP_HOURS),
                "remind": favourite.remind and start is not None,
            }
        )
    upcoming.sort(key=lambda one: (one["starts_at"] is None, one["starts_at"] or now))
    shown = upcoming[:PANEL_FAVOURITES]
    return {"favourites": shown, "more": len(upcoming) - len(shown)}


def _favourite_rows(enrollment: Enrollment, now: datetime) -> facts.Rows:
    return facts.Rows(
        Favourite.objects.filter(
            enrollment=OuterRef("pk"),
            meeting__active=True,
            meeting__online=True,
            meeting__time__isnull=False,
        ),
        ["id", "meeting_id"],
        extra={
            "name": F("meeting__name"),
            "days": F("meeting__days"),
            "at": F("meeting__time"),
            "zone": F("meeting__time_zone"),
        },
    )


def coming_up_meetings(request: HttpRequest, enrollment: Enrollment) -> list[coming_up.ComingUp]:
    """A favourite online meeting starting within the next few hours, for Today (no query)."""
    if not can(request.user, Action.VIEW_OWN, enrollment):
        return []
    known = facts.facts_for(request, enrollment)
    found = []
    for row in known["meetings.online_favourites"]:
        at = _time(row.at)
        if at is None:
            continue
        start = schedule.starts_within(
            _days(row.days), at, first_zone(row.zone), known.now, COMING_UP_HOURS
        )
        if start is None:
            continue
        found.append(
            coming_up.ComingUp(
                key=f"meetings.{row.meeting_id}",
                starts_at=start,
                title=_("%(name)s (online meeting)") % {"name": row.name},
                url=reverse("meetings:meeting", args=[row.meeting_id]),
            )
        )
    return found


def _time(value: object) -> time | None:
    """A meeting's time as the facts query carries it ("19:30:00")."""
    if isinstance(value, time):
        return value
    if isinstance(value, str):
        try:
            return time.fromisoformat(value)
        except ValueError:
            return None
    return None


def _days(value: object) -> list[int]:
    """A meeting's days as the facts query carries them: a list, or its JSON text (SQLite)."""
    if isinstance(value, str):
        try:
            value = json.loads(value)
        except ValueError:
            return []
    return schedule.clean_days(value) if isinstance(value, list) else []


# --- wiring ------------------------------------------------------------------------------------


def register_all() -> None:
    scopes.register(
        scopes.ConsentScope(
            SCOPE,
            gettext_lazy("Meeting attendance"),
            gettext_lazy(
                "How many peer support meetings you logged going to, and the recent ones by "
                "name and date."
            ),
            template="meetings/ally/section.html",
            context=ally_section,
        )
    )
    attendance.register(
        attendance.AttendanceSource(SCOPE, gettext_lazy("Peer meetings"), _count, _latest)
    )
    calendars.register(
        calendars.CalendarSource(SCOPE, gettext_lazy("Favourite peer meetings"), calendar_events)
    )
    panels.register(
        panels.Panel(
            slot="client_connect",
            key="meetings.connect",
            template="meetings/panels/connect.html",
            context=connect_panel,
            order=20,
            stylesheet=STYLESHEET,
        )
    )
    facts.register("meetings.online_favourites", _favourite_rows)
    coming_up.register("meetings.favourites_soon", coming_up_meetings)
    nav.register("meetings:*", "connect")
    clinic_pages.register(
        clinic_pages.ClinicPage(
            "meetings",
            gettext_lazy("Meetings"),
            gettext_lazy("Peer support meeting lists your clients can search, and your own"),
            "meetings:clinic",
            lights=("meetings:clinic*",),
            order=60,
            for_clinicians=True,
        )
    )
