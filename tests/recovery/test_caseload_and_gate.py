"""The caseload's streak column and the Stage 2 gate criterion for check-in days."""

from __future__ import annotations

from datetime import timedelta
from uuid import uuid4

import pytest
from django.urls import reverse
from django.utils import timezone

from tests.assessments.helpers import sign_in
from tests.recovery.helpers import keep, seed, today_of
from waypost.program import gates
from waypost.recovery import columns, selectors
from waypost.recovery.models import Lapse

pytestmark = pytest.mark.django_db


def _start_days_ago(cast, n: int) -> None:
    cast.enrollment.stage_entered_at = timezone.now() - timedelta(days=n)
    cast.enrollment.save(update_fields=["stage_entered_at"])


def _enrollments(cast):
    from waypost.program.selectors import visible_enrollments

    return list(visible_enrollments(cast.clinician))


def test_the_column_shows_the_streak_and_when_they_last_checked_in(cast):
    _start_days_ago(cast, 10)
    today = today_of(cast)
    seed(cast, today - timedelta(days=4), sober=False)
    keep(cast, days_ago=0)
    cell = columns.streaks(_enrollments(cast))[cast.enrollment.pk]
    # four days since the lapse, today included
    assert cell.text == "4 days · checked in today"
    assert not cell.attention
    assert "10 days in all" in cell.label  # 11 days of the plan less the lapse day


def test_a_lapse_in_the_log_starts_a_new_streak_in_the_column_too(cast):
    _start_days_ago(cast, 5)
    now = timezone.now()
    Lapse.objects.create(
        enrollment=cast.enrollment,
        client_uuid=uuid4(),
        local_date=today_of(cast) - timedelta(days=1),
        created_at=now,
        updated_at=now,
    )
    state = selectors.caseload_states(_enrollments(cast))[cast.enrollment.pk]
    # yesterday was the lapse; today is not checked in yet, so the streak stands at 0
    assert state.counter.current_streak == 0
    assert state.counter.total_sober_days == 4
    assert state.last_check_in is None


def test_three_quiet_days_need_attention(cast):
    _start_days_ago(cast, 10)
    seed(cast, today_of(cast) - timedelta(days=3))
    cell = columns.streaks(_enrollments(cast))[cast.enrollment.pk]
    assert cell.text.endswith("last check-in 3 days ago")
    assert cell.attention


def test_no_check_in_since_counting_began_two_days_ago_is_not_yet_a_worry(cast):
    _start_days_ago(cast, 2)
    cell = columns.streaks(_enrollments(cast))[cast.enrollment.pk]
    assert cell.text.endswith("no check-in yet")
    assert not cell.attention
    _start_days_ago(cast, 3)
    assert columns.streaks(_enrollments(cast))[cast.enrollment.pk].attention


def test_clients_before_stage_two_have_no_cell(cast):
    cast.enrollment.stage = 1
    cast.enrollment.save(update_fields=["stage"])
    assert columns.streaks(_enrollments(cast)) == {}


def test_the_caseload_page_shows_the_column(cast, client):
    _start_days_ago(cast, 3)
    keep(cast, days_ago=0)
    response = sign_in(client, cast.clinician).get(reverse("caseload:list"))
    assert response.status_code == 200
    assert "Streak · check-in" in response.content.decode()
    assert "4 days · checked in today" in response.content.decode()


def test_the_gate_counts_check_in_days_since_counting_began(cast):
    _start_days_ago(cast, 40)
    today = today_of(cast)
    for n in range(5):
        seed(cast, today - timedelta(days=n + 3))
    seed(cast, today - timedelta(days=60))  # before counting began: not counted
    criterion = gates.criteria_for(2)
    check = next(c for c in criterion if c.key == "check_in_days")
    result = check.evaluate(cast.enrollment, {"days": 5})
    assert result.met
    assert str(result.detail) == "Checked in on 5 days"
    assert not check.evaluate(cast.enrollment, {"days": 6}).met
    assert check.defaults == {"days": 30}
