"""Client pages speak plain words: no instrument codes, no "FHIR", no "reliable change", no
stage-of-change terms. The clinician's pages keep the exact terms.

Every client page is rendered for a client whose completed questionnaires include a
reliable change (PHQ-9 17 → 8, GAD-7 15 → 5), with forms waiting, a critical answer, a
readiness history and a stage of change picked; what a person can read or hear on the
page (text, the page title, and the names and labels screen readers announce) is checked.
"""

from __future__ import annotations

import re
from datetime import timedelta
from html.parser import HTMLParser

import pytest
from django.urls import reverse
from django.utils import timezone

from tests.assessments.helpers import PHQ9_8, PHQ9_17, assign, completed, page, sign_in
from waypost.assessments import services
from waypost.assessments.models import Administration
from waypost.motivation import services as motivation_services

pytestmark = pytest.mark.django_db

FORBIDDEN = re.compile(
    r"PHQ|GAD-|AUDIT-C|WHO-5|FHIR|Jacobson|Truax|reliable change|precontemplation"
    r"|contemplation|preparation stage|\bRCI\b",
    re.IGNORECASE,
)
# Attributes whose words are shown or read out (the fragment's title and progress too).
SPOKEN_ATTRIBUTES = {"aria-label", "title", "alt", "placeholder", "data-title", "data-progress"}
GAD7_15 = [3, 3, 2, 2, 2, 2, 1]  # 15
GAD7_5 = [1, 1, 1, 1, 1, 0, 0]  # 5


class _Readable(HTMLParser):
    """What a person reads or hears: text outside scripts and styles, and spoken attributes."""

    def __init__(self) -> None:
        super().__init__()
        self.parts: list[str] = []
        self._hidden = 0

    def handle_starttag(self, tag, attrs):
        if tag in ("script", "style"):
            self._hidden += 1
        self.parts.extend(value or "" for name, value in attrs if name in SPOKEN_ATTRIBUTES)

    def handle_endtag(self, tag):
        if tag in ("script", "style"):
            self._hidden -= 1

    def handle_data(self, data):
        if not self._hidden:
            self.parts.append(data)


def readable(html: str) -> str:
    parser = _Readable()
    parser.feed(html)
    return " ".join(" ".join(parser.parts).split())


def jargon(html: str) -> list[str]:
    text = readable(html)
    return sorted({text[max(0, m.start() - 40) : m.end() + 40] for m in FORBIDDEN.finditer(text)})


@pytest.fixture
def history(cast):
    """A client with results that changed for real, forms waiting, and the motivation tools used."""
    now = timezone.now()
    enrollment = cast.enrollment
    completed(cast, PHQ9_17, at=now - timedelta(weeks=12))
    done = completed(cast, PHQ9_8, at=now - timedelta(days=2))
    completed(cast, GAD7_15, instrument_id="gad-7", at=now - timedelta(weeks=12))
    completed(cast, GAD7_5, instrument_id="gad-7", at=now - timedelta(days=2))
    completed(cast, [2, 3, 3, 2, 3], instrument_id="who-5", at=now - timedelta(days=3))
    completed(cast, [2, 1, 0], instrument_id="audit-c", at=now - timedelta(days=3))
    for weeks, value in ((8, 4), (1, 7)):
        motivation_services.record_readiness(
            enrollment=enrollment, value=value, by=cast.client, at=now - timedelta(weeks=weeks)
        )
    motivation_services.record_stage(
        enrollment=enrollment, stage="precontemplation", by=cast.client, at=now - timedelta(weeks=6)
    )
    motivation_services.record_stage(enrollment=enrollment, stage="contemplation", by=cast.client)
    motivation_services.record_stage(
        enrollment=enrollment, stage="preparation", view="clinician", by=cast.clinician
    )
    for instrument_id in ("who-5", "audit-c", "gad-2"):
        assign(cast, instrument_id)
    # a PHQ-9 open now, begun with a critical answer to question 9
    open_form = assign(cast, "phq-9").forms.get()
    services.record_answer(form=open_form, link_id="phq9-9", value=2, by=cast.client)
    return {"done": done, "open": Administration.objects.get(pk=open_form.pk)}


