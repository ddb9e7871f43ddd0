"""Small helpers the assessments behaviour tests share (plain functions, no fixtures)."""

from __future__ import annotations

from datetime import datetime, timedelta
from html.parser import HTMLParser

from django.urls import reverse
from django.utils import timezone

from waypost.assessments import services
from waypost.assessments.models import Administration, Assignment

# PHQ-9 answers (scores of the chosen options, item order) and their totals.
PHQ9_17 = [3, 3, 3, 2, 2, 2, 1, 1, 0]  # 17, moderately severe
PHQ9_15 = [2, 2, 2, 2, 2, 2, 2, 1, 0]  # 15, moderately severe
PHQ9_8 = [1, 1, 1, 1, 1, 1, 1, 1, 0]  # 8, mild
PHQ9_LOW = [0, 0, 0, 0, 0, 0, 0, 0, 0]  # 0, minimal


def sign_in(browser, user):
    """The test browser, signed in as ``user`` only."""
    browser.logout()
    browser.force_login(user)
    return browser


def assign(cast, instrument_id: str = "phq-9", **options) -> Assignment:
    """The primary clinician assigns ``instrument_id`` (once unless ``schedule`` says)."""
    return services.assign_measure(
        enrollment=cast.enrollment, instrument_id=instrument_id, by=cast.clinician, **options
    )


def open_form(cast, instrument_id: str = "phq-9") -> Administration:
    """A form the client can fill in now, assigned once by their clinician."""
    assignment = assign(cast, instrument_id)
    return assignment.forms.get()


def completed(
    cast, answers: list, *, instrument_id: str = "phq-9", at: datetime | None = None, **extra
) -> Administration:
    """A form the client completed at ``at`` (a day ago unless given)."""
    return services.record_completed(
        enrollment=cast.enrollment,
        instrument_id=instrument_id,
        answers=answers,
        at=at or timezone.now() - timedelta(days=1),
        **extra,
    )


def question_url(form: Administration, position: int) -> str:
    return reverse("assessments:question", args=[form.pk, position])


def answer(browser, form: Administration, position: int, value, **extra):
    """POST one answer as the signed-in client; the response, not followed."""
    return browser.post(question_url(form, position), {"answer": value, **extra})


def answer_all(browser, form: Administration, answers: list) -> None:
    for position, value in enumerate(answers, start=1):
        response = answer(browser, form, position, value)
        assert response.status_code == 302, response.content.decode()[:500]


def page(response) -> str:
    return response.content.decode()


class _Cells(HTMLParser):
    """Collects the text of every <td>/<th>, row by row, in the first <table> met."""

    def __init__(self) -> None:
        super().__init__()
        self.rows: list[list[str]] = []
        self._cell: list[str] | None = None
        self._tables = 0
        self._done = False

    def handle_starttag(self, tag, attrs):
        if self._done:
            return
        if tag == "table":
            self._tables += 1
        elif tag == "tr" and self._tables:
            self.rows.append([])
        elif tag in ("td", "th") and self._tables:
            self._cell = []

    def handle_endtag(self, tag):
        if self._done:
            return
        if tag in ("td", "th") and self._cell is not None:
            self.rows[-1].append(" ".join("".join(self._cell).split()))
            self._cell = None
        elif tag == "table":
            self._done = True

    def handle_data(self, data):
        if self._cell is not None:
            self._cell.append(data)


def table_rows(html: str) -> list[list[str]]:
    """The first table's rows as lists of cell texts (the header row included)."""
    parser = _Cells()
    parser.feed(html)
    return parser.rows
