"""A figure of the outcomes page, and the words its numbers are written in.

A :class:`Figure` is what the page shows: a title, what it means, a chart and the table
of the numbers behind it, each number worded once (:class:`Cell`) so that the chart and
the table say the same. A number that rests on fewer than five clients says "fewer
than 5" (``stats.SMALL_NUMBER``), and its bar is left out (:func:`too_few`).
"""

from __future__ import annotations

from dataclasses import dataclass, field

from django.utils.safestring import SafeString, mark_safe
from django.utils.translation import gettext as _
from django.utils.translation import ngettext

from waypost.caseload.outcomes import charts, stats


@dataclass(frozen=True)
class Cell:
    text: str
    withheld: bool = False  # "fewer than 5": shown quieter, explained on the page


@dataclass(frozen=True)
class Row:
    label: str
    cells: list[Cell]


@dataclass
class Figure:
    """One figure: what it means, its chart, and its table (header, rows, a total row)."""

    key: str
    title: str
    about: str
    columns: list[str]
    rows: list[Row]
    chart: SafeString = SafeString("")
    total: Row | None = None
    facts: list[tuple[str, str]] = field(default_factory=list)
    empty: str = ""  # said instead of chart and table when there is nothing to count
    held_back: bool = False  # ``empty`` says it rests on too few clients to be shown

    @property
    def wide(self) -> bool:
        """More columns than a phone shows side by side: its rows stack there instead."""
        return len(self.columns) > 3

    def labelled(self, row: Row) -> list[tuple[str, Cell]]:
        """The row's cells, each with its column's name (for the stacked rows on a phone)."""
        return list(zip(self.columns[1:], row.cells, strict=True))

    @property
    def table_rows(self) -> list[tuple[str, list[tuple[str, Cell]]]]:
        return [(row.label, self.labelled(row)) for row in self.rows]

    @property
    def table_total(self) -> tuple[str, list[tuple[str, Cell]]] | None:
        return (self.total.label, self.labelled(self.total)) if self.total else None


# --- words for numbers ------------------------------------------------------------------


def withheld() -> Cell:
    """Said instead of a number resting on too few clients (``stats.SMALL_NUMBER``)."""
    return Cell(_("fewer than %(n)d") % {"n": stats.SMALL_NUMBER}, withheld=True)


def too_few(clients: int) -> bool:
    """Whether numbers resting on ``clients`` clients are held back: some, but fewer than 5.

    None at all has nothing to hide, and says so ("0", "—") as it is.
    """
    return 0 < clients < stats.SMALL_NUMBER


def cells_for(clients: int, cells: list[Cell]) -> list[Cell]:
    """``cells``, or "fewer than 5" in each of them when they rest on too few clients."""
    return [withheld() for _cell in cells] if too_few(clients) else cells


def percent_text(value: float) -> str:
    return _("%(percent)d%%") % {"percent": round(value)}


def share_cell(share: stats.ClientShare) -> Cell:
    """The share as "67% (4 of 6)"; "fewer than 5" from too few clients; "—" from none."""
    if share.n == 0:
        return Cell("—")
    if share.percent is None:
        return withheld()
    return Cell(
        _("%(percent)s (%(count)d of %(n)d)")
        % {"percent": percent_text(share.percent), "count": share.count, "n": share.n}
    )


def ratio_cell(percent: float | None) -> Cell:
    return Cell(percent_text(percent)) if percent is not None else Cell("—")


def days_text(days: float | None) -> str:
    if days is None:
        return "—"
    if days < 1:
        return _("less than a day")
    whole = round(days)
    return ngettext("%(n)d day", "%(n)d days", whole) % {"n": whole}


def hours_text(hours: float | None) -> str:
    if hours is None:
        return "—"
    if hours < 1:
        minutes = max(1, round(hours * 60))
        return ngettext("%(n)d minute", "%(n)d minutes", minutes) % {"n": minutes}
    if hours < 48:
        shown = f"{hours:.1f}".removesuffix(".0")
        return ngettext("%(n)s hour", "%(n)s hours", 1 if shown == "1" else 2) % {"n": shown}
    return _("%(n)s days") % {"n": f"{hours / 24:.1f}".removesuffix(".0")}


def count_cell(n: int) -> Cell:
    return Cell(str(n))


def bar(cell: Cell, value: float | None, series: int = 0) -> charts.Bar:
    """The bar for a figure worded in ``cell``: none when the figure is withheld."""
    return charts.Bar(None if cell.withheld else value, cell.text, series)


def stage_name(stage: int, label: str) -> str:
    return _("Stage %(n)d · %(label)s") % {"n": stage, "label": label}


def chart(
    groups: list[charts.Group],
    *,
    scale_max: float,
    title: str,
    intro: str,
    ident: str,
    legend: list[str] | None = None,
    track: bool = False,
) -> SafeString:
    # Made of numbers and of labels that charts.bar_chart escapes: safe to put in the page.
    return mark_safe(  # noqa: S308
        charts.bar_chart(
            groups,
            scale_max=scale_max,
            title=title,
            intro=intro,
            ident=ident,
            legend=legend or (),
            track=track,
        )
    )
