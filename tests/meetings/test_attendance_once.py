"""A meeting is logged once per day: a second press, or a second form, never counts it twice."""

from __future__ import annotations

import uuid
from datetime import UTC, date, datetime, time

import pytest
import time_machine
from django.db import IntegrityError, transaction
from django.urls import reverse
from django.utils import timezone

from tests.meetings.helpers import hand_meeting
from waypost.connect import attendance
from waypost.connect.meetings import events as meeting_events
from waypost.connect.meetings import services
from waypost.connect.meetings.models import Attendance
from waypost.core.models import TimelineEvent

pytestmark = pytest.mark.django_db

WEDNESDAY_MORNING = datetime(2025, 6, 11, 4, tzinfo=UTC)  # 12:00 in Singapore


def _log(cast, meeting, day: date, **options):
    return services.log_attendance(
        enrollment=cast.enrollment,
        meeting=meeting,
        day=day,
        client_uuid=uuid.uuid4(),
        by=cast.client,
        **options,
    )


def test_the_same_meeting_on_the_same_day_is_kept_once_and_the_first_entry_returned(cast):
    meeting = hand_meeting(cast.clinic, days=[2], time=time(19, 30))
    with time_machine.travel(WEDNESDAY_MORNING, tick=False):
        first, first_new = _log(cast, meeting, date(2025, 6, 10))
        again, again_new = _log(cast, meeting, date(2025, 6, 10))
    assert first_new and not again_new
    assert again.pk == first.pk
    assert Attendance.objects.filter(enrollment=cast.enrollment).count() == 1
    assert TimelineEvent.objects.filter(kind=meeting_events.ATTENDED).count() == 1


def test_two_presses_on_the_page_count_once_for_the_gate_and_the_ally(cast, as_user):
    meeting = hand_meeting(cast.clinic, name="Harbour Lights", days=[2], time=time(19, 30))
    browser = as_user(cast.client)
    with time_machine.travel(WEDNESDAY_MORNING, tick=False):
        for _press in range(2):
            response = browser.post(
                reverse("meetings:attendance"),
                {"meeting": meeting.pk, "day": "2025-06-10", "client_uuid": str(uuid.uuid4())},
                follow=True,
            )
            assert response.status_code == 200
        page = response.content.decode()
    assert "Harbour Lights on June 10, 2025 is already in your log." in page
    assert attendance.attended(cast.enrollment) == 1
    (source,) = [s for s in attendance.sources() if s.key == "meetings"]
    assert source.count(cast.enrollment, None) == 1


def test_other_days_other_meetings_and_other_clients_are_kept_apart(cast):
    meeting = hand_meeting(cast.clinic, days=[2], time=time(19, 30))
    other = hand_meeting(cast.clinic, days=[2], time=time(20))
    with time_machine.travel(WEDNESDAY_MORNING, tick=False):
        assert _log(cast, meeting, date(2025, 6, 10))[1]
        assert _log(cast, meeting, date(2025, 6, 3))[1]
        assert _log(cast, other, date(2025, 6, 10))[1]
    assert Attendance.objects.count() == 3


def test_the_database_refuses_a_second_entry_for_the_same_meeting_and_day(cast):
    meeting = hand_meeting(cast.clinic)
    values = {
        "enrollment": cast.enrollment,
        "meeting": meeting,
        "attended_on": date(2025, 6, 10),
        "starts_at": datetime(2025, 6, 10, 11, 30, tzinfo=UTC),
        "created_at": timezone.now(),
    }
    Attendance.objects.create(client_uuid=uuid.uuid4(), **values)
    with pytest.raises(IntegrityError), transaction.atomic():
        Attendance.objects.create(client_uuid=uuid.uuid4(), **values)


def test_a_race_that_reaches_the_database_returns_the_entry_that_won(cast, monkeypatch):
    meeting = hand_meeting(cast.clinic, days=[2], time=time(19, 30))
    with time_machine.travel(WEDNESDAY_MORNING, tick=False):
        won, _new = _log(cast, meeting, date(2025, 6, 10))
        # the other press read before the first one wrote: it finds nothing, then collides
        real_filter = Attendance.objects.filter
        calls = {"n": 0}

        def blind_first_look(*args, **kwargs):
            if "attended_on" in kwargs:
                calls["n"] += 1
                if calls["n"] == 1:
                    return real_filter(pk=-1)
            return real_filter(*args, **kwargs)

        monkeypatch.setattr(Attendance.objects, "filter", blind_first_look)
        lost, new = _log(cast, meeting, date(2025, 6, 10))
    assert not new and lost.pk == won.pk
    assert Attendance.objects.count() == 1
