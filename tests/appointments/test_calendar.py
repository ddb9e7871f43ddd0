"""Appointments in the private calendar feed: discreet, stable UIDs, the link, cancellations."""

from __future__ import annotations

import re
from datetime import UTC, datetime, time, timedelta

import pytest
import time_machine
from django.test import Client
from django.urls import reverse
from icalendar import Calendar

from tests.appointments.helpers import book
from waypost.caseload.appointments import calendar, services
from waypost.caseload.appointments.models import Booking
from waypost.connect import calendars
from waypost.connect.groups import feeds

pytestmark = pytest.mark.django_db
NOW = datetime(2026, 3, 2, 2, 0, tzinfo=UTC)
INDISCREET = re.compile(r"porn|sex|addict|recover|relapse|abstinen|urge|lapse", re.IGNORECASE)


@pytest.fixture(autouse=True)
def _frozen():
    with time_machine.travel(NOW, tick=False):
        yield


def _feed_events(user) -> list:
    _feed, raw = feeds.renew_feed(user=user)
    response = Client().get(reverse("group_therapy:feed", args=[raw]))
    assert response.status_code == 200
    return [
        e
        for e in Calendar.from_ical(response.content).walk("VEVENT")
        if str(e["UID"]).startswith("appointment-")
    ]


def test_the_source_is_registered():
    assert calendar.SOURCE in calendars.sources()


def test_the_clients_feed_carries_their_appointments_discreetly_with_the_link(cast):
    booking = book(
        cast, every_weeks=1, count=2, mode=Booking.Mode.ONLINE, online_url="https://v.test/r"
    )
    first, second = booking.appointments.order_by("sequence")
    found = _feed_events(cast.client)
    assert [str(e["SUMMARY"]) for e in found] == ["Appointment", "Appointment"]
    assert not any(INDISCREET.search(e.to_ical().decode()) for e in found)
    assert {str(e["UID"]) for e in found} == {calendar.uid(first), calendar.uid(second)}
    assert found[0].decoded("DTSTART") == first.starts_at
    assert found[0].decoded("DTEND") == first.ends_at
    assert str(found[0]["URL"]) == "https://v.test/r"
    assert "https://v.test/r" in str(found[0]["DESCRIPTION"])
    assert str(found[0]["STATUS"]) == "CONFIRMED"


def test_the_clinicians_feed_names_the_client_and_nobody_else_sees_it(cast):
    book(cast, place="Room 3")
    (event,) = _feed_events(cast.clinician)
    assert str(event["SUMMARY"]) == "Appointment: Sam Client"
    assert str(event["LOCATION"]) == "Room 3"
    for someone in (cast.other_clinician, cast.foreign_clinician, cast.ally_all):
        assert _feed_events(someone) == []


def test_a_moved_session_keeps_its_uid_and_a_cancelled_one_says_so(cast):
    booking = book(cast, every_weeks=1, count=2)
    first, second = booking.appointments.order_by("sequence")
    uids_before = {str(e["UID"]) for e in _feed_events(cast.client)}
    services.move_appointment(
        appointment=first, by=cast.clinician, day=first.starts_at.date(), start_time=time(16)
    )
    services.cancel_appointment(appointment=second, by=cast.clinician, reason="Closed.")
    found = {str(e["UID"]): e for e in _feed_events(cast.client)}
    assert set(found) == uids_before
    moved, cancelled = found[calendar.uid(first)], found[calendar.uid(second)]
    assert moved.decoded("DTSTART") == datetime.combine(first.starts_at.date(), time(8), tzinfo=UTC)
    assert int(moved["SEQUENCE"]) == 1
    assert str(cancelled["STATUS"]) == "CANCELLED"
    assert "Closed." not in cancelled.to_ical().decode()  # the reason stays in the record


def test_old_sessions_leave_the_feed_after_a_while(cast):
    book(cast)
    with time_machine.travel(NOW + timedelta(days=90), tick=False):
        assert _feed_events(cast.client) == []
