"""The progress report as a PDF on A4, drawn with fpdf2 from the same blocks as the page.

Fonts: fpdf2's built-in fonts only know Latin-1, so a name like "Zoë 李" needs care.
When DejaVu Sans is installed (most Linux systems have it), it is embedded (the
characters used only) and covers most scripts; when it is not, the built-in Helvetica
is used. Either way every character the font lacks is replaced before it reaches
fpdf2 (:func:`fit_text`): typographic punctuation by its plain stand-in, accented
letters by the letter, anything else by "?". So no text can make the PDF fail.

Charts are drawn as lines (bands, grid, the line and its dots), not as pictures.
The document's title is "Progress report", nothing more: a PDF viewer shows it in its
title bar and a file list shows the name (``progress-report-<date>.pdf``).
"""

from __future__ import annotations

import logging
import unicodedata
from collections.abc import Callable
from datetime import datetime
from functools import cache
from pathlib import Path
from typing import Any

from fpdf import FPDF
from fpdf.fonts import FontFace, TTFFont

from waypost.caseload.reports.document import (
    Chart,
    Facts,
    Paragraph,
    Report,
    Subheading,
    Table,
    ticks,
)

#: Where DejaVu Sans is looked for, in order (Debian and Ubuntu, Fedora, Arch, by hand).
FONT_DIRS = (
    Path("/usr/share/fonts/truetype/dejavu"),
    Path("/usr/share/fonts/dejavu-sans-fonts"),
    Path("/usr/share/fonts/dejavu"),
    Path("/usr/share/fonts/TTF"),
    Path("/usr/local/share/fonts"),
)
REGULAR, BOLD = "DejaVuSans.ttf", "DejaVuSans-Bold.ttf"
CORE_FONT = "helvetica"
CHART_HEIGHT = 58.0

# fpdf2 subsets an embedded font with fontTools, which logs every step at INFO.
logging.getLogger("fontTools.subset").setLevel(logging.WARNING)

# Colours: the app's (app.css), calm and printable.
TEXT = (31, 42, 42)
MUTED = (90, 102, 102)
ACCENT = (47, 95, 90)
BAND = (227, 238, 236)
LINE = (217, 214, 204)

# Punctuation the built-in fonts lack, with stand-ins they have.
STAND_INS = {
    "\u2014": "-",
    "\u2013": "-",
    "\u2212": "-",
    "\u2018": "'",
    "\u2019": "'",
    "\u201c": '"',
    "\u201d": '"',
    "\u2026": "...",
    "\u2022": "\u00b7",
    "\u2192": "->",
    "\u2190": "<-",
    "\u2191": "^",
    "\u2193": "v",
    "\u2713": "v",
    "\u20ac": "EUR",
    # letters without a decomposition to a bare letter
    "\u0141": "L",
    "\u0142": "l",
    "\u0110": "D",
    "\u0111": "d",
    "\u0152": "OE",
    "\u0153": "oe",
    "\u0131": "i",
    "\u00a0": " ",
    "\u2009": " ",
    "\u202f": " ",
}


@cache
def unicode_font() -> tuple[Path, Path] | None:
    """DejaVu Sans (regular and bold) from the system, or None when it is not installed."""
    for folder in FONT_DIRS:
        regular, bold = folder / REGULAR, folder / BOLD
        if regular.is_file() and bold.is_file():
            return regular, bold
    return None


def fit_text(text: str, supported: Callable[[str], bool]) -> str:
    """``text`` with only characters the font has: stand-ins, bare letters, else "?".

    Line breaks stay; tabs become spaces; other control and format characters go.
    """
    out = []
    for char in text:
        if char == "\n":
            out.append(char)
            continue
        if unicodedata.category(char).startswith("C"):
            if char == "\t":
                out.append(" ")
            continue
        if supported(char):
            out.append(char)
            continue
        stand_in = STAND_INS.get(char)
        if stand_in is not None and all(supported(c) for c in stand_in):
            out.append(stand_in)
            continue
        folded = "".join(
            c for c in unicodedata.normalize("NFKD", char) if not unicodedata.combining(c)
        )
        if folded and folded != char and all(supported(c) for c in folded):
            out.append(folded)
        elif not unicodedata.combining(char):
            out.append("?")
    return "".join(out)


def latin_1(char: str) -> bool:
    return ord(char) < 256


