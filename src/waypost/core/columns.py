"""Columns: how apps add what a clinician needs to see at a glance to the caseload list.

Each column gives a header and, for all the listed enrollments at once (one or
two queries, not one per client), a :class:`Cell` per enrollment: short text,
an optional link, and whether it needs attention. "Needs attention" on the
caseload filters to clients with any cell that does. Register from an app's
``AppConfig.ready()``; the caseload page only lists enrollments the policy
already lets the clinician see, and a column must not reveal more than the
client record would.
"""

from __future__ import annotations

from collections.abc import Callable, Sequence
from dataclasses import dataclass
from typing import TYPE_CHECKING

if TYPE_CHECKING:
    from django_stubs_ext import StrOrPromise

    from waypost.program.models import Enrollment


@dataclass(frozen=True)
class Cell:
    text: str
    url: str = ""
    attention: bool = False
    # Words for screen readers when the text is only symbols (e.g. "↓").
    label: str = ""


@dataclass(frozen=True)
class Column:
    key: str
    header: StrOrPromise
    cells: Callable[[Sequence[Enrollment]], dict[int, Cell]]
    order: int = 100


_columns: dict[str, Column] = {}


def register(column: Column) -> Column:
    _columns[column.key] = column
    return column


def all_columns() -> list[Column]:
    return sorted(_columns.values(), key=lambda c: (c.order, c.key))


@dataclass
class Row:
    enrollment: Enrollment
    cells: list[Cell | None]

    @property
    def needs_attention(self) -> bool:
        return any(cell is not None and cell.attention for cell in self.cells)


def rows(enrollments: Sequence[Enrollment]) -> tuple[list[Column], list[Row]]:
    columns = all_columns()
    filled = [column.cells(enrollments) for column in columns]
    return columns, [
        Row(enrollment=e, cells=[cells.get(e.pk) for cells in filled]) for e in enrollments
    ]
