"""A trend chart as plain SVG: no library, no script, readable by screen readers.

The chart is an image with a title and a description that say what it shows;
the page puts the same numbers in a table beside it. Severity bands are
shaded; points are joined in time order. A form that had a critical answer
(a risk alert) is drawn with a ring and a "!" above it, whatever its total, so a
falling score never hides it. Pure Python: no Django.
"""

from __future__ import annotations

from collections.abc import Callable, Sequence
from dataclasses import dataclass
from datetime import datetime
from html import escape

from waypost.assessments.scoring import plain_number

# A small canvas, so the axis text stays readable when a phone scales the chart down.
WIDTH, HEIGHT = 420, 230
LEFT, RIGHT, TOP, BOTTOM = 34, 24, 12, 30
# The least room between two dates under the axis ("23 Nov" is about 40 units wide).
LABEL_GAP = 56


@dataclass(frozen=True)
class Point:
    when: datetime
    value: float
    label: str  # e.g. "12 Mar" for the axis
    critical: bool = False  # the form had a critical answer


@dataclass(frozen=True)
class Shade:
    low: float
    high: float
    label: str


def trend_svg(
    points: Sequence[Point],
    *,
    low: float,
    high: float,
    title: str,
    description: str,
    shades: Sequence[Shade] = (),
    ident: str = "trend",
) -> str:
    """The SVG markup for ``points`` on a y axis from ``low`` to ``high``."""
    span = (high - low) or 1
    plot_w = WIDTH - LEFT - RIGHT
    plot_h = HEIGHT - TOP - BOTTOM

    def y(value: float) -> float:
        return round(TOP + plot_h * (1 - (value - low) / span), 1)

    count = len(points)
    elapsed = (points[-1].when - points[0].when).total_seconds() if count > 1 else 0

    def x(index: int) -> float:
        """Across the plot by date, so a gap of six weeks looks longer than one of two."""
        if count == 1:
            return LEFT + plot_w / 2
        if elapsed <= 0:  # all on one moment: spread them evenly
            return round(LEFT + plot_w * index / (count - 1), 1)
        share = (points[index].when - points[0].when).total_seconds() / elapsed
        return round(LEFT + plot_w * share, 1)

    parts = [
        f'<svg class="trend" viewBox="0 0 {WIDTH} {HEIGHT}" role="img" '
        f'aria-labelledby="{ident}-title {ident}-desc" xmlns="http://www.w3.org/2000/svg">',
        f'<title id="{ident}-title">{escape(title)}</title>',
        f'<desc id="{ident}-desc">{escape(description)}</desc>',
    ]
    for index, shade in enumerate(shades):
        top, bottom = y(min(shade.high + 0.5, high)), y(max(shade.low - 0.5, low))
        parts.append(
            f'<rect class="band band-{index % 5}" x="{LEFT}" y="{top}" '
            f'width="{plot_w}" height="{round(bottom - top, 1)}"/>'
        )
    for tick in _ticks(low, high):
        parts.append(
            f'<line class="grid" x1="{LEFT}" x2="{WIDTH - RIGHT}" y1="{y(tick)}" y2="{y(tick)}"/>'
            f'<text class="axis" x="{LEFT - 5}" y="{y(tick) + 4}" text-anchor="end">'
            f"{plain_number(tick)}</text>"
        )
    if count > 1:
        path = " ".join(f"{x(i)},{y(p.value)}" for i, p in enumerate(points))
        parts.append(f'<polyline class="line" points="{path}"/>')
    labelled = _labelled(count, x)
    for i, point in enumerate(points):
        parts.append(f'<circle class="dot" cx="{x(i)}" cy="{y(point.value)}" r="3.5"/>')
        if point.critical:
            parts.append(
                f'<circle class="critical-ring" cx="{x(i)}" cy="{y(point.value)}" r="7"/>'
                f'<text class="critical-mark" x="{x(i)}" y="{_above_or_below(y(point.value))}" '
                f'text-anchor="middle">!</text>'
            )
        if i in labelled:
            anchor = "end" if i == count - 1 and count > 1 else "middle"
            parts.append(
                f'<text class="axis" x="{x(i)}" y="{HEIGHT - 8}" text-anchor="{anchor}">'
                f"{escape(point.label)}</text>"
            )
    parts.append("</svg>")
    return "".join(parts)


def _above_or_below(y: float) -> float:
    """Where the "!" of a critical form goes: above its point, or below one at the top."""
    return y - 11 if y - 11 >= TOP + 10 else y + 22


def _labelled(count: int, x: Callable[[int], float]) -> set[int]:
    """Which points get a date under the axis: the last always, others where they fit.

    Left to right, a date is written when it is at least LABEL_GAP from the one
    before and from the last one, so dates never run into each other.
    """
    if count == 0:
        return set()
    chosen = {count - 1}
    previous = None
    for i in range(count - 1):
        if previous is not None and x(i) - previous < LABEL_GAP:
            continue
        if x(count - 1) - x(i) < LABEL_GAP:
            break
        chosen.add(i)
        previous = x(i)
    return chosen


def _ticks(low: float, high: float) -> list[float]:
    span = high - low
    for step in (1, 2, 5, 10, 20, 25, 50):
        if span / step <= 6:
            break
    first = low - (low % step) if low % step else low
    ticks, value = [], first
    while value <= high:
        if value >= low:
            ticks.append(value)
        value += step
    return ticks
