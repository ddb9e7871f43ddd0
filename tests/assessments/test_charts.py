"""The SVG trend chart: an accessible image, no styles or scripts, readable labels."""

from __future__ import annotations

import re
from datetime import UTC, datetime, timedelta

from waypost.assessments.charts import Point, Shade, trend_svg


def points(values):
    start = datetime(2026, 1, 5, tzinfo=UTC)
    return [
        Point(when=start + timedelta(weeks=2 * i), value=v, label=f"d{i}")
        for i, v in enumerate(values)
    ]


def test_the_chart_is_an_image_with_a_title_and_a_description():
    svg = trend_svg(
        points([17, 12, 8]),
        low=0,
        high=27,
        title="PHQ-9 <over> time",
        description="3 scores & a table",
        shades=[Shade(0, 4, "Minimal"), Shade(5, 27, "More")],
        ident="t",
    )
    assert svg.startswith('<svg class="trend"') and 'role="img"' in svg
    assert 'aria-labelledby="t-title t-desc"' in svg
    # text is escaped, never markup
    assert '<title id="t-title">PHQ-9 &lt;over&gt; time</title>' in svg
    assert "3 scores &amp; a table" in svg
    assert svg.count('class="dot"') == 3
    assert svg.count("<polyline") == 1
    assert svg.count('class="band') == 2
    # nothing the content security policy would block
    assert "style=" not in svg and "<script" not in svg


def test_higher_scores_are_drawn_higher_up():
    svg = trend_svg(points([0, 27]), low=0, high=27, title="t", description="d")
    ys = [float(y) for y in re.findall(r'<circle class="dot" cx="[\d.]+" cy="([\d.]+)"', svg)]
    assert ys[0] > ys[1]  # SVG y grows downwards


def test_a_single_score_is_a_dot_without_a_line():
    svg = trend_svg(points([9]), low=0, high=27, title="t", description="d")
    assert svg.count('class="dot"') == 1 and "<polyline" not in svg


def test_long_histories_label_only_a_few_dates_and_always_the_last():
    svg = trend_svg(points(list(range(14))), low=0, high=27, title="t", description="d")
    dates = re.findall(r">(d\d+)</text>", svg)
    assert 2 <= len(dates) <= 6
    assert dates[-1] == "d13"


def _dot_xs(svg: str) -> list[float]:
    return [float(x) for x in re.findall(r'<circle class="dot" cx="([\d.]+)"', svg)]


def test_points_sit_by_date_not_by_count():
    start = datetime(2026, 1, 5, tzinfo=UTC)
    # three scores: two weeks apart, then six weeks
    dated = [
        Point(when=start + timedelta(weeks=w), value=v, label=f"w{w}")
        for w, v in ((0, 17), (2, 12), (8, 8))
    ]
    xs = _dot_xs(trend_svg(dated, low=0, high=27, title="t", description="d"))
    # the plot runs from x 34 to 396 (420 - 24): 362 units for 8 weeks
    assert xs == [34, round(34 + 362 * 2 / 8, 1), 396]
    assert xs[2] - xs[1] == 3 * (xs[1] - xs[0])


def test_dates_under_the_axis_never_run_into_each_other():
    start = datetime(2026, 1, 5, tzinfo=UTC)
    # fortnightly for twenty weeks, then one three days after the last
    weeks = [start + timedelta(weeks=2 * i) for i in range(11)]
    weeks.append(weeks[-1] + timedelta(days=3))
    svg = trend_svg(
        [Point(when=w, value=5, label=f"d{i}") for i, w in enumerate(weeks)],
        low=0,
        high=27,
        title="t",
        description="d",
    )
    labels = re.findall(r'<text class="axis" x="([\d.]+)" y="222"[^>]*>(d\d+)</text>', svg)
    xs = [float(x) for x, _ in labels]
    assert labels[-1][1] == "d11"  # the latest date is always written
    assert "d10" not in [name for _, name in labels]  # three days before it: no room
    assert all(b - a >= 56 for a, b in zip(xs, xs[1:], strict=False))
    assert len(labels) >= 4


def test_forms_on_one_moment_are_spread_evenly():
    when = datetime(2026, 1, 5, tzinfo=UTC)
    svg = trend_svg(
        [Point(when=when, value=v, label="x") for v in (1, 2, 3)],
        low=0,
        high=27,
        title="t",
        description="d",
    )
    assert _dot_xs(svg) == [34, 215, 396]
