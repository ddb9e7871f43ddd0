"""The clinic chooses how change is judged: Jacobson–Truax or a service's own thresholds."""

from __future__ import annotations

import copy
import json
from datetime import timedelta

import pytest
from django.urls import reverse
from django.utils import timezone

from tests.assessments.helpers import PHQ9_8, PHQ9_17, completed, page, sign_in
from waypost.assessments import catalog, results
from waypost.assessments.models import ClinicMeasureSettings

pytestmark = pytest.mark.django_db

JT = "jacobson-truax"
NHS = "nhs-talking-therapies"
# 17 -> 12 on OWN-9: five points better. Jacobson–Truax (SD 5, r .89) needs more than
# 1.96 × √2 × 5 × √.11 ≈ 4.6 points, so it is reliable; the NHS standard needs 6, so not.
BEFORE = PHQ9_17
AFTER = [2, 2, 2, 1, 1, 1, 1, 2, 0]


@pytest.fixture
def own_instrument(tmp_path, monkeypatch):
    """A clinic's own nine-item questionnaire with both norms and a service standard."""
    data = copy.deepcopy(json.loads((catalog.BUILTIN_DIR / "phq-9.json").read_text()))
    data["id"] = "own-9"
    data["url"] = "urn:test:instrument:own-9"
    data["waypost"]["short_name"] = "OWN-9"
    data["waypost"]["norms"] = {
        "clinical": {"mean": 15, "sd": 5, "source": "test"},
        "general": {"mean": 3, "sd": 3, "source": "test"},
    }
    (tmp_path / "own-9.json").write_text(json.dumps(data))
    monkeypatch.setenv("WAYPOST_INSTRUMENTS_DIR", str(tmp_path))
    assert catalog.get("own-9") is not None
    return "own-9"


@pytest.fixture
def own_history(cast, own_instrument):
    now = timezone.now()
    completed(cast, BEFORE, instrument_id=own_instrument, at=now - timedelta(weeks=8))
    completed(cast, AFTER, instrument_id=own_instrument, at=now - timedelta(days=1))
    return own_instrument


def _settings_url(cast) -> str:
    return reverse("assessments:clinic_settings", args=[cast.clinic.slug])


def test_the_default_is_jacobson_truax(cast, own_history):
    history = results.history_for(cast.enrollment, own_history)
    assert results.change_method(cast.enrollment) == JT
    assert history.change_method == JT
    assert history.change.verdict == "improved"
    assert history.verdict_text == "Reliable improvement"
    assert round(history.change.threshold, 1) == 4.6


def test_the_admin_sees_the_choice_and_the_questionnaires(cast, client):
    html = page(sign_in(client, cast.admin).get(_settings_url(cast)))
    assert "How change is judged" in html
    assert f'value="{JT}"' in html and f'value="{NHS}"' in html
    assert "Reliable change index (Jacobson and Truax)" in html
    assert "PHQ-9" in html and "Questionnaires available" in html


def test_choosing_the_nhs_standard_changes_every_verdict_in_the_clinic(cast, client, own_history):
    # given the client's record judged by Jacobson–Truax: a reliable improvement
    clinician = sign_in(client, cast.clinician)
    measures = reverse("assessments:clinician_measures", args=[cast.enrollment.pk])
    before = page(clinician.get(measures))
    assert "<strong>Reliable improvement</strong> since the first (17)" in before
    assert "marks the clinical range (Jacobson and Truax)" in before
    # when the clinic admin chooses the NHS Talking Therapies thresholds
    admin = sign_in(client, cast.admin)
    response = admin.post(_settings_url(cast), {"change_method": NHS})
    assert response.status_code == 302 and response["Location"] == _settings_url(cast)
    saved = page(admin.get(_settings_url(cast)))
    assert "and every record judges change this way." in saved
    assert ClinicMeasureSettings.objects.get(clinic=cast.clinic).change_method == NHS
    # then the same two scores are judged by the six-point rule: no reliable change yet
    clinician = sign_in(client, cast.clinician)
    after = page(clinician.get(measures))
    assert "<strong>No reliable change yet</strong> since the first (17)" in after
    assert "A change of 6 points or more counts as reliable" in after
    assert results.history_for(cast.enrollment, own_history).change_method == NHS


