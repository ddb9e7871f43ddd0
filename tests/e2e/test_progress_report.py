"""Story: a clinician makes a progress report for a referral, picks its sections, reads it and
downloads the PDF; the client downloads a report of their own from Me.

The PDF's first page is rendered to an image (pypdfium2) and must not be blank; its text
must hold the chosen sections' headings and none of the others. With ``WAYPOST_SHOTS``
set, the images and screenshots go to ``$WAYPOST_SHOTS/reports/`` to be looked at.
"""

from __future__ import annotations

import os
import re
from pathlib import Path

import pypdfium2 as pdfium
import pytest
from playwright.sync_api import expect

from tests.e2e.conftest import DESKTOP, PHONE

pytestmark = pytest.mark.e2e

SHOTS = Path(os.environ["WAYPOST_SHOTS"]) / "reports" if os.environ.get("WAYPOST_SHOTS") else None
CHOSEN = ("Measures and change", "Daily check-ins")
LEFT_OUT = (
    "Streak and total days",
    "Stages of the program",
    "Meetings and groups",
    "Long-term goals",
)


def _pdf(download, tmp_path: Path, name: str) -> tuple[str, float]:
    """The PDF's text, and the share of page 1 that is not white (saved as a PNG if asked)."""
    path = tmp_path / name
    download.save_as(path)
    document = pdfium.PdfDocument(path.read_bytes())
    text = "\n".join(
        document[n].get_textpage().get_text_range() for n in range(len(document))
    ).replace("\r", "")
    image = document[0].render(scale=2).to_pil()
    if SHOTS is not None:
        SHOTS.mkdir(parents=True, exist_ok=True)
        image.save(SHOTS / f"{path.stem}-page1.png")
    grey = image.convert("L")
    ink = sum(grey.histogram()[:240]) / (grey.width * grey.height)
    return text, ink


def _shot(page, name: str) -> None:
    if SHOTS is not None:
        SHOTS.mkdir(parents=True, exist_ok=True)
        page.screenshot(path=str(SHOTS / f"{name}.png"), full_page=True)


def test_a_clinician_makes_a_referral_report_and_the_client_downloads_their_own(
    e2e_cast, signed_in, tmp_path
):
    from django.utils import timezone

    from tests.reports.helpers import fill_record

    fill_record(e2e_cast, timezone.now())

    # Given the clinician on the client's record
    page = signed_in(e2e_cast.clinician, DESKTOP)
    page.goto(f"/clients/{e2e_cast.enrollment.pk}/")
    card = page.get_by_role("region", name="Reports and export")
    card.get_by_role("link", name="for a referral").click()

    # When they pick the sections of a report for a referral
    expect(page.get_by_role("heading", level=1)).to_have_text("Progress report for Sam Client")
    expect(page.get_by_role("radio", name="For a referral")).to_be_checked()
    expect(page.get_by_role("checkbox", name=re.compile("Measures and change"))).to_be_checked()
    page.get_by_role("checkbox", name=re.compile("Streak and total days")).uncheck()
    page.get_by_role("checkbox", name=re.compile("Stages of the program")).uncheck()
    page.get_by_role("checkbox", name=re.compile("Daily check-ins")).check()
    page.get_by_role("button", name="Show the report").click()

    # Then the report shows those sections, with the chart, and no others
    expect(page.get_by_role("heading", level=1)).to_have_text("Progress report")
    for heading in CHOSEN:
        expect(page.get_by_role("heading", level=2, name=heading)).to_be_visible()
    for heading in LEFT_OUT:
        expect(page.get_by_role("heading", level=2, name=heading)).to_have_count(0)
    expect(page.get_by_role("img", name=re.compile("Patient Health Questionnaire"))).to_be_visible()
    _shot(page, "e2e-report-1280")

    # And the PDF downloads with a discreet name, not blank, with the same sections
    with page.expect_download() as downloaded:
        page.get_by_role("link", name="Download PDF").click()
    download = downloaded.value
    assert re.fullmatch(r"progress-report-\d{4}-\d{2}-\d{2}\.pdf", download.suggested_filename)
    text, ink = _pdf(download, tmp_path, "e2e-referral")
    assert ink > 0.02
    assert "Sam Client, for a referral" in text
    for heading in CHOSEN:
        assert heading in text
    for heading in LEFT_OUT:
        assert heading not in text

    # When the client, on their phone, makes a report of their own from Me
    phone = signed_in(e2e_cast.client, PHONE)
    phone.goto("/account/")
    phone.get_by_role("link", name="Make a progress report").click()
    expect(phone.get_by_role("heading", level=1)).to_have_text("A report of your progress")
    _shot(phone, "e2e-form-390")
    with phone.expect_download() as downloaded:
        phone.get_by_role("button", name="Download PDF").click()

    # Then they get their own PDF with every section, in plain words
    text, ink = _pdf(downloaded.value, tmp_path, "e2e-client")
    assert ink > 0.02
    assert "Sam Client, for the client" in text
    for heading in CHOSEN + LEFT_OUT:
        assert heading in text
    assert "Mood questionnaire" in text and "PHQ-9" not in text
