"""Only the primary clinician moves a client between stages, one step at a time, with a reason."""

from __future__ import annotations

import pytest
from django.core.exceptions import PermissionDenied

from waypost.program.models import StageChange
from waypost.program.services import StageChangeError, change_stage, journey


def test_the_primary_clinician_advances_a_client_and_it_is_recorded(cast):
    # when
    change = change_stage(
        enrollment=cast.enrollment, to_stage=3, reason="Steady for six weeks.", by=cast.clinician
    )
    # then
    cast.enrollment.refresh_from_db()
    assert cast.enrollment.stage == 3
    assert (change.from_stage, change.to_stage, change.changed_by) == (2, 3, cast.clinician)
    assert change.reason == "Steady for six weeks."
    assert cast.enrollment.stage_entered_at == change.created_at
    assert list(cast.enrollment.stage_changes.values_list("to_stage", flat=True)) == [3, 2, 1]


def test_stepping_back_is_allowed_and_recorded(cast):
    change_stage(
        enrollment=cast.enrollment, to_stage=1, reason="More groundwork.", by=cast.clinician
    )
    cast.enrollment.refresh_from_db()
    assert cast.enrollment.stage == 1
    event = cast.enrollment.timeline.filter(kind="program.stage_changed").first()
    assert event.summary.startswith("Stepped back")


@pytest.mark.parametrize("reason", ["", "   "])
def test_a_reason_is_required(cast, reason):
    with pytest.raises(StageChangeError, match="reason"):
        change_stage(enrollment=cast.enrollment, to_stage=3, reason=reason, by=cast.clinician)
    cast.enrollment.refresh_from_db()
    assert cast.enrollment.stage == 2


@pytest.mark.parametrize("to_stage", [2, 4, 0, 5])
def test_stages_change_one_real_step_at_a_time(cast, to_stage):
    count = StageChange.objects.count()
    with pytest.raises(StageChangeError):
        change_stage(enrollment=cast.enrollment, to_stage=to_stage, reason="x", by=cast.clinician)
    assert StageChange.objects.count() == count


@pytest.mark.parametrize(
    "who", ["other_clinician", "foreign_clinician", "admin", "client", "ally_all"]
)
def test_nobody_else_may_change_the_stage(cast, who):
    with pytest.raises(PermissionDenied):
        change_stage(enrollment=cast.enrollment, to_stage=3, reason="x", by=getattr(cast, who))
    cast.enrollment.refresh_from_db()
    assert cast.enrollment.stage == 2


def test_the_journey_shows_where_the_client_is(cast):
    states = [(step.stage, step.state) for step in journey(cast.enrollment)]
    assert states == [(1, "done"), (2, "current"), (3, "ahead"), (4, "ahead")]
