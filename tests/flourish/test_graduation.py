"""Graduation to alumni and stepping back in."""

from __future__ import annotations

import pytest
from django.core.exceptions import PermissionDenied

from waypost.access.policy import Action, can
from waypost.core.models import AuditEvent, TimelineEvent
from waypost.flourish import selectors, services
from waypost.flourish.services import GraduationError

pytestmark = pytest.mark.django_db


def test_the_clinician_graduates_a_stage_four_client(stage4):
    graduation = services.graduate(
        enrollment=stage4.enrollment, by=stage4.clinician, note="Proud of you."
    )
    assert graduation.is_alumni
    assert selectors.record_summary(stage4.enrollment).is_alumni
    event = TimelineEvent.objects.get(kind="flourish.graduated")
    assert event.detail == "Proud of you."
    assert AuditEvent.objects.filter(what="graduation", actor=stage4.clinician).exists()
    # the client keeps their program: still active, still in Stage 4, still editing goals
    stage4.enrollment.refresh_from_db()
    assert stage4.enrollment.status == "active" and stage4.enrollment.stage == 4
    assert can(stage4.client, Action.EDIT_GOALS, stage4.enrollment)


def test_graduating_twice_or_before_stage_four_is_refused(cast, stage4):
    services.graduate(enrollment=stage4.enrollment, by=stage4.clinician, note="Done.")
    with pytest.raises(GraduationError, match="already"):
        services.graduate(enrollment=stage4.enrollment, by=stage4.clinician, note="Again.")


def test_a_stage_two_client_cannot_graduate(cast):
    with pytest.raises(GraduationError, match="Stage 4"):
        services.graduate(enrollment=cast.enrollment, by=cast.clinician, note="Too soon.")


def test_a_note_is_needed(stage4):
    with pytest.raises(GraduationError, match="short note"):
        services.graduate(enrollment=stage4.enrollment, by=stage4.clinician, note=" ")


@pytest.mark.parametrize("who", ["client", "other_clinician", "admin"])
def test_only_the_primary_clinician_graduates(stage4, who):
    with pytest.raises(PermissionDenied):
        services.graduate(enrollment=stage4.enrollment, by=getattr(stage4, who), note="Hi.")


def test_stepping_back_in_and_graduating_again(stage4):
    services.graduate(enrollment=stage4.enrollment, by=stage4.clinician, note="First.")
    back = services.step_back_in(
        enrollment=stage4.enrollment, by=stage4.clinician, note="Hard month."
    )
    assert not back.is_alumni
    with pytest.raises(GraduationError, match="not an alumnus"):
        services.step_back_in(enrollment=stage4.enrollment, by=stage4.clinician)
    again = services.graduate(enrollment=stage4.enrollment, by=stage4.clinician, note="Second.")
    assert again.is_alumni and again.note == "Second."
    kinds = list(
        TimelineEvent.objects.filter(kind__startswith="flourish.").values_list("kind", flat=True)
    )
    assert sorted(kinds) == sorted(
        ["flourish.graduated", "flourish.stepped_back_in", "flourish.graduated"]
    )


def test_an_alumnus_moved_back_a_stage_is_an_alumnus_no_longer(
    stage4, django_capture_on_commit_callbacks
):
    from waypost.program.services import change_stage

    services.graduate(enrollment=stage4.enrollment, by=stage4.clinician, note="Well done.")
    with django_capture_on_commit_callbacks(execute=True):
        change_stage(
            enrollment=stage4.enrollment, to_stage=3, reason="A hard season.", by=stage4.clinician
        )
    assert not selectors.record_summary(stage4.enrollment).is_alumni
    assert TimelineEvent.objects.filter(kind="flourish.stepped_back_in").exists()


def test_only_a_move_below_stage_four_ends_graduation(stage4):
    from waypost.core.models import TimelineEvent as Event

    services.graduate(enrollment=stage4.enrollment, by=stage4.clinician, note="Well done.")
    staying = Event(
        enrollment=stage4.enrollment,
        kind="program.stage_changed",
        actor=stage4.clinician,
        data={"from": 4, "to": 4},
    )
    services.step_back_when_moved_back(staying)
    assert selectors.record_summary(stage4.enrollment).is_alumni
    # a move made by nobody in particular (an import) does not end it either
    nobody = Event(
        enrollment=stage4.enrollment, kind="program.stage_changed", actor=None, data={"to": 3}
    )
    services.step_back_when_moved_back(nobody)
    assert selectors.record_summary(stage4.enrollment).is_alumni
