"""Subscales and band notes reach the pages: named as the file names them, with their range."""

from __future__ import annotations

import copy
import json
from datetime import timedelta

import pytest
from django.urls import reverse
from django.utils import timezone

from tests.assessments.helpers import completed, page, sign_in
from waypost.assessments import catalog

pytestmark = pytest.mark.django_db

WORRY = ["gad7-1", "gad7-2", "gad7-3"]
TENSION = ["gad7-4", "gad7-5", "gad7-6", "gad7-7"]


@pytest.fixture
def two_part(tmp_path, monkeypatch):
    """A clinic's own copy of the GAD-7 with two subscales."""
    data = copy.deepcopy(json.loads((catalog.BUILTIN_DIR / "gad-7.json").read_text()))
    assert [item["linkId"] for item in data["item"]] == WORRY + TENSION
    data["id"], data["url"] = "two-part", "urn:test:instrument:two-part"
    data["waypost"]["short_name"] = "TWO-PART"
    data["waypost"]["subscales"] = [
        {"id": "worry", "name": "Worry", "items": WORRY},
        {"id": "tension", "name": "Tension", "items": TENSION},
    ]
    (tmp_path / "two-part.json").write_text(json.dumps(data))
    monkeypatch.setenv("WAYPOST_INSTRUMENTS_DIR", str(tmp_path))
    assert catalog.get("two-part") is not None
    return "two-part"


@pytest.fixture
def forms(cast, two_part):
    now = timezone.now()
    first = completed(
        cast, [3, 3, 2, 1, 1, 0, 0], instrument_id=two_part, at=now - timedelta(weeks=4)
    )
    # worry 1 + 1 + 0 = 2; tension 2 + 1 + 1 + 0 = 4; total 6
    latest = completed(cast, [1, 1, 0, 2, 1, 1, 0], instrument_id=two_part)
    assert latest.subscales == {"worry": 2, "tension": 4}
    return first, latest


def test_the_client_sees_each_part_of_the_score_by_name_with_its_range(cast, client, forms):
    browser = sign_in(client, cast.client)
    result = page(browser.get(reverse("assessments:result", args=[forms[1].pk])))
    assert "Parts of the score" in result
    assert "Worry: <strong>2</strong>" in result and "(from 0 to 9)" in result
    assert "Tension: <strong>4</strong>" in result and "(from 0 to 12)" in result
    history = page(browser.get(reverse("assessments:history", args=["two-part"])))
    assert "Parts of your latest score:" in history
    assert "Worry <strong>2</strong>" in history and "Tension <strong>4</strong>" in history
    # the internal ids are not what people read
    assert "worry 2" not in result + history


def test_the_clinician_sees_the_parts_on_the_measures_page_and_the_form(cast, client, forms):
    browser = sign_in(client, cast.clinician)
    measures = page(
        browser.get(reverse("assessments:clinician_measures", args=[cast.enrollment.pk]))
    )
    assert 'Worry 2 <span class="muted">(0–9)</span>' in measures
    assert 'Tension 4 <span class="muted">(0–12)</span>' in measures
    url = reverse("assessments:clinician_form", args=[cast.enrollment.pk, forms[0].pk])
    form = page(browser.get(url))
    # the first form: worry 3 + 3 + 2 = 8, tension 1 + 1 + 0 + 0 = 2
    assert '<dt>Worry</dt><dd>8 <span class="muted">(0–9)</span></dd>' in form
    assert '<dt>Tension</dt><dd>2 <span class="muted">(0–12)</span></dd>' in form


def test_a_measure_without_subscales_shows_no_parts(cast, client):
    form = completed(cast, [1, 1, 1, 1, 1, 1, 1], instrument_id="gad-7")
    html = page(sign_in(client, cast.client).get(reverse("assessments:result", args=[form.pk])))
    assert "This is in the range called <strong>Mild</strong>." in html
    assert "Parts of the score" not in html


def test_the_clinician_sees_what_the_band_means(cast, client):
    form = completed(cast, [2, 2, 2, 2, 2, 1, 1], instrument_id="gad-7")
    url = reverse("assessments:clinician_form", args=[cast.enrollment.pk, form.pk])
    html = page(sign_in(client, cast.clinician).get(url))
    assert '12 (Moderate) <span class="muted">· 10 to 14: moderate anxiety</span>' in html
    # the client's result names the band only
    result = page(sign_in(client, cast.client).get(reverse("assessments:result", args=[form.pk])))
    assert "moderate anxiety" not in result
