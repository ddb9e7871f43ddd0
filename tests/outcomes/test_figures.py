"""Each figure, counted by hand on a small clinic: stages, time in stage, change on measures,
completion, check-in adherence and alerts."""

from __future__ import annotations

from datetime import timedelta

import pytest
import time_machine

from tests.outcomes.helpers import (
    NOW,
    TODAY,
    a_client,
    an_alert,
    check_ins,
    days_ago,
    expired,
    phq9,
)
from waypost.caseload.outcomes import alerts, checkins, measures, report, stages
from waypost.caseload.outcomes.scope import Period, Scope, preset_period
from waypost.flourish import services as flourish

pytestmark = pytest.mark.django_db


@pytest.fixture(autouse=True)
def _frozen():
    with time_machine.travel(NOW, tick=False):
        yield


def _scope(cast, period=None, clinician=None) -> Scope:
    return Scope(
        clinic=cast.clinic,
        clinician=clinician,
        period=period or preset_period("90d", TODAY),
        now=NOW,
    )


def _cells(figure: report.Figure) -> dict[str, list[str]]:
    return {row.label: [cell.text for cell in row.cells] for row in figure.rows}


def _stage_four(cast, *, reached: float, graduated: float | None = None):
    enrollment = a_client(cast, joined=120, stages=((90, 2), (60, 3), (reached, 4)))
    if graduated is not None:
        flourish.graduate(
            enrollment=enrollment, by=cast.clinician, note="Well done.", at=days_ago(graduated)
        )
    return enrollment


# --- stages -------------------------------------------------------------------------------


def test_clients_in_each_stage_now_with_the_alumni_among_stage_four(cast):
    a_client(cast)  # Stage 1
    _stage_four(cast, reached=30)
    _stage_four(cast, reached=30, graduated=5)
    scope = _scope(cast)
    counts = stages.stages_now(stages.enrollments_counted(scope))
    assert [(c.stage, c.clients, c.alumni) for c in counts] == [
        (1, 1, 0),
        (2, 1, 0),  # the cast's own client
        (3, 0, 0),
        (4, 2, 1),
    ]
    figure = report.stages_figure(counts)
    assert _cells(figure)["Stage 4 · Lasting recovery"] == ["2 (1 graduated)"]
    assert figure.total.cells[0].text == "4"


def test_time_in_stage_is_the_median_of_stays_that_ended_in_the_period_and_of_those_going_on(cast):
    a_client(cast, joined=100, stages=((80, 2), (20, 3)))  # 20 days in 1, 60 in 2, 20 so far in 3
    a_client(cast, joined=50, stages=((40, 2),))  # 10 days in 1, 40 so far in 2
    # (the cast's client: 30 days in Stage 1, in Stage 2 since now)
    scope = _scope(cast)
    times = {t.stage: t for t in stages.time_in_stage(scope, stages.all_stays(scope, []))}
    # all_stays with no active enrollments: only the stays that ended
    assert times[1].ended_median == pytest.approx(20) and len(times[1].ended) == 3
    assert times[2].ended_median == pytest.approx(60)
    assert times[2].current == []

    enrollments = stages.enrollments_counted(scope)
    times = {t.stage: t for t in stages.time_in_stage(scope, stages.all_stays(scope, enrollments))}
    assert sorted(times[2].current) == pytest.approx([0, 40])
    assert times[3].current == pytest.approx([20])

    last_month = _scope(cast, Period(TODAY - timedelta(days=29), TODAY))
    times = {t.stage: t for t in stages.time_in_stage(last_month, stages.all_stays(last_month, []))}
    assert times[1].ended == pytest.approx([30])  # only the cast's client left Stage 1 since
    assert times[2].ended == pytest.approx([60])


# --- change on measures -------------------------------------------------------------------


@pytest.fixture
def phq9_cohort(cast):
    """Seven clients' PHQ-9 histories (days ago, total); reliable change is > 3.2 points and
    the clinical range is 9.9 and above (Jacobson–Truax, the clinic's default)."""
    histories = [
        ((200, 20), (40, 12), (10, 5)),  # improved, recovered (from 12 at day 40: not yet)
        ((200, 20), (10, 15)),  # improved, still in the clinical range
        ((200, 8), (10, 20)),  # worse; began outside the clinical range
        ((200, 14), (10, 13)),  # no reliable change
        ((200, 16), (150, 4)),  # improved, recovered: but five months ago
        ((5, 12),),  # a baseline only: nothing to judge
        ((200, 22), (30, 3)),  # improved, recovered
    ]
    for history in histories:
        phq9(a_client(cast, joined=210), *history)


def _change(cast, period) -> measures.MeasureChange:
    (row,) = measures.measure_changes(_scope(cast, period))
    return row


