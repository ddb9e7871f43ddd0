"""Each column's quick ``attention`` answer agrees with its cells, and the caseload ordered
from those answers is the caseload ordered from every client's cells (``core.columns``).

"Needs attention first" is decided for the whole list from each weighing column's own
query, and cells are made only for the page shown. If a column's quick answer and its
cells disagreed, a client could be listed high and show nothing to attend to, or need
attention and be left on a later page: these tests hold every registered column to it.
"""

from __future__ import annotations

from datetime import timedelta

import pytest
from django.urls import reverse
from django.utils import timezone

from tests.caseload.history import clients_with_history
from tests.flourish.helpers import to_stage_four
from waypost.assessments.models import Administration
from waypost.core import columns
from waypost.flourish import services as flourish_services
from waypost.program.models import Enrollment
from waypost.recovery import selectors as recovery_selectors
from waypost.recovery.models import CheckIn

pytestmark = pytest.mark.django_db


def _listed(cast):
    return Enrollment.objects.filter(primary_clinician=cast.clinician_profile, status="active")


def _flagged_by_cells(column: columns.Column, enrollments: list[Enrollment]) -> set[int]:
    with columns.loading():
        return {pk for pk, cell in column.cells(enrollments).items() if cell.attention}


def test_every_weighing_column_answers_attention_without_its_cells():
    # a column that weighs without an answer of its own makes every client's cells again
    weighing = [column for column in columns.all_columns() if column.weight > 0]
    assert weighing
    assert [column.key for column in weighing if column.attention is None] == []


def _with_edges(made: list[Enrollment]) -> None:
    """What the history leaves out: a client from Stage 2 on who has not checked in for
    five days; a questionnaire that closes within the day; and one whose closing time
    passed before the worker marked it missed."""
    quiet = next(e for e in made if e.stage >= 2)
    today = recovery_selectors.client_today(quiet)
    CheckIn.objects.filter(enrollment=quiet, local_date__gte=today - timedelta(days=5)).delete()
    now = timezone.now()
    # (the history leaves every client a questionnaire missed lately: not these three)
    Administration.objects.filter(
        enrollment__in=made[:3], status=Administration.Status.EXPIRED
    ).delete()
    for enrollment, closes_at in (
        (made[0], now + timedelta(hours=12)),
        (made[1], now - timedelta(hours=2)),
    ):
        Administration.objects.create(
            enrollment=enrollment,
            instrument_id="who-5",
            status=Administration.Status.OPEN,
            opens_at=now - timedelta(days=6),
            closes_at=closes_at,
        )


def test_each_columns_quick_answer_is_what_its_cells_say(cast):
    # given clients in every stage with a month of history, half with something open, one
    # quiet for five days
    _with_edges(clients_with_history(cast, 0, 8, days=30))
    enrollments = list(_listed(cast).select_related("client", "clinic"))
    for column in columns.all_columns():
        if column.attention is None:
            continue
        # when the column answers for the whole list, and makes every client's cells
        quick = set(column.attention(_listed(cast)))
        # then both name the same clients, and some clients at that
        assert quick == _flagged_by_cells(column, enrollments), column.key
        assert quick, f"{column.key}: the history leaves something to attend to"
        assert quick < {e.pk for e in enrollments}, f"{column.key}: and someone with nothing"


def test_the_list_is_in_the_order_every_clients_cells_give(cast, client):
    # given a caseload where some need attention and some do not
    _with_edges(clients_with_history(cast, 0, 8, days=30))
    enrollments = list(_listed(cast).select_related("client", "clinic"))
    _columns, table = columns.rows(enrollments)
    expected = [row.name for row in columns.ordered(table, columns.by_attention, descending=True)]
    # when the clinician opens the caseload, "needs attention first"
    client.force_login(cast.clinician)
    html = client.get(reverse("caseload:list")).content.decode()
    # then the rows come in the order of the sum of their cells' weights, ties by name
    shown = sorted((html.index(f">{name}</a>"), name) for name in expected)
    assert [name for _at, name in shown] == expected
    assert table and any(row.needs_attention for row in table)
    assert not all(row.needs_attention for row in table)


def _check_in(enrollment: Enrollment, days_ago: int) -> None:
    today = recovery_selectors.client_today(enrollment)
    now = timezone.now()
    CheckIn.objects.create(
        enrollment=enrollment,
        local_date=today - timedelta(days=days_ago),
        client_uuid=f"00000000-0000-0000-0000-{days_ago:012d}",
        sober=True,
        mood=4,
        urge=2,
        created_at=now,
        updated_at=now,
    )


def _quiet(cast) -> tuple[bool, bool]:
    """(the quick answer, the cell) for the cast's client: quiet or not."""
    column = next(c for c in columns.all_columns() if c.key == "recovery.streak")
    listed = _listed(cast).filter(pk=cast.enrollment.pk)
    enrollment = listed.select_related("client", "clinic").get()
    return (
        cast.enrollment.pk in set(column.attention(listed)),
        cast.enrollment.pk in _flagged_by_cells(column, [enrollment]),
    )


@pytest.mark.parametrize(("days_ago", "quiet"), [(2, False), (3, True)])
def test_on_the_daily_rhythm_three_days_without_a_check_in_is_quiet(cast, days_ago, quiet):
    to_stage_four(cast)  # from Stage 2 on the streak is counted; no maintenance plan yet
    _check_in(cast.enrollment, days_ago)
    assert _quiet(cast) == (quiet, quiet)


@pytest.mark.parametrize(
    ("rhythm", "days_ago", "quiet"),
    [("several", 3, False), ("several", 4, True), ("weekly", 8, False), ("weekly", 9, True)],
)
def test_stage_fours_lighter_rhythm_is_quiet_only_two_days_past_its_check_in(
    cast, rhythm, days_ago, quiet
):
    # given a Stage 4 client whose maintenance plan agrees a lighter rhythm
    to_stage_four(cast)
    flourish_services.save_maintenance_plan(
        enrollment=cast.enrollment,
        by=cast.client,
        rhythm=rhythm,
        warning_signs="Sleeping badly",
        if_they_appear=["Tell my ally"],
    )
    _check_in(cast.enrollment, days_ago)
    # then the caseload calls them quiet two days after the next check-in was expected
    assert _quiet(cast) == (quiet, quiet)
