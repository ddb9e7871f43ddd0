"""The day-before reminder: once per session, discreet, and as the client chose."""

from __future__ import annotations

import re
from datetime import UTC, datetime, time, timedelta
from unittest import mock

import pytest
import time_machine
from django.core import mail

from tests.appointments.helpers import book
from waypost.caseload.appointments import services, tasks
from waypost.caseload.appointments.models import Booking

pytestmark = pytest.mark.django_db
NOW = datetime(2026, 3, 2, 2, 0, tzinfo=UTC)  # 10:00 Monday in Singapore
# Words no e-mail about an appointment may carry (subject or body).
CLINICAL = re.compile(r"porn|sex|addict|recover|relapse|abstinen|urge|lapse|therap", re.I)


@pytest.fixture
def tomorrow(cast):
    """A session tomorrow at 10:00 Singapore time, booked a week ago."""
    with time_machine.travel(NOW - timedelta(days=7), tick=False):
        booking = book(
            cast,
            first_day=(NOW + timedelta(days=1)).date(),
            start_time=time(10, 0),
            mode=Booking.Mode.ONLINE,
            online_url="https://video.test/room",
        )
    return booking.appointments.get()


def _run(at: datetime) -> dict[str, int]:
    with time_machine.travel(at, tick=False):
        return tasks.send_reminders()


def test_the_client_is_reminded_once_the_day_before_discreetly(cast, tomorrow):
    assert _run(NOW - timedelta(hours=2))["reminders"] == 0  # still more than a day ahead
    assert _run(NOW + timedelta(minutes=5))["reminders"] == 1
    assert _run(NOW + timedelta(minutes=20))["reminders"] == 0
    assert _run(NOW + timedelta(hours=5))["reminders"] == 0
    (message,) = mail.outbox
    assert message.to == [cast.client.email]
    assert message.subject == "Waypost: a reminder"
    assert not CLINICAL.search(message.subject + message.body)
    assert "Tuesday 3 March at 10:00" in message.body  # the clinic's zone (client has none)
    assert "https://video.test/room" not in message.body  # the link stays behind sign-in
    tomorrow.refresh_from_db()
    assert tomorrow.reminded_at == NOW + timedelta(minutes=5)


def test_the_reminder_is_in_the_clients_own_time_zone(cast, tomorrow):
    cast.client.time_zone = "Europe/London"
    cast.client.save(update_fields=["time_zone"])
    _run(NOW + timedelta(minutes=5))
    (message,) = mail.outbox
    assert "Tuesday 3 March at 02:00" in message.body
    assert "Europe/London" in message.body


def test_quiet_hours_hold_the_reminder_until_they_end(cast, tomorrow):
    cast.client.quiet_hours_start = time(9, 0)
    cast.client.quiet_hours_end = time(12, 0)  # in Singapore time: now (10:00) is quiet
    cast.client.save(update_fields=["quiet_hours_start", "quiet_hours_end"])
    assert _run(NOW + timedelta(minutes=5)) == {"reminders": 0, "held": 1, "not_mailed": 0}
    assert not mail.outbox
    tomorrow.refresh_from_db()
    assert tomorrow.reminded_at is None
    assert _run(NOW + timedelta(hours=2, minutes=5))["reminders"] == 1  # 12:05 local
    assert len(mail.outbox) == 1


def test_reminders_turned_off_claim_the_session_without_a_mail(cast, tomorrow):
    cast.client.email_reminders = False
    cast.client.save(update_fields=["email_reminders"])
    assert _run(NOW + timedelta(minutes=5))["not_mailed"] == 1
    assert _run(NOW + timedelta(minutes=30))["not_mailed"] == 0
    assert not mail.outbox


def test_a_cancelled_session_is_not_reminded(cast, tomorrow):
    with time_machine.travel(NOW - timedelta(hours=1), tick=False):
        services.cancel_appointment(appointment=tomorrow, by=cast.clinician, reason="Ill.")
    _run(NOW + timedelta(minutes=5))
    assert not mail.outbox


def test_a_moved_session_gets_a_reminder_for_its_new_time(cast, tomorrow):
    _run(NOW + timedelta(minutes=5))
    with time_machine.travel(NOW + timedelta(hours=1), tick=False):
        services.move_appointment(
            appointment=tomorrow,
            by=cast.clinician,
            day=(NOW + timedelta(days=1)).date(),
            start_time=time(17, 0),
        )
    _run(NOW + timedelta(hours=8))  # within a day of 17:00 tomorrow
    assert len(mail.outbox) == 2
    assert "at 17:00" in mail.outbox[1].body


def test_a_failed_send_is_tried_again_on_the_next_run(cast, tomorrow):
    with mock.patch.object(tasks, "send_mail", side_effect=OSError("no mail server")):
        assert _run(NOW + timedelta(minutes=5))["reminders"] == 0
    tomorrow.refresh_from_db()
    assert tomorrow.reminded_at is None
    assert _run(NOW + timedelta(minutes=20))["reminders"] == 1


def test_a_second_worker_finds_the_claim_and_sends_nothing(cast, tomorrow):
    at = NOW + timedelta(minutes=5)
    with time_machine.travel(at, tick=False):
        stale = list(
            tasks.Appointment.objects.filter(pk=tomorrow.pk).select_related(
                "enrollment__client", "enrollment__clinic"
            )
        )[0]
        assert tasks._remind(stale, at) == "reminders"
        assert tasks._remind(stale, at) == ""  # read before the claim, claimed since
    assert len(mail.outbox) == 1