def test_change_is_judged_from_the_first_form_to_the_latest_in_the_period(cast, phq9_cohort):
    row = _change(cast, preset_period("90d", TODAY))
    assert (row.name, row.clients, row.improved, row.deteriorated) == ("PHQ-9", 5, 3, 1)
    assert (row.began_in_range, row.recovered) == (4, 2)

    year = _change(cast, preset_period("12m", TODAY))
    assert (year.clients, year.improved, year.began_in_range, year.recovered) == (6, 4, 5, 3)

    # Ending 20 days ago: the first client's latest is the 12 of day 40, not yet recovered.
    earlier = _change(cast, Period(TODAY - timedelta(days=89), TODAY - timedelta(days=20)))
    assert (earlier.clients, earlier.improved, earlier.recovered) == (2, 2, 1)


def test_shares_of_fewer_than_five_clients_say_fewer_than_5(cast, phq9_cohort):
    figure = report.change_figure(measures.measure_changes(_scope(cast)))
    assert _cells(figure)["PHQ-9"] == ["5", "60% (3 of 5)", "20% (1 of 5)", "4", "fewer than 5"]
    assert [c.withheld for c in figure.rows[0].cells] == [False, False, False, False, True]
    assert "fewer than 5" in figure.chart

    year = report.change_figure(measures.measure_changes(_scope(cast, preset_period("12m", TODAY))))
    assert _cells(year)["PHQ-9"][-1] == "60% (3 of 5)"


def test_the_clinics_own_change_method_is_used(cast, phq9_cohort):
    # NHS Talking Therapies: a change of 6 or more is reliable; 10 or more is a case.
    cast.clinic.measure_settings.change_method = "nhs-talking-therapies"
    cast.clinic.measure_settings.save()
    row = _change(cast, preset_period("90d", TODAY))
    # 20→15 (5 points) is no longer reliable; 14→13 and 8→20 unchanged in kind.
    assert (row.clients, row.improved, row.deteriorated) == (5, 2, 1)


# --- questionnaire completion -------------------------------------------------------------


def test_completion_counts_forms_completed_and_closed_unanswered_in_the_period(cast):
    one, two = a_client(cast), a_client(cast)
    phq9(one, (200, 14), (10, 12))
    phq9(two, (20, 9))
    expired(one, "gad-7", 20)
    expired(two, "phq-9", 100)  # before the period
    open_form = expired(two, "phq-9", -3)  # still open: not counted
    open_form.status = "open"
    open_form.save()
    rows, total = measures.completion(_scope(cast))
    assert [(r.name, r.completed, r.missed, r.clients) for r in rows] == [
        ("GAD-7", 0, 1, 1),  # in the catalogue's order
        ("PHQ-9", 2, 0, 2),
    ]
    assert (total.completed, total.missed, total.clients) == (2, 1, 2)
    # Each row rests on one or two clients: every number of it is held back.
    figure = report.completion_figure(rows, total)
    assert _cells(figure)["GAD-7"] == ["fewer than 5"] * 4
    assert [c.text for c in figure.total.cells] == ["fewer than 5"] * 4
    assert "67%" not in figure.chart and "fewer than 5" in figure.chart


def test_completion_of_five_clients_or_more_is_shown_and_a_smaller_row_beside_it_is_not(cast):
    for n in range(5):
        enrollment = a_client(cast)
        phq9(enrollment, (200, 14), (10, 12))
        if n < 3:
            expired(enrollment, "gad-7", 20)
        else:
            expired(enrollment, "phq-9", 30)
    figure = report.completion_figure(*measures.completion(_scope(cast)))
    assert _cells(figure) == {"GAD-7": ["fewer than 5"] * 4, "PHQ-9": ["5", "2", "71%", "5"]}
    assert [c.text for c in figure.total.cells] == ["5", "5", "50%", "5"]


# --- check-in adherence -------------------------------------------------------------------


def test_adherence_counts_the_days_since_stage_two_up_to_yesterday(cast):
    enrollment = a_client(cast, joined=100, stages=((20, 2),))  # Stage 2 from 10 Feb
    kept = [TODAY - timedelta(days=n) for n in range(1, 11)]  # ten of its twenty days
    before = [TODAY - timedelta(days=n) for n in range(25, 30)]  # in Stage 1: not asked
    check_ins(enrollment, [*kept, *before, TODAY])  # today is not over: not counted
    scope = _scope(cast)
    rows, total = checkins.adherence(
        scope, stages.enrollments_counted(scope), stages.all_stays(scope, [enrollment])
    )
    assert (rows[0].stage, rows[0].expected, rows[0].checked) == (2, 20, 10)
    assert rows[0].percent == 50
    assert (total.expected, total.checked, len(total.clients)) == (20, 10, 1)