class _Document(FPDF):
    """A4 pages with a quiet footer: the report's title and the page number."""

    def __init__(self, *, footer: str, font_files: tuple[Path, Path] | None) -> None:
        super().__init__(orientation="P", unit="mm", format="A4")
        if font_files is not None:
            self.add_font("DejaVu", "", str(font_files[0]))
            self.add_font("DejaVu", "B", str(font_files[1]))
            self.face = "DejaVu"
            font = self.fonts["dejavu"]
            cmap = font.cmap if isinstance(font, TTFFont) else {}
            self.supported: Callable[[str], bool] = lambda char: ord(char) in cmap
        else:
            self.face = CORE_FONT
            self.supported = latin_1
        self.footer_text = self.fit(footer)
        self.set_margins(18, 16, 18)
        self.set_auto_page_break(True, margin=18)

    def fit(self, text: str) -> str:
        return fit_text(str(text), self.supported)

    def footer(self) -> None:
        self.set_y(-12)
        self.set_font(self.face, size=8)
        self.set_text_color(*MUTED)
        self.cell(0, 5, f"{self.footer_text} · {self.page_no()}/{{nb}}", align="C")

    def use(self, size: float, *, bold: bool = False, colour: tuple[int, int, int] = TEXT) -> None:
        self.set_font(self.face, "B" if bold else "", size=size)
        self.set_text_color(*colour)

    def room_for(self, height: float) -> None:
        """Start a new page unless ``height`` mm fit on this one."""
        if self.get_y() + height > self.h - self.b_margin:
            self.add_page()


def render(report: Report, *, now: datetime, language: str = "en") -> bytes:
    """The report as PDF bytes. ``now`` is its creation date in the file's metadata."""
    pdf = _Document(footer=report.title, font_files=unicode_font())
    pdf.set_title(pdf.fit(report.title))
    pdf.set_creator("Waypost")
    pdf.set_lang(language)
    pdf.set_creation_date(now)
    pdf.add_page()
    pdf.use(20, bold=True)
    pdf.multi_cell(0, 9, pdf.fit(report.title), new_x="LMARGIN", new_y="NEXT")
    pdf.use(12, colour=MUTED)
    pdf.multi_cell(0, 6, pdf.fit(report.subtitle), new_x="LMARGIN", new_y="NEXT")
    pdf.ln(3)
    _facts(pdf, report.facts)
    for section in report.sections:
        pdf.ln(4)
        pdf.room_for(30)
        pdf.use(15, bold=True, colour=ACCENT)
        pdf.multi_cell(0, 8, pdf.fit(section.title), new_x="LMARGIN", new_y="NEXT")
        pdf.set_draw_color(*LINE)
        pdf.set_line_width(0.3)
        pdf.line(pdf.l_margin, pdf.get_y(), pdf.w - pdf.r_margin, pdf.get_y())
        pdf.ln(2)
        blocks = list(section.blocks)
        for n, block in enumerate(blocks):
            following = blocks[n + 1] if n + 1 < len(blocks) else None
            _block(pdf, block, following)
    if report.note:
        pdf.ln(5)
        pdf.use(9, colour=MUTED)
        pdf.multi_cell(0, 4.5, pdf.fit(report.note), align="L", new_x="LMARGIN", new_y="NEXT")
    return bytes(pdf.output())


def _block(pdf: _Document, block: Any, following: Any = None) -> None:
    if isinstance(block, Subheading):
        pdf.ln(2)
        # A heading never ends a page: it goes with the start of what it introduces.
        pdf.room_for(12 + (CHART_HEIGHT + 4 if isinstance(following, Chart) else 16))
        pdf.use(12, bold=True)
        pdf.multi_cell(0, 6, pdf.fit(block.text), new_x="LMARGIN", new_y="NEXT")
    elif isinstance(block, Paragraph):
        pdf.use(9 if block.muted else 10, colour=MUTED if block.muted else TEXT)
        pdf.multi_cell(0, 4.8, pdf.fit(block.text), align="L", new_x="LMARGIN", new_y="NEXT")
        pdf.ln(1)
    elif isinstance(block, Facts):
        _facts(pdf, block.items)
    elif isinstance(block, Table):
        _table(pdf, block)
    elif isinstance(block, Chart):
        _chart(pdf, block)


