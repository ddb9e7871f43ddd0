"""The caseload's cells are written as plain strings: everything a column gives is escaped."""

from __future__ import annotations

from django.utils.safestring import mark_safe

from waypost.caseload.views import _cell_html, _Label
from waypost.core.columns import Cell

LABEL = _Label(header="Q&amp;A &lt;col&gt;", weight=1)


def test_text_url_label_and_detail_are_escaped_quotes_included():
    # given a cell whose every field carries markup and quotes
    cell = Cell(
        text='<script>alert("x")</script>',
        url='/clients/1/?a=1&b="2"',
        label="it's <b>",
        detail="5 > 4",
    )
    # when it is written
    html = _cell_html(LABEL, cell)
    # then none of it can become a tag or leave its attribute
    assert html == (
        '<td data-label="Q&amp;A &lt;col&gt;">'
        '<a href="/clients/1/?a=1&amp;b=&quot;2&quot;">'
        "&lt;script&gt;alert(&quot;x&quot;)&lt;/script&gt;</a>"
        '<span class="visually-hidden"> (it&#x27;s &lt;b&gt;)</span>'
        '<span class="detail" aria-hidden="true">5 &gt; 4</span></td>'
    )


def test_pieces_wrap_between_not_inside_and_are_each_escaped():
    html = _cell_html(LABEL, Cell(text="", pieces=("PHQ-9 12↓", "<GAD-7>")))
    assert html == (
        '<td data-label="Q&amp;A &lt;col&gt;">'
        '<span class="piece">PHQ-9 12↓</span> · <span class="piece">&lt;GAD-7&gt;</span></td>'
    )


def test_text_already_html_is_kept_as_it_is():
    html = _cell_html(LABEL, Cell(text=mark_safe("<em>2</em>"), detail="online"))
    assert (
        html
        == '<td data-label="Q&amp;A &lt;col&gt;"><em>2</em><span class="detail">online</span></td>'
    )


def test_a_flag_only_where_the_column_weighs_and_a_dash_for_no_cell():
    flagged = Cell(text="1 open", attention=True)
    assert _cell_html(LABEL, flagged).startswith('<td class="flag" ')
    assert _cell_html(_Label(LABEL.header, 0), flagged).startswith("<td data-label")
    assert _cell_html(LABEL, None) == (
        '<td class="empty" data-label="Q&amp;A &lt;col&gt;"><span class="muted">—</span></td>'
    )


def test_a_row_escapes_the_clients_name_and_says_the_stage_in_words():
    from datetime import timedelta

    from django.utils import timezone

    from waypost.accounts.models import User
    from waypost.caseload.views import _row_html, _RowWords
    from waypost.core.columns import Row
    from waypost.program.models import Enrollment

    # given a client whose name carries markup, five days into Stage 2, flagged
    client = User(name='<img src=x onerror="alert(1)">', last_login=None)
    enrollment = Enrollment(
        client=client, stage=2, stage_entered_at=timezone.now() - timedelta(days=5, hours=1)
    )
    row = Row(enrollment=enrollment, cells=[], columns=[], flagged=3)
    # when the row is written
    html = _row_html(row, "/clients/7/?a=1&b=2", "<td>cells</td>", _RowWords.now())
    # then the name is text, the link is escaped, and the row reads as the template did
    assert "<img" not in html
    assert "&lt;img src=x onerror=&quot;alert(1)&quot;&gt;" in html
    assert '<a href="/clients/7/?a=1&amp;b=2">' in html
    assert html.startswith('<tr class="attention">')
    assert '<span class="badge badge-warn">needs attention</span>' in html
    assert "not signed in yet" in html
    assert "Abstinence" in html and "5 days in stage" in html
    assert html.endswith("<td>cells</td>\n</tr>")