def test_a_maintenance_rhythm_asks_for_fewer_days_and_extra_check_ins_do_not_make_up(cast):
    enrollment = _stage_four(cast, reached=28)
    flourish.save_maintenance_plan(
        enrollment=enrollment,
        by=cast.clinician,
        rhythm="weekly",
        warning_signs=["Sleeping badly"],
        if_they_appear=["Call my clinician"],
        at=days_ago(14),
    )
    check_ins(enrollment, [TODAY - timedelta(days=n) for n in range(1, 29)])  # every day
    scope = _scope(cast)
    enrollments = stages.enrollments_counted(scope)
    rows, total = checkins.adherence(scope, enrollments, stages.all_stays(scope, enrollments))
    by_stage = {row.stage: row for row in rows}
    # Stage 4 for 28 days: 14 daily, then 14 weekly (2); kept at most what was asked.
    assert by_stage[4].expected == pytest.approx(16)
    assert by_stage[4].checked == pytest.approx(16)
    # Stages 2 and 3 came before the check-ins began: asked, not kept. (Stage 2 began 90
    # days ago, the day before the period.)
    assert by_stage[2].expected == 29 and by_stage[2].checked == 0
    assert by_stage[3].expected == 32 and by_stage[3].checked == 0


def test_alumni_are_not_asked_and_their_check_ins_then_count_for_nothing(cast):
    enrollment = _stage_four(cast, reached=30, graduated=10)
    check_ins(enrollment, [TODAY - timedelta(days=n) for n in range(1, 11)])  # alumni days only
    scope = _scope(cast)
    enrollments = stages.enrollments_counted(scope)
    rows, _total = checkins.adherence(scope, enrollments, stages.all_stays(scope, enrollments))
    stage_four = rows[-1]
    assert stage_four.expected == 20  # 30 days in Stage 4, the last 10 as an alumnus
    assert stage_four.checked == 0


# --- alerts ---------------------------------------------------------------------------------


def test_alerts_raised_in_the_period_with_the_median_and_90th_percentile_to_acknowledge(cast):
    enrollment = a_client(cast)
    an_alert(enrollment, raised=10, acknowledged_after=timedelta(minutes=30))
    an_alert(enrollment, raised=5, acknowledged_after=timedelta(hours=2))
    an_alert(enrollment, raised=3, acknowledged_after=timedelta(hours=30))
    an_alert(enrollment, raised=1)
    an_alert(enrollment, raised=100, acknowledged_after=timedelta(hours=1))  # before the period
    figures = alerts.alert_figures(_scope(cast))
    assert (figures.raised, figures.acknowledged, figures.still_open) == (4, 3, 1)
    assert figures.median_hours == pytest.approx(2)
    assert figures.p90_hours == pytest.approx(24.4)
    assert figures.bands == [1, 1, 0, 1, 0]
    # All one client's: "1 alert, acknowledged after 30 hours" would be theirs.
    held = report.alerts_figure(figures)
    assert held.held_back and held.facts == [] and held.rows == [] and not held.chart
    assert held.empty.startswith("Fewer than 5 clients had a risk alert")

    # The same waits spread over five clients (one of them with two alerts) are shown.
    others = [a_client(cast) for _n in range(4)]
    an_alert(others[0], raised=2, acknowledged_after=timedelta(hours=3))
    an_alert(others[1], raised=2, acknowledged_after=timedelta(hours=3))
    an_alert(others[2], raised=2, acknowledged_after=timedelta(hours=3))
    an_alert(others[3], raised=2, acknowledged_after=timedelta(hours=3))
    figures = alerts.alert_figures(_scope(cast))
    assert figures.median_hours == pytest.approx(3)
    facts = dict(report.alerts_figure(figures).facts)
    assert facts["Raised"] == "8" and facts["Clients with an alert"] == "5"
    assert facts["Median time to acknowledge"] == "3 hours"
    assert facts["90th percentile"] == "13.8 hours"  # 3 + 0.4 × (30 − 3)
    assert facts["Still open"] == "1"


# --- one clinician ---------------------------------------------------------------------------


def test_one_clinicians_figures_count_only_the_clients_they_look_after(cast):
    from waypost.clinics.models import ClinicianProfile

    colleague = ClinicianProfile.objects.get(user=cast.other_clinician)
    theirs = a_client(cast, profile=colleague)
    an_alert(theirs, raised=2)
    mine = _scope(cast, clinician=cast.clinician_profile)
    assert [e.pk for e in stages.enrollments_counted(mine)] == [cast.enrollment.pk]
    assert alerts.alert_figures(mine).raised == 0
    assert alerts.alert_figures(_scope(cast, clinician=colleague)).raised == 1
    assert alerts.alert_figures(_scope(cast)).raised == 1
