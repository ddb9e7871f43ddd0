"""The PDF: the chosen sections' headings and no others, charts drawn, a discreet title, and
any name at all written without a crash, with DejaVu embedded or with the built-in font."""

from __future__ import annotations

import unicodedata
from datetime import UTC, datetime

import pypdfium2 as pdfium
import pytest
import time_machine
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from tests.reports.helpers import a_report, fill_record
from waypost.caseload.reports import content, pdf
from waypost.caseload.reports import sections as catalogue
from waypost.caseload.reports.document import Paragraph, Report, Section
from waypost.core.discretion import is_discreet

NOW = datetime(2026, 3, 2, 2, 0, tzinfo=UTC)  # 10:00 on Monday 2 March in Singapore


@pytest.fixture(autouse=True)
def _frozen():
    with time_machine.travel(NOW, tick=False):
        yield


def _text(data: bytes) -> str:
    document = pdfium.PdfDocument(data)
    return "\n".join(
        document[n].get_textpage().get_text_range() for n in range(len(document))
    ).replace("\r", "")


def _ink(data: bytes) -> float:
    """The share of page 1 that is not white."""
    image = pdfium.PdfDocument(data)[0].render(scale=1).to_pil().convert("L")
    return sum(image.histogram()[:240]) / (image.width * image.height)


def _pdf(report) -> bytes:
    return pdf.render(content.build(report, now=NOW), now=NOW)


@pytest.mark.django_db
def test_the_pdf_holds_the_chosen_headings_only_and_draws_its_charts(cast):
    fill_record(cast, NOW)
    chosen = [catalogue.MEASURES, catalogue.CHECK_INS, catalogue.STAGES]
    data = _pdf(a_report(cast, sections=chosen))
    text = _text(data)
    for section in catalogue.SECTIONS:
        assert (str(section.title) in text) is (section.key in chosen), section.key
    assert "Mood questionnaire" in text and "Mood week by week" in text
    assert "From 16 to 6" in text
    assert _ink(data) > 0.02
    assert "ashamed" not in text  # a check-in note


@pytest.mark.django_db
def test_the_title_and_the_file_name_say_nothing_about_the_program(cast):
    report = a_report(cast, sections=[catalogue.DAYS])
    built = content.build(report, now=NOW)
    document = pdfium.PdfDocument(pdf.render(built, now=NOW))
    title = document.get_metadata_dict()["Title"]
    assert title == "Progress report"
    assert is_discreet(title) and is_discreet(built.filename)
    assert built.filename == "progress-report-2026-03-02.pdf"


@pytest.mark.django_db
@pytest.mark.parametrize("dejavu", [True, False], ids=["dejavu", "built-in font"])
def test_a_name_in_any_script_never_breaks_the_pdf(cast, monkeypatch, dejavu):
    if dejavu and pdf.unicode_font() is None:
        pytest.skip("DejaVu Sans is not installed here")
    if not dejavu:
        monkeypatch.setattr(pdf, "unicode_font", lambda: None)
    cast.client.name = "Zoë 李 O’Brien\u200b"
    cast.client.save(update_fields=["name"])
    text = _text(_pdf(a_report(cast, sections=[catalogue.STAGES])))
    # DejaVu has ’ but no Chinese; Helvetica has neither: each stands in as it can.
    assert ("Zoë ? O’Brien" if dejavu else "Zoë ? O'Brien") in text


def test_fit_text_keeps_what_the_font_has_and_replaces_the_rest():
    assert pdf.fit_text("Zoë — “hi” …", pdf.latin_1) == 'Zoë - "hi" ...'
    assert pdf.fit_text("Łódź 李\tx\x07", pdf.latin_1) == "Lódz ? x"
    assert pdf.fit_text("a\u0301", pdf.latin_1) == "a"  # a lone accent the font lacks
    assert pdf.fit_text("line\nbreak", pdf.latin_1) == "line\nbreak"


@given(st.text(max_size=200))
def test_fit_text_for_the_built_in_font_is_always_latin_1(text):
    fitted = pdf.fit_text(text, pdf.latin_1)
    fitted.encode("latin-1")  # never raises
    assert not any(unicodedata.category(c).startswith("C") for c in fitted if c != "\n")


@settings(max_examples=15, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(st.text(max_size=80), st.booleans())
def test_any_text_makes_a_pdf(text, dejavu):
    files = pdf.unicode_font() if dejavu else None
    report = Report(
        title="Progress report",
        subtitle=text,
        facts=((text or "-", text),),
        sections=[Section("x", text or "x", [Paragraph(text)])],
        made_on=NOW.date(),
    )
    original = pdf.unicode_font
    try:
        pdf.unicode_font = lambda: files
        data = pdf.render(report, now=NOW)
    finally:
        pdf.unicode_font = original
    assert data.startswith(b"%PDF-")