def _facts(pdf: _Document, items: tuple[tuple[str, str], ...]) -> None:
    if not items:
        return
    pdf.room_for(min(5.4 * len(items) + 2, 60))  # a short list stays on one page
    pdf.use(10)
    label = FontFace(emphasis="BOLD", color=TEXT)
    with pdf.table(
        col_widths=(62, 112),
        first_row_as_headings=False,
        borders_layout="NONE",
        text_align="LEFT",
        line_height=5.2,
        padding=(0.6, 1, 0.6, 0),
        align="LEFT",
    ) as table:
        for name, value in items:
            row = table.row()
            row.cell(pdf.fit(name), style=label)
            row.cell(pdf.fit(value))
    pdf.ln(2)


def _table(pdf: _Document, block: Table) -> None:
    pdf.room_for(18)
    pdf.use(9)
    pdf.set_fill_color(255, 255, 255)
    widths = _widths(block)
    with pdf.table(
        col_widths=widths,
        borders_layout="HORIZONTAL_LINES",
        text_align="LEFT",
        line_height=4.8,
        padding=(1, 1.5, 1, 1.5),
        headings_style=FontFace(emphasis="BOLD", color=TEXT, fill_color=BAND),
        cell_fill_mode="NONE",
        align="LEFT",
    ) as table:
        pdf.set_draw_color(*LINE)
        heading = table.row()
        for text in block.headers:
            heading.cell(pdf.fit(text))
        for cells in block.rows:
            row = table.row()
            for text in cells:
                row.cell(pdf.fit(text))
    pdf.ln(2)


def _widths(block: Table) -> tuple[float, ...]:
    """Columns as wide as their longest text, within reason."""
    longest = [len(h) for h in block.headers]
    for cells in block.rows:
        for n, text in enumerate(cells):
            longest[n] = max(longest[n], min(len(text), 40))
    return tuple(max(6, n) for n in longest)


def _chart(pdf: _Document, chart: Chart) -> None:
    """The chart as lines: shaded bands, grid and its values, the line, dots, some dates."""
    if not chart.points:
        return
    height = CHART_HEIGHT
    pdf.room_for(height + 4)
    # The chart's title is for screen readers on the page; in print the subheading above
    # it names it.
    top = pdf.get_y() + 2
    left = pdf.l_margin + 10
    width = pdf.w - pdf.r_margin - left - 4
    plot_h = height - 10
    low, high = chart.low, chart.high
    span = (high - low) or 1

    def y(value: float) -> float:
        return top + plot_h * (1 - (value - low) / span)

    points = chart.points
    first, last = points[0].when, points[-1].when
    elapsed = (last - first).total_seconds()

    def x(index: int) -> float:
        if len(points) == 1:
            return left + width / 2
        if elapsed <= 0:
            return left + width * index / (len(points) - 1)
        return left + width * (points[index].when - first).total_seconds() / elapsed

    pdf.set_fill_color(*BAND)
    for n, shade in enumerate(chart.shades):
        if n % 2:
            continue  # every other band shaded, as on the page
        upper, lower = y(min(shade.high + 0.5, high)), y(max(shade.low - 0.5, low))
        pdf.rect(left, upper, width, lower - upper, style="F")
    pdf.set_draw_color(*LINE)
    pdf.set_line_width(0.2)
    pdf.use(7, colour=MUTED)
    for tick in ticks(low, high):
        pdf.line(left, y(tick), left + width, y(tick))
        label = f"{tick:g}"
        pdf.text(left - 2 - pdf.get_string_width(label), y(tick) + 1, label)
    pdf.set_draw_color(*ACCENT)
    pdf.set_fill_color(*ACCENT)
    pdf.set_line_width(0.6)
    if len(points) > 1:
        pdf.polyline([(x(i), y(p.value)) for i, p in enumerate(points)])
    for i, point in enumerate(points):
        pdf.circle(x(i), y(point.value), 0.9, style="F")
    previous: float | None = None
    for i, point in enumerate(points):
        last_one = i == len(points) - 1
        if not last_one and (
            (previous is not None and x(i) - previous < 16) or x(len(points) - 1) - x(i) < 16
        ):
            continue
        label = pdf.fit(point.label)
        label_w = pdf.get_string_width(label)
        if i == 0 and len(points) > 1:
            at = x(i)  # the first date starts at its point
        elif last_one and len(points) > 1:
            at = x(i) - label_w  # the last one ends at its point
        else:
            at = x(i) - label_w / 2
        pdf.text(at, top + plot_h + 5, label)
        previous = x(i)
    pdf.set_y(top + height - 4)
    pdf.set_text_color(*TEXT)
    pdf.set_fill_color(255, 255, 255)
    pdf.set_draw_color(*LINE)
    pdf.set_line_width(0.2)
