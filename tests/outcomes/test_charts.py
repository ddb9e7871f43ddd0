"""The bar charts: well-formed SVG that reads every number, escapes its words, withholds bars."""

from __future__ import annotations

from xml.etree import ElementTree

from waypost.caseload.outcomes.charts import WIDTH, Bar, Group, bar_chart

SVG = "{http://www.w3.org/2000/svg}"


def _chart(groups, **options):
    defaults = {"scale_max": 100, "title": "Shares", "intro": "Shares.", "ident": "t"}
    return ElementTree.fromstring(bar_chart(groups, **{**defaults, **options}))  # noqa: S314 — ours


def test_each_bar_is_as_long_as_its_share_and_its_words_say_the_number():
    svg = _chart([Group("PHQ-9", [Bar(50, "50% (5 of 10)")]), Group("GAD-7", [Bar(100, "100%")])])
    bars = svg.findall(f"{SVG}rect[@class='bar series-0']")
    assert [float(b.get("width")) for b in bars][1] == 2 * float(bars[0].get("width"))
    texts = [t.text for t in svg.findall(f"{SVG}text")]
    assert texts == ["PHQ-9", "50% (5 of 10)", "GAD-7", "100%"]
    assert svg.get("role") == "img"
    assert svg.find(f"{SVG}title").text == "Shares"
    assert svg.find(f"{SVG}desc").text == "Shares. PHQ-9: 50% (5 of 10). GAD-7: 100%."


def test_a_withheld_figure_has_no_bar_only_its_words():
    svg = _chart([Group("PHQ-9", [Bar(None, "fewer than 5")])], track=True)
    assert not svg.findall(f"{SVG}rect[@class='bar series-0']")
    assert len(svg.findall(f"{SVG}rect[@class='track']")) == 1
    withheld = svg.find(f"{SVG}text[@class='value withheld']")
    assert withheld is not None and withheld.text == "fewer than 5"


def test_labels_are_escaped_and_bars_never_pass_the_scale():
    raw = bar_chart(
        [Group("<b>Ours</b> & theirs", [Bar(250, "250")])],
        scale_max=100,
        title="T",
        intro="",
        ident="t",
    )
    assert "<b>" not in raw and "&lt;b&gt;Ours&lt;/b&gt; &amp; theirs" in raw
    svg = ElementTree.fromstring(raw)  # noqa: S314 — our own chart, just drawn
    bar = svg.find(f"{SVG}rect[@class='bar series-0']")
    assert float(bar.get("width")) < WIDTH


def test_two_series_get_a_key_which_wraps_when_it_does_not_fit_on_one_line():
    svg = _chart(
        [Group("Stage 1", [Bar(3, "3 days", 0), Bar(5, "5 days", 1)])],
        scale_max=5,
        legend=["Stays that ended in the period", "Clients there now, so far"],
    )
    keys = svg.findall(f"{SVG}text[@class='legend']")
    assert [k.text for k in keys] == ["Stays that ended in the period", "Clients there now, so far"]
    assert keys[0].get("y") != keys[1].get("y")  # too long for one line on a 320-wide chart
    assert "Stays that ended in the period 3 days" in svg.find(f"{SVG}desc").text
