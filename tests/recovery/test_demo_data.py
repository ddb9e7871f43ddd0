"""The demo's Stage 2 days: about ninety days of plausible, consistent history."""

from __future__ import annotations

import pytest

from waypost.recovery import selectors
from waypost.recovery.models import CheckIn, Device, Lapse, Practice, Urge

pytestmark = pytest.mark.django_db


def test_client_three_has_over_ninety_days_with_two_lapses_worked_through(demo):
    now, client = demo
    enrollment = client(3)
    today = selectors.client_today(enrollment, now)
    check_ins = CheckIn.objects.filter(enrollment=enrollment)
    assert check_ins.count() >= 90
    assert all(day < today for day in check_ins.values_list("local_date", flat=True))
    assert Lapse.objects.filter(enrollment=enrollment).count() == 2
    # the check-ins on lapse days say so
    lapse_days = set(
        Lapse.objects.filter(enrollment=enrollment).values_list("local_date", flat=True)
    )
    assert set(check_ins.filter(sober=False).values_list("local_date", flat=True)) == lapse_days
    # urges fade: the first month has more than the last
    dates = sorted(Urge.objects.filter(enrollment=enrollment).values_list("local_date", flat=True))
    first_month = sum(1 for d in dates if (d - dates[0]).days < 30)
    last_month = sum(1 for d in dates if (dates[-1] - d).days < 30)
    assert first_month > last_month > 0
    assert Urge.objects.filter(enrollment=enrollment, outcome=Urge.Outcome.RESISTED).exists()
    assert Practice.objects.filter(enrollment=enrollment).count() > 30
    # practised exercises the toolbox has
    from waypost.recovery.skills import toolbox

    practised = set(Practice.objects.values_list("skill", flat=True))
    assert practised and all(toolbox().get(slug) is not None for slug in practised)
    assert Device.objects.filter(enrollment=enrollment).count() == 2


def test_every_stage_two_client_has_a_counter_that_adds_up(demo):
    now, client = demo
    assert not CheckIn.objects.filter(enrollment=client(1)).exists()  # Stage 1: nothing yet
    for n in (2, 3, 4):
        enrollment = client(n)
        state = selectors.today_state(enrollment, selectors.client_today(enrollment, now))
        assert state is not None
        counter = state.counter
        assert counter.total_sober_days + counter.lapses == counter.days
        assert counter.current_streak <= counter.longest_streak <= counter.total_sober_days
        assert state.urges_resisted > 0
        assert not state.checked_in_today  # today is theirs to check in


def test_the_plans_count_from_their_start_and_the_lapses_were_looked_back_at(demo):
    from waypost.recovery.models import PlanReview, PreventionPlan, RecoveryPlan

    now, client = demo
    enrollment = client(3)
    plan = RecoveryPlan.objects.get(enrollment=enrollment)
    assert plan.period_days == 90 and plan.in_session
    assert PlanReview.objects.filter(
        enrollment=enrollment, document=PlanReview.Document.RECOVERY, version=plan.version
    ).exists()
    state = selectors.today_state(enrollment, selectors.client_today(enrollment, now))
    assert state is not None and state.has_plan
    assert state.counter.start == plan.start_date
    assert state.counter.days == 104  # up to yesterday: today is not checked in yet
    assert state.counter.lapses == 2
    # both lapses looked back at, their learnings in the relapse-prevention plan
    lapses = list(Lapse.objects.filter(enrollment=enrollment))
    assert all(lapse.chain and lapse.learning_version for lapse in lapses)
    newest = PreventionPlan.objects.filter(enrollment=enrollment).order_by("-version").first()
    learnings = selectors.prevention_plan(enrollment)["learnings"]
    assert newest is not None and newest.version == 3 and len(learnings) == 2
    # client 2's relapse-prevention plan waits for his next session
    assert not PlanReview.objects.filter(
        enrollment=client(2), document=PlanReview.Document.PREVENTION
    ).exists()
