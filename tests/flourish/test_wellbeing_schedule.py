"""Moving into Stage 4 puts the wellbeing questionnaire (WHO-5) on a four-weekly schedule."""

from __future__ import annotations

import pytest

from waypost.assessments.models import Administration, Assignment
from waypost.flourish.services.wellbeing import EVERY_WEEKS, INSTRUMENT
from waypost.program.services import change_stage

pytestmark = pytest.mark.django_db


def _to(cast, stage, capture):
    with capture(execute=True):
        change_stage(enrollment=cast.enrollment, to_stage=stage, reason="Ready.", by=cast.clinician)


def _schedules(cast):
    return list(
        Assignment.objects.filter(
            enrollment=cast.enrollment, instrument_id=INSTRUMENT, ended_at__isnull=True
        ).exclude(schedule=Assignment.Schedule.ONCE)
    )


def test_entering_stage_four_schedules_who5_every_four_weeks(
    cast, django_capture_on_commit_callbacks
):
    _to(cast, 3, django_capture_on_commit_callbacks)
    assert _schedules(cast) == []
    _to(cast, 4, django_capture_on_commit_callbacks)
    (schedule,) = _schedules(cast)
    assert schedule.every_weeks == EVERY_WEEKS
    assert schedule.created_by == cast.clinician
    # the first form opens at once, for the client's Today
    assert Administration.objects.filter(
        enrollment=cast.enrollment, instrument_id=INSTRUMENT, status=Administration.Status.OPEN
    ).exists()


def test_coming_back_to_stage_four_does_not_add_a_second_schedule(
    cast, django_capture_on_commit_callbacks
):
    _to(cast, 3, django_capture_on_commit_callbacks)
    _to(cast, 4, django_capture_on_commit_callbacks)
    _to(cast, 3, django_capture_on_commit_callbacks)
    _to(cast, 4, django_capture_on_commit_callbacks)
    assert len(_schedules(cast)) == 1


def test_a_schedule_the_clinician_already_set_is_kept(cast, django_capture_on_commit_callbacks):
    from waypost.assessments.services.assigning import assign_measure

    assign_measure(
        enrollment=cast.enrollment,
        instrument_id=INSTRUMENT,
        by=cast.clinician,
        schedule=Assignment.Schedule.EVERY_N_WEEKS,
        every_weeks=2,
    )
    _to(cast, 3, django_capture_on_commit_callbacks)
    _to(cast, 4, django_capture_on_commit_callbacks)
    (schedule,) = _schedules(cast)
    assert schedule.every_weeks == 2