def _client_pages(history) -> list[str]:
    done, open_form = history["done"], history["open"]
    return [
        reverse("program:today"),
        reverse("assessments:measures"),
        reverse("assessments:question", args=[open_form.pk, 1]),
        reverse("assessments:question", args=[open_form.pk, 9]),
        reverse("assessments:review", args=[open_form.pk]),
        reverse("assessments:support", args=[open_form.pk]),
        reverse("assessments:result", args=[done.pk]),
        *(
            reverse("assessments:history", args=[instrument])
            for instrument in ("phq-9", "gad-7", "who-5", "audit-c", "readiness-ruler")
        ),
        reverse("motivation:overview"),
        reverse("motivation:stage"),
        reverse("motivation:readiness"),
    ]


def test_no_client_page_shows_codes_or_jargon(cast, client, history):
    browser = sign_in(client, cast.client)
    found = {}
    for url in _client_pages(history):
        response = browser.get(url)
        assert response.status_code == 200, url
        if words := jargon(page(response)):
            found[url] = words
    assert not found, f"jargon on client pages: {found}"


def test_the_questionnaire_steps_the_script_swaps_in_are_plain_too(cast, client, history):
    browser = sign_in(client, cast.client)
    open_form = history["open"]
    for url in (
        reverse("assessments:question", args=[open_form.pk, 1]),
        reverse("assessments:review", args=[open_form.pk]),
    ):
        response = browser.get(url, headers={"X-Waypost-Fragment": "1"})
        assert response["X-Waypost-Fragment"] == "1"
        assert not jargon(page(response)), url


def test_the_client_pages_say_what_the_words_mean(cast, client, history):
    browser = sign_in(client, cast.client)
    measures = readable(page(browser.get(reverse("assessments:measures"))))
    assert "Mood questionnaire" in measures and "Worry questionnaire" in measures
    assert "Wellbeing questionnaire" in measures and "Alcohol questionnaire" in measures
    assert "A real improvement, not a day-to-day wobble" in measures
    result = readable(page(browser.get(reverse("assessments:result", args=[history["done"].pk]))))
    assert "Mood questionnaire" in result and "A real improvement" in result
    assert "You can download your answers from Me" in result
    stage = readable(page(browser.get(reverse("motivation:stage"))))
    assert "Not sure yet" in stage and "Thinking about it" in stage


def test_the_clinicians_pages_keep_the_exact_terms(cast, client, history):
    browser = sign_in(client, cast.clinician)
    enrollment = cast.enrollment.pk
    html = page(browser.get(reverse("assessments:clinician_measures", args=[enrollment])))
    assert jargon(html), "the check finds the exact terms where they belong"
    measures = readable(html)
    for term in ("PHQ-9", "GAD-7", "WHO-5", "AUDIT-C", "Jacobson and Truax", "reliable"):
        assert term in measures, term
    assert "Reliable improvement" in measures
    form = readable(
        page(
            browser.get(
                reverse("assessments:clinician_form", args=[enrollment, history["done"].pk])
            )
        )
    )
    assert "PHQ-9" in form
    stage = readable(page(browser.get(reverse("motivation:client_stage", args=[enrollment]))))
    for term in ("Precontemplation", "Contemplation", "Preparation", "Action", "Maintenance"):
        assert term in stage, term
    overview = readable(page(browser.get(reverse("motivation:client_overview", args=[enrollment]))))
    assert "Stage of change" in overview and "Contemplation" in overview
    assert "Readiness ruler" in overview
    record = readable(page(browser.get(reverse("caseload:record", args=[enrollment]))))
    assert "PHQ-9" in record and "Reliable improvement" in record
