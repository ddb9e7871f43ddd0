"""Appointments in the person's private calendar feed (``connect.calendars``).

A client's feed carries their own appointments; a clinician's, those of the clients
they are now the primary clinician of. Each session is one event with a stable ``UID``
(its row), in UTC, so every calendar app shows it in its own zone; a moved session
keeps its UID with the new time, and a cancelled one stays with ``STATUS:CANCELLED`` so
calendar apps take it off. The summary is discreet ("Appointment"): a phone's lock
screen shows it to anyone nearby. Allies never see appointments.
"""

from __future__ import annotations

from datetime import UTC, datetime, timedelta
from typing import TYPE_CHECKING
from urllib.parse import urlsplit

from django.conf import settings
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy
from icalendar import Event

from waypost.caseload.appointments import selectors
from waypost.caseload.appointments.models import Appointment, Booking
from waypost.connect import calendars

if TYPE_CHECKING:
    from django.contrib.auth.models import _User as User

#: How far back a feed keeps sessions, so a calendar app does not lose last week's.
KEEP_PAST = timedelta(days=60)


def uid(appointment: Appointment) -> str:
    host = urlsplit(settings.SITE_URL).hostname or "waypost"
    return f"appointment-{appointment.pk}@{host}"


def _event(appointment: Appointment, *, for_client: bool, stamp: datetime) -> Event:
    booking = appointment.booking
    event = Event()
    event.add("uid", uid(appointment))
    event.add("dtstamp", stamp.astimezone(UTC))
    if for_client:
        summary = _("Appointment")
    else:
        summary = _("Appointment: %(name)s") % {"name": appointment.enrollment.client.name}
    event.add("summary", summary)
    event.start = appointment.starts_at.astimezone(UTC)
    event.end = appointment.ends_at.astimezone(UTC)
    # SEQUENCE grows with each change, so calendar apps take the newest version.
    changes = int(appointment.moved_at is not None) + int(appointment.is_cancelled)
    event.add("sequence", changes)
    if booking.mode == Booking.Mode.ONLINE and booking.online_url:
        event.add("location", booking.online_url)
        event.add("url", booking.online_url)
        event.add("description", _("Join online: %(url)s") % {"url": booking.online_url})
    elif booking.place:
        event.add("location", booking.place)
    if appointment.is_cancelled:
        event.add("status", "CANCELLED")
    else:
        event.add("status", "CONFIRMED")
    return event


def appointment_events(user: User, now: datetime) -> list[Event]:
    """The appointments ``user`` has as a client or runs as the primary clinician."""
    rows = selectors.for_calendar(user.pk, since=now - KEEP_PAST)
    return [
        _event(appointment, for_client=appointment.enrollment.client_id == user.pk, stamp=now)
        for appointment in rows
    ]


SOURCE = calendars.CalendarSource("appointments", gettext_lazy("Appointments"), appointment_events)


def register() -> None:
    calendars.register(SOURCE)
