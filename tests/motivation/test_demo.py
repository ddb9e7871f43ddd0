"""The demo shows the motivation tools at every stage of the journey."""

from __future__ import annotations

import pytest

from waypost.motivation import selectors
from waypost.motivation.models import DecisionalBalance, MotivationRequest, StageOfChangeEntry
from waypost.program import gates

pytestmark = pytest.mark.django_db


def _stages(enrollment, view="client"):
    return list(
        StageOfChangeEntry.objects.filter(enrollment=enrollment, view=view)
        .order_by("recorded_at")
        .values_list("stage", flat=True)
    )


def test_each_demo_client_has_what_their_stage_suggests(demo):
    now, client = demo
    one, two, three, four = (client(n) for n in (1, 2, 3, 4))
    # client 1: readiness 6, a first balance, thinking about it, values asked for
    assert selectors.latest_readiness(one).total == 6
    assert DecisionalBalance.objects.filter(enrollment=one).count() == 1
    assert _stages(one) == ["contemplation"]
    assert MotivationRequest.objects.get(enrollment=one, closed_at__isnull=True).tool == "values"
    # client 2: two balance versions, the second in session; values sorted with top values
    versions = list(DecisionalBalance.objects.filter(enrollment=two).order_by("version"))
    assert [v.in_session for v in versions] == [False, True]
    assert len(selectors.latest_sort(two).top) == 5
    # client 3: all four with history; getting ready, then making changes
    assert selectors.readiness_forms(three).count() == 3
    assert DecisionalBalance.objects.filter(enrollment=three).count() == 2
    assert selectors.latest_sort(three).in_session
    assert _stages(three) == ["preparation", "action"]
    assert _stages(three, view="clinician") == ["action"]
    # client 4: keeping changes going
    assert _stages(four) == ["maintenance"]
    assert selectors.latest_readiness(four).total == 10
    # nothing in the future
    for model in (DecisionalBalance, StageOfChangeEntry):
        field = "created_at" if model is DecisionalBalance else "recorded_at"
        assert not model.objects.filter(**{f"{field}__gt": now}).exists()


def test_client_3_meets_the_readiness_gate_through_the_tool(demo):
    _now, client = demo
    [check] = [
        c for c in gates.checklist(client(3), stage=1) if c.criterion.key == "readiness_recorded"
    ]
    assert check.result.met
