"""The caseload's "Next appointment": each client's next session, as the client's page has it."""

from __future__ import annotations

from datetime import timedelta

import pytest
from django.utils import timezone

from tests.appointments.helpers import book
from waypost.caseload.appointments.models import Appointment, Booking
from waypost.caseload.appointments.selectors import Next, next_by_enrollment, upcoming

pytestmark = pytest.mark.django_db


def test_of_two_sessions_at_the_same_moment_the_earlier_booked_gives_time_and_mode(cast):
    # given an online session and, later booked, one in person at the very same moment
    online = book(cast, mode=Booking.Mode.ONLINE, place="", online_url="https://meet.example.org/a")
    first = online.appointments.get()
    in_person = book(cast).appointments.get()
    Appointment.objects.filter(pk=in_person.pk).update(
        starts_at=first.starts_at, ends_at=first.ends_at
    )
    now = timezone.now()
    # when the caseload reads the next one
    found = next_by_enrollment([cast.enrollment], now)
    # then time and mode come from the same session, the one the client's page lists first
    assert found == {cast.enrollment.pk: Next(first.starts_at, Booking.Mode.ONLINE)}
    assert upcoming(cast.enrollment, now)[0].pk == first.pk


def test_a_session_under_way_is_still_next_and_one_over_or_cancelled_is_not(cast):
    session = book(cast).appointments.get()
    now = timezone.now()
    Appointment.objects.filter(pk=session.pk).update(
        starts_at=now - timedelta(minutes=10), ends_at=now + timedelta(minutes=40)
    )
    assert next_by_enrollment([cast.enrollment], now)[cast.enrollment.pk].starts_at == (
        now - timedelta(minutes=10)
    )
    # over
    assert next_by_enrollment([cast.enrollment], now + timedelta(hours=1)) == {}
    # cancelled
    Appointment.objects.filter(pk=session.pk).update(status=Appointment.Status.CANCELLED)
    assert next_by_enrollment([cast.enrollment], now) == {}
    # and a client with none is simply not in the answer
    assert next_by_enrollment([cast.foreign_enrollment], now) == {}
