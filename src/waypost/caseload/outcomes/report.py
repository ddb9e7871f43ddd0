"""The outcomes page's figures, each a chart and the table of the numbers behind it.

:func:`build` reads every figure for a :class:`~waypost.caseload.outcomes.scope.Scope`
in a fixed number of queries, whatever the number of clients or the length of their
histories (``stages``, ``measures``, ``checkins``, ``alerts`` count; this module words
and draws, through ``figure``). No figure names a client.

The small-number rule (``stats.SMALL_NUMBER``, docs/outcomes.md):

- when the clients counted number fewer than 5, only *Clients in each stage now* is
  shown; every other figure is held back, with a sentence saying why, and not even read;
- within a figure, every number of a row resting on fewer than 5 clients (its counts,
  shares, medians) says "fewer than 5", and its bar is left out; the alerts figure rests
  on the clients with an alert, and is held back whole when they are fewer than 5.
"""

from __future__ import annotations

from dataclasses import dataclass, replace
from typing import TYPE_CHECKING

from django.utils.safestring import SafeString
from django.utils.translation import gettext as _

from waypost.caseload.outcomes import alerts, charts, checkins, measures, stages, stats
from waypost.caseload.outcomes.figure import (
    Cell,
    Figure,
    Row,
    bar,
    cells_for,
    chart,
    count_cell,
    days_text,
    hours_text,
    ratio_cell,
    share_cell,
    stage_name,
    too_few,
)
from waypost.program.models import Stage

if TYPE_CHECKING:
    from waypost.caseload.outcomes.scope import Scope
    from waypost.program.models import Enrollment


@dataclass
class Report:
    figures: list[Figure]
    enrollments: list[Enrollment]  # the clients counted, for the audit trail only
    held_back: bool = False  # too few clients: only the stages figure is shown


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
    longest = 0.0
    for row in times:
        # The stays that ended rest on the clients who ended them; those going on, on the
        # clients in the stage now (one stay each).
        ended = cells_for(
            len(row.ended_clients), [count_cell(len(row.ended)), Cell(days_text(row.ended_median))]
        )
        current = cells_for(
            len(row.current), [count_cell(len(row.current)), Cell(days_text(row.current_median))]
        )
        label = stage_name(row.stage, row.label)
        rows.append(Row(label, [*ended, *current]))
        groups.append(
            charts.Group(
                label,
                [bar(ended[1], row.ended_median, 0), bar(current[1], row.current_median, 1)],
            )
        )
        if not ended[1].withheld:
            longest = max(longest, row.ended_median or 0)
        if not current[1].withheld:
            longest = max(longest, row.current_median or 0)
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
        cells = cells_for(
            row.clients,
            [
                count_cell(row.clients),
                share_cell(row.improvement),
                share_cell(row.worsening),
                count_cell(row.began_in_range),
                share_cell(row.recovery),
            ],
        )
        improved, recovered = cells[1], cells[4]
        rows.append(Row(row.name, cells))
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
        groups.append(charts.Group(label, [bar(cells[2], row.percent)]))
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
    return cells_for(
        row.clients,
        [
            count_cell(row.completed),
            count_cell(row.missed),
            ratio_cell(row.percent),
            count_cell(row.clients),
        ],
    )


def adherence_figure(rows_in: list[checkins.Adherence], total: checkins.Adherence) -> Figure:
    rows, groups = [], []
    for row in [*rows_in, total]:
        label = (
            stage_name(row.stage, str(Stage(row.stage).label)) if row.stage else _("Stages 2 to 4")
        )
        cells = _adherence_cells(row)
        if row is not total:
            rows.append(Row(label, cells))
        groups.append(charts.Group(label, [bar(cells[-1], row.percent)]))
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
    return cells_for(
        len(row.clients),
        [
            count_cell(len(row.clients)),
            count_cell(round(row.expected)),
            count_cell(round(row.checked)),
            ratio_cell(row.percent),
        ],
    )


def alerts_figure(figures: alerts.AlertFigures) -> Figure:
    """The alerts raised, how soon they were acknowledged; held back whole when they were
    raised for fewer than 5 clients (so that "1 alert, acknowledged after 30 hours" cannot
    be one person's)."""
    if too_few(len(figures.clients)):
        return held_back(
            alerts_figure(alerts.AlertFigures()),
            _(
                "Fewer than %(n)d clients had a risk alert in this period, so these figures "
                "are held back."
            )
            % {"n": stats.SMALL_NUMBER},
        )
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


def held_back(figure: Figure, why: str) -> Figure:
    """``figure`` with nothing of its chart and table, only ``why`` they are not shown."""
    return replace(
        figure, rows=[], total=None, facts=[], chart=SafeString(""), empty=why, held_back=True
    )


# --- the page -------------------------------------------------------------------------------


def build(scope: Scope) -> Report:
    """Every figure for ``scope``; a fixed number of queries (tests/outcomes/test_queries.py).

    For fewer than 5 clients, only the stages figure: the others are held back unread.
    """
    enrollments = stages.enrollments_counted(scope)
    if too_few(len({e.client_id for e in enrollments})):
        why = _(
            "Fewer than %(n)d clients are counted here, so this figure is held back: with so "
            "few, it would come close to saying how one person is doing."
        ) % {"n": stats.SMALL_NUMBER}
        return Report(
            figures=[
                stages_figure(stages.stages_now(enrollments)),
                held_back(time_figure([]), why),
                held_back(change_figure([]), why),
                held_back(completion_figure([], measures.Completion("", "")), why),
                held_back(adherence_figure([], checkins.Adherence(None)), why),
                held_back(alerts_figure(alerts.AlertFigures()), why),
            ],
            enrollments=enrollments,
            held_back=True,
        )
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
