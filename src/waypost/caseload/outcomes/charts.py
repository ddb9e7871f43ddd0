"""Bar charts as plain SVG for the outcomes page: no library, no script, read aloud in full.

Each group is a label with one bar per series under it; the bar's number is written at
its end, so the chart reads without a scale, and a figure that is not shown (fewer than
five clients, or nothing to count) is written in words where its bar would be. The
page puts the same numbers in a table beside it. Labels sit above their bars rather than
beside them so long names fit on a phone. Pure Python: no Django (the caller translates).
Drawn like ``assessments.charts``: a small canvas the browser scales to its column.
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass
from html import escape

# Narrow, so that on a phone, where the chart fills the column, its words come out at
# about the size of the page's own small print.
WIDTH = 320
# Room kept to the right of the longest bar for its number ("100% (12 of 12)").
TEXT_ROOM = 112
CHAR_WIDTH = 6.5  # a rough width of one character of the 12-unit text, for the key
LABEL_HEIGHT = 18
BAR_HEIGHT = 14
BAR_GAP = 4
GROUP_GAP = 10
LEGEND_HEIGHT = 22


@dataclass(frozen=True)
class Bar:
    value: float | None  # None: no bar, only the words in ``text``
    text: str  # written at the end of the bar: "67% (4 of 6)", "12 days", "fewer than 5"
    series: int = 0


@dataclass(frozen=True)
class Group:
    label: str
    bars: Sequence[Bar]


def bar_chart(
    groups: Sequence[Group],
    *,
    scale_max: float,
    title: str,
    intro: str,
    ident: str,
    legend: Sequence[str] = (),
    track: bool = False,
) -> str:
    """The SVG markup of ``groups`` on a scale from 0 to ``scale_max``.

    ``legend`` names the series (a key is drawn when there is more than one); ``track``
    draws each bar's full length faintly behind it (for shares out of 100%). The
    description starts with ``intro`` and then reads every number.
    """
    plot = WIDTH - TEXT_ROOM
    scale = scale_max if scale_max > 0 else 1
    parts: list[str] = []
    y = 0.0
    if len(legend) > 1:
        x = 0.0
        for index, name in enumerate(legend):
            room = 30 + CHAR_WIDTH * len(name)
            if x and x + room > WIDTH:  # the next key on a line of its own
                x, y = 0.0, y + LEGEND_HEIGHT
            parts.append(
                f'<rect class="bar series-{index}" x="{x}" y="{y + 4}" width="12" height="12"/>'
                f'<text class="legend" x="{x + 17}" y="{y + 14}">{escape(name)}</text>'
            )
            x += room
        y += LEGEND_HEIGHT
    for group in groups:
        parts.append(f'<text class="label" x="0" y="{y + 13}">{escape(group.label)}</text>')
        y += LABEL_HEIGHT
        for bar in group.bars:
            if track:
                parts.append(
                    f'<rect class="track" x="0" y="{y}" width="{plot}" height="{BAR_HEIGHT}"/>'
                )
            end = 0.0
            if bar.value is not None and bar.value > 0:
                end = round(plot * min(bar.value, scale) / scale, 1)
                parts.append(
                    f'<rect class="bar series-{bar.series}" x="0" y="{y}" '
                    f'width="{end}" height="{BAR_HEIGHT}"/>'
                )
            text_x = round((plot if track else end) + 6, 1)
            kind = "value" if bar.value is not None else "value withheld"
            parts.append(
                f'<text class="{kind}" x="{text_x}" y="{y + 11}">{escape(bar.text)}</text>'
            )
            y += BAR_HEIGHT + BAR_GAP
        y += GROUP_GAP
    height = max(round(y - GROUP_GAP - BAR_GAP + 2), 20)
    description = " ".join([intro, *(_described(group, legend) for group in groups)]).strip()
    return "".join(
        [
            f'<svg class="outcome-chart" viewBox="0 0 {WIDTH} {height}" role="img" '
            f'aria-labelledby="{ident}-title {ident}-desc" xmlns="http://www.w3.org/2000/svg">',
            f'<title id="{ident}-title">{escape(title)}</title>',
            f'<desc id="{ident}-desc">{escape(description)}</desc>',
            *parts,
            "</svg>",
        ]
    )


def _described(group: Group, legend: Sequence[str]) -> str:
    """One group in words: "PHQ-9: reliable improvement 67% (4 of 6), recovery …"."""
    said = []
    for bar in group.bars:
        name = legend[bar.series] if bar.series < len(legend) and len(legend) > 1 else ""
        said.append(f"{name} {bar.text}".strip())
    return f"{group.label}: {', '.join(said)}."
