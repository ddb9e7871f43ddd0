"""The check-in service: one per local day, a second submit updates, a retry is stored once."""

from __future__ import annotations

from uuid import uuid4

import pytest
from django.core.exceptions import PermissionDenied

from tests.recovery.helpers import keep, today_of
from waypost.core.models import TimelineEvent
from waypost.recovery import events, services
from waypost.recovery.models import CheckIn

pytestmark = pytest.mark.django_db


def _events(cast):
    return TimelineEvent.objects.filter(enrollment=cast.enrollment, kind=events.CHECKED_IN)


def test_a_check_in_is_kept_for_the_clients_local_day(cast):
    entry = keep(cast, note="A calm evening walk.")

    stored = CheckIn.objects.get()
    assert stored.pk == entry.pk
    assert stored.local_date == today_of(cast)
    assert (stored.sober, stored.mood, stored.urge) == (True, 4, 2)
    assert stored.note == "A calm evening walk."
    assert _events(cast).count() == 1


def test_a_second_submit_for_the_same_day_updates_it(cast):
    first = keep(cast, mood=2)

    second = keep(cast, mood=5, sober=False)

    assert second.pk == first.pk
    assert CheckIn.objects.count() == 1
    stored = CheckIn.objects.get()
    assert (stored.mood, stored.sober) == (5, False)
    assert [e.data["updated"] for e in _events(cast).order_by("pk")] == [False, True]


def test_the_same_submission_twice_is_stored_once(cast):
    submission = uuid4()
    keep(cast, client_uuid=submission, mood=3)

    again = keep(cast, client_uuid=submission, mood=3)

    assert CheckIn.objects.count() == 1
    assert again.client_uuid == submission
    assert _events(cast).count() == 1


def test_each_local_day_has_its_own_check_in(cast):
    keep(cast)
    keep(cast, days_ago=1)
    keep(cast, days_ago=2)

    assert CheckIn.objects.count() == 3


@pytest.mark.parametrize("days_ago", [3, 10, -1])
def test_only_today_and_the_two_days_before_can_be_kept(cast, days_ago):
    with pytest.raises(services.CheckInError):
        keep(cast, days_ago=days_ago)
    assert not CheckIn.objects.exists()


@pytest.mark.parametrize(
    "values",
    [
        {"mood": 0},
        {"mood": 6},
        {"urge": -1},
        {"urge": 11},
        {"sleep_hours": 25},
        {"sleep_hours": 7.25},
        {"sleep_hours": "lots"},
        {"mindfulness_minutes": 601},
        {"mindfulness_minutes": -5},
        {"sober": None},
        {"note": "x" * (services.NOTE_MAX_LENGTH + 1)},
    ],
)
def test_a_value_out_of_range_is_refused_and_changes_nothing(cast, values):
    before = keep(cast, mood=3)

    with pytest.raises(services.CheckInError):
        keep(cast, **values)

    stored = CheckIn.objects.get()
    assert stored.mood == 3
    assert stored.updated_at == before.updated_at
    assert _events(cast).count() == 1


def test_only_the_client_may_check_in(cast):
    for someone in (cast.clinician, cast.admin, cast.ally_all, cast.foreign_client):
        with pytest.raises(PermissionDenied):
            services.check_in(
                enrollment=cast.enrollment,
                by=someone,
                day=today_of(cast),
                client_uuid=uuid4(),
                sober=True,
                mood=3,
                urge=1,
            )
    assert not CheckIn.objects.exists()


def test_a_client_below_stage_2_cannot_check_in_yet(cast):
    with pytest.raises(PermissionDenied):
        services.check_in(
            enrollment=cast.foreign_enrollment,
            by=cast.foreign_client,
            day=today_of(cast),
            client_uuid=uuid4(),
            sober=True,
            mood=3,
            urge=1,
        )


def test_the_timeline_says_which_day_and_never_the_answers_or_the_note(cast):
    keep(cast, note="Something private", mood=1, urge=9)

    event = _events(cast).get()
    assert set(event.data) == {"day", "updated"}
    assert "Something private" not in str(event.data)
    assert event.summary.startswith("Checked in for ")
    assert "Something private" not in event.summary
