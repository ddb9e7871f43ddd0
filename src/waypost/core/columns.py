"""Columns: how apps add what a clinician needs to see at a glance to the caseload list.

Each column gives a header and, for all the listed enrollments at once (one or
two queries, not one per client, and never a client's whole history), a
:class:`Cell` per enrollment: short text, an optional line of detail, an
optional link, whether it needs attention, and the value it sorts by. Register
from an app's ``AppConfig.ready()``; the caseload page only lists enrollments
the policy already lets the clinician see, and a column must not reveal more
than the client record would.

"Needs attention first", the caseload's usual order, is transparent on purpose:
each column has a ``weight``, a client's attention is the sum of the weights of
the columns whose cell needs attention, and the list is ordered by that sum
(highest first), then by name. ``docs/clinician.md`` lists the weights.

Cells are made for the page of rows shown only, so a long caseload costs little more
than a short one. What orders the whole list comes cheaper: a column that weighs gives
an ``attention`` function, which answers which listed clients need attention from a
query or two over the caseload's query (no cells, no history, no models), and the list
is ordered from ids and a few fields. Only a column the list is sorted by, or one that
weighs without ``attention``, has its cells made for every listed client. A column of
weight 0 can mark its cell but never makes a client need attention on its own.
Several columns may need the same rows (the open risk alerts, say): ``shared``
loads them once per caseload page, and ``links`` makes each row's link without a
``reverse`` per row.
"""

from __future__ import annotations

from collections.abc import Callable, Collection, Iterable, Iterator, Sequence
from contextlib import contextmanager
from contextvars import ContextVar
from dataclasses import dataclass
from datetime import date, datetime
from typing import TYPE_CHECKING, Any, TypeVar

from django.urls import reverse

if TYPE_CHECKING:
    from django.db.models import QuerySet
    from django_stubs_ext import StrOrPromise

    from waypost.program.models import Enrollment

# What a cell sorts by: a number, a date or time, text, or a tuple of them (compared in
# turn). Within one column every cell's value has the same shape.
SortValue = int | float | str | date | datetime | tuple[Any, ...]

T = TypeVar("T")


@dataclass(frozen=True)
class Cell:
    text: str
    url: str = ""
    attention: bool = False
    # Words for screen readers when the text is only symbols (e.g. "↓").
    label: str = ""
    # A second, smaller line ("120 days in all"): what matters less than the text.
    detail: str = ""
    # The value the cell sorts by when its column is sorted (a column that sorts gives
    # one on every cell; a cell without one, like a client without a cell, goes last).
    sort: SortValue | None = None
    # The text's pieces, when it is several short things (scores): the cell wraps
    # between pieces, never inside one. Joined with " · " they make ``text``.
    pieces: tuple[str, ...] = ()


@dataclass(frozen=True)
class Column:
    key: str
    header: StrOrPromise
    cells: Callable[[Sequence[Enrollment]], dict[int, Cell]]
    order: int = 100
    # Whether the caseload can be sorted by this column (its cells give ``sort``).
    sorts: bool = False
    # The first order a click on the header gives: the most of something first
    # (alerts, unread messages) unless the column says the least (the soonest date).
    descending: bool = True
    # How much a cell that needs attention counts in "needs attention first".
    weight: int = 1
    # Which listed clients need attention, without making their cells: their ids, from a
    # query or two over ``listed`` (the caseload's query of enrollments, not yet read),
    # reading no client's history and building no model. It must agree with the cells'
    # ``attention`` (tests/caseload/test_column_attention.py checks every column).
    attention: Callable[[QuerySet[Enrollment]], Iterable[int]] | None = None


_columns: dict[str, Column] = {}
# Rows several columns need, loaded once per caseload page (see ``shared``).
_shared: ContextVar[dict[str, tuple[frozenset[int], Any]] | None] = ContextVar(
    "caseload_shared", default=None
)


def register(column: Column) -> Column:
    _columns[column.key] = column
    return column


def all_columns() -> list[Column]:
    return sorted(_columns.values(), key=lambda c: (c.order, c.key))


@contextmanager
def loading() -> Iterator[None]:
    """Inside this block, what columns load through :func:`shared` is loaded once."""
    token = _shared.set({}) if _shared.get() is None else None
    try:
        yield
    finally:
        if token is not None:
            _shared.reset(token)


def shared(key: str, enrollments: Sequence[Enrollment], load: Callable[[], T]) -> T:
    """``load()`` once per caseload page, whichever column asks first (by ``key``).

    ``load`` reads these ``enrollments`` and returns what it found by enrollment id; an
    earlier load for the same key that covered them all is reused. Outside
    :func:`loading` (a column's cells asked for on their own) it simply loads.
    """
    memo = _shared.get()
    if memo is None:
        return load()
    ids = frozenset(e.pk for e in enrollments)
    if key in memo and ids <= memo[key][0]:
        found: T = memo[key][1]
        return found
    value = load()
    memo[key] = (ids, value)
    return value


