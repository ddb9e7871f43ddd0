"""The demo: every client has a next appointment and a past one; one session is cancelled."""

from __future__ import annotations

import pytest

from waypost.caseload.appointments.models import Appointment

pytestmark = pytest.mark.django_db


def test_each_demo_client_has_a_next_and_a_past_appointment_and_one_is_cancelled(demo):
    now, client = demo
    for n in (1, 2, 3, 4):
        mine = Appointment.objects.filter(enrollment=client(n))
        assert mine.filter(status="planned", starts_at__gt=now).exists(), n
        assert mine.filter(starts_at__lt=now).exists(), n
        ahead = mine.filter(starts_at__gt=now, status="planned")
        assert all(a.planned_session_id for a in ahead), n  # in step with the assessments app
    cancelled = Appointment.objects.filter(status="cancelled")
    assert cancelled.count() == 1
    assert cancelled.get().cancel_reason
