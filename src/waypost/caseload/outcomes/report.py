"""The outcomes page's figures, each a chart and the table of the numbers behind it.

:func:`build` reads every figure for a :class:`~waypost.caseload.outcomes.scope.Scope`
in a fixed number of queries, whatever the number of clients or the length of their
histories (``stages``, ``measures``, ``checkins``, ``alerts`` count; this module words
and draws, through ``figure``). No figure names a client.
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import TYPE_CHECKING

from django.utils.translation import gettext as _

from waypost.caseload.outcomes import alerts, charts, checkins, measures, stages
from waypost.caseload.outcomes.figure import (
    Cell,
    Figure,
    Row,
    bar,
    chart,
    count_cell,
    days_text,
    hours_text,
    ratio_cell,
    share_cell,
    stage_name,
)
from waypost.program.models import Stage

if TYPE_CHECKING:
    from waypost.caseload.outcomes.scope import Scope
    from waypost.program.models import Enrollment


@dataclass
class Report:
    figures: list[Figure]
    enrollments: list[Enrollment]  # the clients counted, for the audit trail only


# --- the figures --------------------------------------------------------------------------


def stages_figure(counts: list[stages.StageCount]) -> Figure:
    rows = []
    for row in counts:
        text = str(row.clients)
        if row.alumni:
            text = _("%(n)d (%(alumni)d graduated)") % {"n": row.clients, "alumni": row.alumni}
        rows.append(Row(stage_name(row.stage, row.label), [Cell(text)]))
    total = sum(row.clients for row in counts)
    groups = [
        charts.Group(stage_name(r.stage, r.label), [charts.Bar(r.clients, str(r.clients))])
        for r in counts
    ]
    return Figure(
        key="stages",
        title=_("Clients in each stage now"),
        about=_(
            "Everyone in the program today, by stage. Alumni have graduated and stay in "
            "Stage 4 with their tools. This figure is about today, whatever the period."
        ),
        columns=[_("Stage"), _("Clients")],
        rows=rows,
        total=Row(_("All stages"), [count_cell(total)]),
        chart=chart(
            groups,
            scale_max=max((r.clients for r in counts), default=0),
            title=_("Clients in each stage now"),
            intro=_("How many clients are in each stage today."),
            ident="outcomes-stages",
        ),
        empty="" if total else _("Nobody is in the program yet."),
    )


def time_figure(times: list[stages.StageTime]) -> Figure:
    rows, groups = [], []
    for row in times:
        ended, current = days_text(row.ended_median), days_text(row.current_median)
        label = stage_name(row.stage, row.label)
        rows.append(
            Row(
                label,
                [
                    count_cell(len(row.ended)),
                    Cell(ended),
                    count_cell(len(row.current)),
                    Cell(current),
                ],
            )
        )
        groups.append(
            charts.Group(
                label,
                [
                    charts.Bar(row.ended_median, ended, 0),
                    charts.Bar(row.current_median, current, 1),
                ],
            )
        )
    longest = max((v for r in times for v in (r.ended_median, r.current_median) if v), default=0)
    legend = [_("Stays that ended in the period"), _("Clients there now, so far")]
    return Figure(
        key="time",
        title=_("Time in stage"),
        about=_(
            "Median days in each stage. A stay ends when the client moves on or steps back a "
            "stage, which is a normal part of the work. The last two columns are about the "
            "clients in that stage today."
        ),
        columns=[
            _("Stage"),
            _("Stays ended"),
            _("Median length"),
            _("There now"),
            _("Median so far"),
        ],
        rows=rows,
        chart=chart(
            groups,
            scale_max=longest,
            title=_("Median days in each stage"),
            intro=_("Median days in each stage."),
            ident="outcomes-time",
            legend=legend,
        ),
        empty="" if any(r.ended or r.current for r in times) else _("No stage history yet."),
    )


def change_figure(rows_in: list[measures.MeasureChange]) -> Figure:
    rows, groups = [], []
    for row in rows_in:
        improved, recovered = share_cell(row.improvement), share_cell(row.recovery)
        rows.append(
            Row(
                row.name,
                [
                    count_cell(row.clients),
                    improved,
                    share_cell(row.worsening),
                    count_cell(row.began_in_range),
                    recovered,
                ],
            )
        )
        groups.append(
            charts.Group(
                row.name,
                [
                    bar(improved, row.improvement.percent, 0),
                    bar(recovered, row.recovery.percent, 1),
                ],
            )
        )
    return Figure(
        key="change",
        title=_("Change on each measure"),
        about=_(
            "Each client's first score on a measure against their latest in the period, judged "
            "by the clinic's method for reliable change. Reliable improvement: better by more "
            "than measurement error. Recovery: reliable improvement that ends outside the "
            "clinical range, out of the clients who began inside it."
        ),
        columns=[
            _("Measure"),
            _("Clients"),
            _("Reliable improvement"),
            _("Reliable worsening"),
            _("Began in the clinical range"),
            _("Recovery"),
        ],
        rows=rows,
        chart=chart(
            groups,
            scale_max=100,
            title=_("Reliable improvement and recovery on each measure"),
            intro=_("Share of clients with reliable improvement and with recovery."),
            ident="outcomes-change",
            legend=[_("Reliable improvement"), _("Recovery")],
            track=True,
        ),
        empty="" if rows else _("No client has a first score and a later one in this period yet."),
    )


def completion_figure(rows_in: list[measures.Completion], total: measures.Completion) -> Figure:
    rows, groups = [], []
    for row in [*rows_in, total]:
        label = row.name or _("All measures")
        cells = _completion_cells(row)
        if row is not total:
            rows.append(Row(label, cells))
        groups.append(charts.Group(label, [charts.Bar(row.percent, cells[2].text)]))
    return Figure(
        key="completion",
        title=_("Questionnaire completion"),
        about=_(
            "The questionnaires that fell due in the period: filled in, or closed unanswered "
            "when their window ran out. Those still open are not counted yet."
        ),
        columns=[_("Measure"), _("Completed"), _("Missed"), _("Completed share"), _("Clients")],
        rows=rows,
        total=Row(_("All measures"), _completion_cells(total)),
        chart=chart(
            groups,
            scale_max=100,
            title=_("Share of questionnaires completed"),
            intro=_("Share of the questionnaires due in the period that were completed."),
            ident="outcomes-completion",
            track=True,
        ),
        empty="" if total.due else _("No questionnaire fell due in this period."),
    )


def _completion_cells(row: measures.Completion) -> list[Cell]:
    return [
        count_cell(row.completed),
        count_cell(row.missed),
        ratio_cell(row.percent),
        count_cell(row.clients),
    ]


def adherence_figure(rows_in: list[checkins.Adherence], total: checkins.Adherence) -> Figure:
    rows, groups = [], []
    for row in [*rows_in, total]:
        label = (
            stage_name(row.stage, str(Stage(row.stage).label)) if row.stage else _("Stages 2 to 4")
        )
        cells = _adherence_cells(row)
        if row is not total:
            rows.append(Row(label, cells))
        groups.append(charts.Group(label, [charts.Bar(row.percent, cells[-1].text)]))
    return Figure(
        key="adherence",
        title=_("Check-in adherence"),
        about=_(
            "Days checked in out of the days asked, from Stage 2 on: every day, or the lighter "
            "rhythm of a Stage 4 maintenance plan. Alumni are not asked; today is not over, so "
            "it is left out."
        ),
        columns=[_("Stage"), _("Clients"), _("Days asked"), _("Days checked in"), _("Share")],
        rows=rows,
        total=Row(groups[-1].label, _adherence_cells(total)),
        chart=chart(
            groups,
            scale_max=100,
            title=_("Share of check-in days kept"),
            intro=_("Days checked in out of the days asked, by stage."),
            ident="outcomes-adherence",
            track=True,
        ),
        empty="" if total.expected else _("Nobody was asked to check in during this period."),
    )


def _adherence_cells(row: checkins.Adherence) -> list[Cell]:
    return [
        count_cell(len(row.clients)),
        count_cell(round(row.expected)),
        count_cell(round(row.checked)),
        ratio_cell(row.percent),
    ]


def alerts_figure(figures: alerts.AlertFigures) -> Figure:
    rows, groups = [], []
    for (_limit, label), count in zip(alerts.BANDS, figures.bands, strict=True):
        rows.append(Row(str(label), [count_cell(count)]))
        groups.append(charts.Group(str(label), [charts.Bar(count, str(count))]))
    rows.append(Row(_("Still open"), [count_cell(figures.still_open)]))
    groups.append(
        charts.Group(_("Still open"), [charts.Bar(figures.still_open, str(figures.still_open), 1)])
    )
    return Figure(
        key="alerts",
        title=_("Risk alerts and time to acknowledge"),
        about=_(
            "Alerts raised in the period, and how long each took to be acknowledged: the median, "
            "and the 90th percentile (nine in ten were acknowledged at least this soon)."
        ),
        facts=[
            (_("Raised"), str(figures.raised)),
            (_("Acknowledged"), str(figures.acknowledged)),
            (_("Still open"), str(figures.still_open)),
            (_("Median time to acknowledge"), hours_text(figures.median_hours)),
            (_("90th percentile"), hours_text(figures.p90_hours)),
            (_("Clients with an alert"), str(len(figures.clients))),
        ],
        columns=[_("How soon"), _("Alerts")],
        rows=rows,
        total=Row(_("All alerts raised"), [count_cell(figures.raised)]),
        chart=chart(
            groups,
            scale_max=max([*figures.bands, figures.still_open]),
            title=_("How soon alerts were acknowledged"),
            intro=_("Alerts raised in the period, by how soon they were acknowledged."),
            ident="outcomes-alerts",
        ),
        empty="" if figures.raised else _("No risk alert was raised in this period."),
    )


# --- the page -------------------------------------------------------------------------------


def build(scope: Scope) -> Report:
    """Every figure for ``scope``; a fixed number of queries (tests/outcomes/test_queries.py)."""
    enrollments = stages.enrollments_counted(scope)
    stays = stages.all_stays(scope, enrollments)
    adherence_rows, adherence_total = checkins.adherence(scope, enrollments, stays)
    completion_rows, completion_total = measures.completion(scope)
    return Report(
        figures=[
            stages_figure(stages.stages_now(enrollments)),
            time_figure(stages.time_in_stage(scope, stays)),
            change_figure(measures.measure_changes(scope)),
            completion_figure(completion_rows, completion_total),
            adherence_figure(adherence_rows, adherence_total),
            alerts_figure(alerts.alert_figures(scope)),
        ],
        enrollments=enrollments,
    )