def links(url_name: str, suffix: str = "") -> Callable[[int], str]:
    """``reverse(url_name, args=[pk]) + suffix`` for every row at the cost of one ``reverse``.

    For URLs whose only argument is a client's enrollment id (an ``int`` converter).
    """
    marker = 2_147_483_647
    head, _marker, tail = reverse(url_name, args=[marker]).rpartition(str(marker))
    return lambda pk: f"{head}{pk}{tail}{suffix}"


@dataclass
class Row:
    enrollment: Enrollment
    cells: list[Cell | None]
    columns: list[Column]
    # What the columns' ``attention`` answered, added to what the cells made so far say
    # (for the columns without ``attention``); None: from the cells alone.
    flagged: int | None = None

    @property
    def attention(self) -> int:
        """The sum of the weights of the columns whose cell needs attention."""
        if self.flagged is not None:
            return self.flagged
        return sum(
            column.weight
            for column, cell in zip(self.columns, self.cells, strict=True)
            if cell is not None and cell.attention
        )

    @property
    def needs_attention(self) -> bool:
        """Some column that weighs needs attention (a column of weight 0 only marks its cell)."""
        return self.attention > 0

    @property
    def name(self) -> str:
        return self.enrollment.client.name

    @property
    def pk(self) -> int:
        return self.enrollment.pk

    @property
    def stage(self) -> int:
        return self.enrollment.stage

    @property
    def days_in_stage(self) -> int:
        return self.enrollment.days_in_stage


@dataclass
class Entry:
    """A listed client before their cells are made: what the whole list is ordered by."""

    pk: int
    name: str
    stage: int
    days_in_stage: int
    attention: int = 0

    @property
    def needs_attention(self) -> bool:
        return self.attention > 0


def rows(
    enrollments: Sequence[Enrollment], *, keys: Collection[str] | None = None
) -> tuple[list[Column], list[Row]]:
    """The columns' cells for these enrollments: each column's queries once, for all.

    Only the columns ``keys`` names when given (what decides the order and who needs
    attention); the others' cells stay None until :func:`fill` (for a page of rows).
    """
    columns = all_columns()
    wanted = [c for c in columns if keys is None or c.key in keys]
    with loading():
        found = {column.key: column.cells(enrollments) for column in wanted}
    table = [
        Row(
            enrollment=e,
            cells=[found[c.key].get(e.pk) if c.key in found else None for c in columns],
            columns=columns,
        )
        for e in enrollments
    ]
    return columns, table


def fill(table: Sequence[Row], *, skip: Collection[str]) -> None:
    """The cells of every column but those of ``skip`` (filled already) for these rows."""
    if not table:
        return
    columns = table[0].columns
    enrollments = [row.enrollment for row in table]
    with loading():
        for index, column in enumerate(columns):
            if column.key in skip:
                continue
            found = column.cells(enrollments)
            for row in table:
                row.cells[index] = found.get(row.enrollment.pk)


def deciding(columns: Sequence[Column], sort: str) -> set[str]:
    """The columns whose cells every listed client needs before the list can be ordered
    and filtered: the one it is sorted by, and those that weigh in "needs attention"
    without an ``attention`` function of their own."""
    return {c.key for c in columns if c.weight > 0 and c.attention is None} | {
        c.key for c in columns if c.key == sort
    }


def settle(table: Sequence[Row], flags: dict[int, int]) -> None:
    """Fix each row's attention: ``flags`` (from :func:`flagged`) and the cells made so far
    of the columns that weigh without an ``attention`` function."""
    for row in table:
        row.flagged = flags.get(row.pk, 0) + sum(
            column.weight
            for column, cell in zip(row.columns, row.cells, strict=True)
            if column.weight > 0
            and column.attention is None
            and cell is not None
            and cell.attention
        )


def flagged(listed: QuerySet[Enrollment], columns: Sequence[Column]) -> dict[int, int]:
    """Each listed client's attention from the columns' ``attention`` functions: the sum
    of the weights of those that name them (clients named by none are left out)."""
    found: dict[int, int] = {}
    with loading():
        for column in columns:
            if column.weight > 0 and column.attention is not None:
                for pk in set(column.attention(listed)):
                    found[pk] = found.get(pk, 0) + column.weight
    return found


R = TypeVar("R", Row, Entry)


def ordered(
    table: Sequence[R],
    value: Callable[[R], SortValue | None],
    *,
    descending: bool,
) -> list[R]:
    """The rows by ``value``, rows without one last whatever the direction, ties by name."""
    by_name = sorted(table, key=lambda row: (row.name.casefold(), row.pk))
    valued: list[tuple[Any, R]] = []
    rest: list[R] = []
    for row in by_name:
        found = value(row)
        if found is None:
            rest.append(row)
        else:
            valued.append((found, row))
    # A stable sort, in either direction: rows of equal value stay in name order.
    valued.sort(key=lambda pair: pair[0], reverse=descending)
    return [row for _value, row in valued] + rest


def by_column(index: int) -> Callable[[Row], SortValue | None]:
    """What the rows sort by for the column at ``index`` (of :func:`all_columns`)."""

    def value(row: Row) -> SortValue | None:
        cell = row.cells[index]
        return None if cell is None else cell.sort

    return value


def by_attention(row: Row | Entry) -> SortValue:
    """ "Needs attention first": the sum of the weights (see the module's docstring)."""
    return row.attention