def test_the_choice_is_the_clinics_own(cast, client, own_history):
    # given another clinic chose the NHS standard
    ClinicMeasureSettings.objects.filter(clinic=cast.other_clinic).update(change_method=NHS)
    # then this clinic's records still use Jacobson–Truax
    assert results.history_for(cast.enrollment, own_history).change_method == JT


def test_phq9_by_jacobson_truax_uses_the_general_population_norm(cast):
    # given the clinic's default, Jacobson–Truax, and PHQ-9 17 then 8
    now = timezone.now()
    completed(cast, PHQ9_17, at=now - timedelta(weeks=8))
    completed(cast, PHQ9_8, at=now - timedelta(days=1))
    history = results.history_for(cast.enrollment, "phq-9")
    # then the file's general-population norm (2.91, SD 3.51) and alpha .89 are used:
    # more than 1.96 × √2 × 3.51 × √.11 ≈ 3.2 points is reliable; the cut-off is
    # 2.91 + 2 × 3.51 = 9.93, so 17 → 8 is a reliable improvement out of the clinical range
    assert history.change_method == JT
    assert round(history.change.threshold, 1) == 3.2
    assert history.change.cutoff == pytest.approx(9.93)
    assert history.verdict_text == "Reliable improvement, now outside the clinical range"


def test_an_instrument_without_figures_for_the_choice_uses_what_it_has_and_says_so(
    cast, tmp_path, monkeypatch
):
    # given a clinic's own questionnaire with the NHS figures but no norms
    data = copy.deepcopy(json.loads((catalog.BUILTIN_DIR / "phq-9.json").read_text()))
    data["id"], data["url"] = "nhs-only", "urn:test:instrument:nhs-only"
    del data["waypost"]["norms"]
    (tmp_path / "nhs-only.json").write_text(json.dumps(data))
    monkeypatch.setenv("WAYPOST_INSTRUMENTS_DIR", str(tmp_path))
    # and the clinic chose Jacobson–Truax
    ClinicMeasureSettings.objects.filter(clinic=cast.clinic).update(change_method=JT)
    now = timezone.now()
    completed(cast, PHQ9_17, instrument_id="nhs-only", at=now - timedelta(weeks=8))
    completed(cast, PHQ9_8, instrument_id="nhs-only", at=now - timedelta(days=1))
    # then the NHS standard is used, and named
    history = results.history_for(cast.enrollment, "nhs-only")
    assert history.change_method == NHS
    assert history.verdict_text == "Reliable improvement, now outside the clinical range"


@pytest.mark.parametrize(
    ("value", "message"),
    [
        ("", "This field is required."),
        ("reliable-ish", "Select a valid choice. reliable-ish is not one of the available"),
    ],
)
def test_an_unknown_choice_is_a_400_and_nothing_changes(cast, client, value, message):
    response = sign_in(client, cast.admin).post(_settings_url(cast), {"change_method": value})
    assert response.status_code == 400
    assert message in page(response)
    row = ClinicMeasureSettings.objects.get(clinic=cast.clinic)
    assert row.change_method == JT


@pytest.mark.parametrize("who", ["clinician", "other_clinician", "client"])
def test_only_the_clinic_admin_may_choose(cast, client, who):
    response = sign_in(client, cast.role(who)).post(_settings_url(cast), {"change_method": NHS})
    assert response.status_code in (403, 404)
    assert not ClinicMeasureSettings.objects.filter(change_method=NHS).exists()


def test_another_clinics_admin_page_is_not_theirs(cast, client):
    url = reverse("assessments:clinic_settings", args=[cast.other_clinic.slug])
    response = sign_in(client, cast.admin).post(url, {"change_method": NHS})
    assert response.status_code in (403, 404)
    assert not ClinicMeasureSettings.objects.filter(change_method=NHS).exists()
