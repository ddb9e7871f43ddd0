"""Nothing in a module file reaches the page as raw HTML: no scripts, styles or outside images."""

from __future__ import annotations

import pytest
from django.urls import reverse

from tests.learn.conftest import write_module
from waypost.learn import content
from waypost.learn.content import render_markdown, sanitise

pytestmark = pytest.mark.django_db

NASTY = """Some text.

<script>alert('x')</script>

<img src="https://tracker.example/pixel.png" onerror="alert(1)">

<div style="position:fixed">covering the page</div>

[a link](javascript:alert(1)) and [a real one](https://example.org/)

# A heading one
"""


def test_raw_html_in_markdown_is_shown_as_text_not_run():
    html = render_markdown(NASTY)
    assert "<script" not in html
    assert "<img" not in html
    assert "<div" not in html
    assert "&lt;script&gt;" in html  # shown harmlessly as text
    assert 'href="javascript' not in html
    assert '<a href="https://example.org/" rel="noopener noreferrer">' in html


def test_headings_start_at_level_two_under_the_page_title():
    html = render_markdown("# Big\n\n## Smaller\n")
    assert "<h1" not in html
    assert "<h2>Big</h2>" in html


def test_the_sanitiser_removes_scripts_even_if_markdown_let_them_through():
    html = sanitise('<p onclick="x()">Hi</p><script>steal()</script><style>p{}</style>')
    assert html == "<p>Hi</p>"


def test_a_script_in_a_module_file_does_not_reach_the_page(cast, client, clinic_modules):
    # Given a clinic module with a script and an outside image in it
    write_module(clinic_modules, "nasty.md", slug="nasty", body=NASTY)
    content.reload()
    # When the client opens it
    client.force_login(cast.client)
    response = client.get(reverse("learn:module", args=["nasty"]))
    # Then the page shows the text but no script, image or inline style from the file
    page = response.content.decode()
    assert response.status_code == 200
    assert "Some text." in page
    assert "<script>alert" not in page
    assert '<img src="https://tracker' not in page  # shown as text, never fetched
    assert "<div style" not in page
    assert 'href="javascript' not in page
