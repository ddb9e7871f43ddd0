"""A progress report as plain blocks, which the HTML page and the PDF both draw.

The report is made once, as words and numbers in the reader's language (``content``),
and drawn twice: by a template (``reports/report.html``) and by ``pdf``. So the two
can never say different things. Each block has a ``kind`` the template switches on.
No Django import: the blocks are plain data.
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass
from datetime import date
from typing import ClassVar

from waypost.assessments import charts


@dataclass(frozen=True)
class Paragraph:
    kind: ClassVar[str] = "paragraph"
    text: str
    muted: bool = False


@dataclass(frozen=True)
class Subheading:
    kind: ClassVar[str] = "subheading"
    text: str


@dataclass(frozen=True)
class Facts:
    """Label and value pairs ("Current streak": "12 days")."""

    kind: ClassVar[str] = "facts"
    items: tuple[tuple[str, str], ...]


@dataclass(frozen=True)
class Table:
    kind: ClassVar[str] = "table"
    caption: str
    headers: tuple[str, ...]
    rows: tuple[tuple[str, ...], ...]


@dataclass(frozen=True)
class Chart:
    """A line over time on a fixed scale, with shaded bands: an SVG here, lines in the PDF."""

    kind: ClassVar[str] = "chart"
    title: str
    description: str
    low: float
    high: float
    points: tuple[charts.Point, ...]
    shades: tuple[charts.Shade, ...] = ()
    ident: str = "trend"

    def svg(self) -> str:
        """The chart as the measures page draws it (``assessments.charts``), escaped there."""
        return charts.trend_svg(
            self.points,
            low=self.low,
            high=self.high,
            title=self.title,
            description=self.description,
            shades=self.shades,
            ident=self.ident,
        )


Block = Paragraph | Subheading | Facts | Table | Chart


@dataclass(frozen=True)
class Section:
    key: str
    title: str
    blocks: Sequence[Block]


@dataclass(frozen=True)
class Report:
    """Everything a report says, in order."""

    title: str
    subtitle: str  # whose report, for whom
    facts: tuple[tuple[str, str], ...]  # the header: period, made on, by, stage …
    sections: Sequence[Section]
    made_on: date
    note: str = ""  # a closing line: what the report holds and what it leaves out

    @property
    def filename(self) -> str:
        """Discreet: it says neither who it is about nor what the program is for."""
        return f"progress-report-{self.made_on.isoformat()}.pdf"


def ticks(low: float, high: float) -> list[float]:
    """Round values for a chart's grid lines, at most about six between ``low`` and ``high``."""
    span = high - low
    step: float = 50
    for candidate in (1, 2, 5, 10, 20, 25, 50):
        if span / candidate <= 6:
            step = candidate
            break
    first = low - (low % step) if low % step else low
    found, value = [], first
    while value <= high:
        if value >= low:
            found.append(value)
        value += step
    return found
