"""FHIR: a completed form exports as QuestionnaireResponse and Observation, and imports back."""

from __future__ import annotations

import copy
import json
from datetime import UTC, datetime, timedelta
from zoneinfo import ZoneInfo

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.urls import reverse
from django.utils import timezone

from tests.assessments.helpers import PHQ9_8, PHQ9_17, assign, completed, page, sign_in
from waypost.assessments import catalog, fhir, services
from waypost.assessments.models import Administration
from waypost.core.models import AuditEvent
from waypost.safety.models import RiskAlert

pytestmark = pytest.mark.django_db


@pytest.fixture
def done(cast):
    """A PHQ-9 completed two days ago, total 17."""
    return completed(cast, PHQ9_17, at=timezone.now() - timedelta(days=2))


def _answers_for(entry: catalog.Entry) -> list:
    """A different option for each item, so a mix-up of items would show."""
    return [
        item.options[position % len(item.options)].score
        for position, item in enumerate(entry.instrument.items)
    ]


def _upload(browser, cast, content: bytes | str, name: str = "response.json"):
    if isinstance(content, str):
        content = content.encode()
    return browser.post(
        reverse("assessments:import", args=[cast.enrollment.pk]),
        {"file": SimpleUploadedFile(name, content, content_type="application/fhir+json")},
    )


def _import_error(response) -> str:
    html = page(response)
    start = html.index('<ul class="errorlist')
    return html[start : html.index("</ul>", start)]


# --- export ----------------------------------------------------------------------------


def test_the_questionnaire_response_is_valid_fhir_with_every_answer(done):
    resource = fhir.questionnaire_response(done)
    fhir.validate(resource)
    assert resource["resourceType"] == "QuestionnaireResponse"
    assert resource["id"] == str(done.uuid)
    assert resource["questionnaire"] == "urn:waypost:instrument:phq-9|1.0"
    assert resource["status"] == "completed"
    assert resource["authored"] == done.completed_at.astimezone(UTC).isoformat().replace(
        "+00:00", "Z"
    )
    assert [item["linkId"] for item in resource["item"]] == [f"phq9-{n}" for n in range(1, 10)]
    first = resource["item"][0]["answer"][0]
    assert first["valueCoding"] == {
        "system": "http://loinc.org",
        "code": "LA6571-9",
        "display": "Nearly every day",
    }
    assert first["extension"] == [{"url": catalog.ITEM_WEIGHT, "valueDecimal": 3}]


def test_the_observation_is_valid_fhir_with_the_loinc_total_code(done):
    resource = fhir.observation(done)
    fhir.validate(resource)
    assert resource["resourceType"] == "Observation"
    assert resource["status"] == "final"
    assert resource["code"]["coding"] == [
        {
            "system": "http://loinc.org",
            "code": "44261-6",
            "display": "Patient Health Questionnaire 9 item (PHQ-9) total score [Reported]",
        }
    ]
    assert resource["valueQuantity"]["value"] == 17
    assert resource["interpretation"] == [{"text": "Moderately severe"}]
    assert resource["category"][0]["coding"][0]["code"] == "survey"
    assert resource["derivedFrom"][0]["reference"] == f"QuestionnaireResponse/{done.uuid}"


def test_the_total_code_comes_from_the_instrument_file(cast, tmp_path, monkeypatch):
    # given a clinic's own file with its own code for the total, and one without any
    data = json.loads((catalog.BUILTIN_DIR / "gad-7.json").read_text())
    data["id"], data["url"] = "own-7", "urn:test:instrument:own-7"
    data["waypost"]["total_code"] = {
        "system": "urn:example:clinic-codes",
        "code": "anx-total",
        "display": "Our anxiety total",
    }
    (tmp_path / "own-7.json").write_text(json.dumps(data))
    del data["waypost"]["total_code"]
    data["id"], data["url"] = "bare-7", "urn:test:instrument:bare-7"
    (tmp_path / "bare-7.json").write_text(json.dumps(data))
    monkeypatch.setenv("WAYPOST_INSTRUMENTS_DIR", str(tmp_path))
    answers = [1, 1, 1, 1, 1, 1, 1]
    own = fhir.observation(completed(cast, answers, instrument_id="own-7"))
    fhir.validate(own)
    assert own["code"]["coding"] == [
        {"system": "urn:example:clinic-codes", "code": "anx-total", "display": "Our anxiety total"}
    ]
    # then without a code the Observation names the score in words only
    bare = fhir.observation(completed(cast, answers, instrument_id="bare-7"))
    fhir.validate(bare)
    assert "coding" not in bare["code"] and bare["code"]["text"] == "GAD-7 total score"


@pytest.mark.parametrize("instrument_id", sorted(catalog.catalog()))
def test_every_instrument_exports_valid_fhir(cast, instrument_id):
    entry = catalog.get(instrument_id)
    form = completed(cast, _answers_for(entry), instrument_id=instrument_id)
    fhir.validate(fhir.questionnaire_response(form))
    observation = fhir.observation(form)
    fhir.validate(observation)
    assert observation["valueQuantity"]["value"] == form.total


def test_an_unfinished_form_exports_as_in_progress_with_its_answers_so_far(cast):
    form = assign(cast, "phq-9").forms.get()
    services.record_answer(form=form, link_id="phq9-2", value=1, by=cast.client)
    form.refresh_from_db()
    resource = fhir.questionnaire_response(form)
    fhir.validate(resource)
    assert resource["status"] == "in-progress" and "authored" not in resource
    assert [item["linkId"] for item in resource["item"]] == ["phq9-2"]
    with pytest.raises(ValueError, match="only a scored form"):
        fhir.observation(form)


@pytest.mark.parametrize(
    "name", ["assessments:clinician_export_response", "assessments:clinician_export_observation"]
)
def test_exports_carry_no_name_or_e_mail_and_are_audited(cast, client, done, name):
    browser = sign_in(client, cast.clinician)
    response = browser.get(reverse(name, args=[cast.enrollment.pk, done.pk]))
    # then a FHIR JSON download, not cached
    assert response.status_code == 200
    assert response["Content-Type"] == "application/fhir+json; charset=utf-8"
    assert response["Content-Disposition"].startswith('attachment; filename="phq-9-')
    assert response["Cache-Control"] == "no-store"
    text = response.content.decode()
    resource = json.loads(text)
    fhir.validate(resource)
    # and nothing in it says who the client is
    for who in (cast.client.name, cast.client.email, "Sam", "north.test", cast.clinician.name):
        assert who not in text
    assert "subject" not in resource
    # and the clinician's download is in the audit trail
    event = AuditEvent.objects.get(what="measure export")
    assert (event.actor, event.client, event.action) == (cast.clinician, cast.client, "view")


def test_the_client_can_download_their_own_form(cast, client, done):
    browser = sign_in(client, cast.client)
    answers = browser.get(reverse("assessments:export_response", args=[done.pk]))
    score = browser.get(reverse("assessments:export_observation", args=[done.pk]))
    assert json.loads(answers.content)["resourceType"] == "QuestionnaireResponse"
    assert json.loads(score.content)["valueQuantity"]["value"] == 17
    assert cast.client.email not in answers.content.decode() + score.content.decode()
    # and their own downloads are not in the audit trail of other people's access
    assert not AuditEvent.objects.filter(what="measure export").exists()


def test_an_unscored_form_has_no_observation_to_download(cast, client):
    form = assign(cast, "phq-9").forms.get()
    browser = sign_in(client, cast.client)
    assert browser.get(reverse("assessments:export_observation", args=[form.pk])).status_code == 404
    clinician = sign_in(client, cast.clinician)
    url = reverse("assessments:clinician_export_observation", args=[cast.enrollment.pk, form.pk])
    assert clinician.get(url).status_code == 404


# --- import ----------------------------------------------------------------------------


def test_an_exported_response_imports_back_with_the_same_answers_and_total(cast, client, done):
    # given the clinician downloaded a completed PHQ-9
    browser = sign_in(client, cast.clinician)
    exported = browser.get(
        reverse("assessments:clinician_export_response", args=[cast.enrollment.pk, done.pk])
    ).content
    # and the same response is refused while the original is still here
    refused = _upload(browser, cast, exported)
    assert refused.status_code == 400
    assert "This response has already been imported." in page(refused)
    # when the original is gone (the file came from another Waypost) and they import it
    original_pk = done.pk
    Administration.objects.filter(pk=original_pk).delete()
    response = _upload(browser, cast, exported)
    # then a completed, imported form has the same answers, total, band and date
    assert response.status_code == 302
    imported = Administration.objects.get()
    assert imported.pk != original_pk
    assert imported.status == Administration.Status.COMPLETED
    assert imported.source == Administration.Source.IMPORT
    assert imported.answers == done.answers
    assert (imported.total, imported.band, imported.flags) == (done.total, done.band, done.flags)
    assert imported.completed_at == done.completed_at
    assert imported.enrollment == cast.enrollment
    # and the page says what was imported, and the import is audited
    after = page(browser.get(response["Location"]))
    local_date = done.completed_at.astimezone(ZoneInfo(cast.clinic.time_zone)).date()
    assert f"Imported PHQ-9 from {local_date.isoformat()}: 17." in after
    assert AuditEvent.objects.filter(
        what="measure imported", actor=cast.clinician, client=cast.client
    ).exists()
    # and exporting the imported form gives the same answers again
    again = fhir.questionnaire_response(imported)
    original = json.loads(exported)
    assert again["item"] == original["item"] and again["authored"] == original["authored"]


@pytest.mark.parametrize("instrument_id", sorted(catalog.catalog()))
def test_every_instrument_round_trips(cast, instrument_id):
    entry = catalog.get(instrument_id)
    answers = _answers_for(entry)
    form = completed(cast, answers, instrument_id=instrument_id)
    read_entry, read_answers, when = fhir.read_questionnaire_response(
        json.loads(json.dumps(fhir.questionnaire_response(form)))
    )
    assert (read_entry.id, read_answers, when) == (instrument_id, answers, form.completed_at)


def test_an_import_reads_answers_by_weight_or_integer_when_codes_are_unknown(cast, done):
    # given a response from another system, with its own codes and the scores as weights,
    # or with the scores as plain integers
    resource = fhir.questionnaire_response(done)
    for index, item in enumerate(resource["item"]):
        answer = item["answer"][0]
        weight = answer["extension"][0]["valueDecimal"]
        if index % 2:
            item["answer"] = [{"valueInteger": int(weight)}]
        else:
            answer["valueCoding"] = {"system": "urn:example:other", "code": f"x{index}"}
    fhir.validate(resource)
    entry, answers, _when = fhir.read_questionnaire_response(resource)
    assert answers == PHQ9_17


def test_an_imported_critical_answer_alerts_the_clinician(cast, client):
    # given a PHQ-9 from elsewhere with question 9 above zero
    source = completed(cast, [*PHQ9_8[:8], 1])
    resource = fhir.questionnaire_response(source)
    RiskAlert.objects.all().delete()
    Administration.objects.all().delete()
    # when it is imported
    response = _upload(sign_in(client, cast.clinician), cast, json.dumps(resource))
    # then the clinician has an alert about it
    assert response.status_code == 302
    assert RiskAlert.objects.get().summary.startswith("PHQ-9 question 9")


def _resource(done) -> dict:
    return copy.deepcopy(fhir.questionnaire_response(done))


def _without_answer(data):
    data["item"] = [i for i in data["item"] if i["linkId"] != "phq9-4"]
    return json.dumps(data)


def _unreadable_answer(data):
    data["item"][3]["answer"] = [{"valueString": "quite a lot"}]
    return json.dumps(data)


def _with(**changes):
    def change(data):
        for key, value in changes.items():
            if value is None:
                data.pop(key, None)
            else:
                data[key] = value
        return json.dumps(data)

    return change


@pytest.mark.parametrize(
    ("make", "message"),
    [
        (lambda d: "this is not json {", "The file is not JSON."),
        (lambda d: b"\xff\xfe\x00bad", "The file is not JSON."),
        (lambda d: "[1, 2, 3]", "This is not a FHIR QuestionnaireResponse."),
        (_with(resourceType="Observation"), "This is not a FHIR QuestionnaireResponse."),
        (_with(resourceType=None), "This is not a FHIR QuestionnaireResponse."),
        (
            _with(questionnaire="urn:example:unknown|2"),
            "The questionnaire urn:example:unknown is not one Waypost knows.",
        ),
        (_without_answer, "Question 4 (phq9-4) has no answer Waypost can read."),
        (_unreadable_answer, "Question 4 (phq9-4) has no answer Waypost can read."),
        (_with(status="in-progress"), "Only a completed QuestionnaireResponse can be imported."),
        (_with(authored=None), "The response needs an &#x27;authored&#x27; date and time"),
        (_with(authored="2024-05-01"), "The response needs an &#x27;authored&#x27; date and time"),
        (
            _with(authored=(datetime.now(UTC) + timedelta(days=2)).isoformat()),
            "The response is dated in the future.",
        ),
        (_with(authored="last tuesday"), "This QuestionnaireResponse is not valid FHIR: authored"),
        (_with(item="none"), "This QuestionnaireResponse is not valid FHIR: item"),
        (_with(colour="blue"), "This QuestionnaireResponse is not valid FHIR: colour"),
        (_with(questionnaire=None), "This QuestionnaireResponse is not valid FHIR: questionnaire"),
    ],
)
def test_a_bad_import_is_a_400_with_a_plain_message_and_nothing_made(
    cast, client, done, make, message
):
    browser = sign_in(client, cast.clinician)
    before = Administration.objects.count()
    # when the clinician uploads a file that cannot be read as one of our forms
    response = _upload(browser, cast, make(_resource(done)))
    # then the page says why, and nothing was created or audited as imported
    assert response.status_code == 400
    assert message in _import_error(response)
    assert Administration.objects.count() == before
    assert not AuditEvent.objects.filter(what="measure imported").exists()


def test_an_empty_or_missing_upload_is_a_400(cast, client):
    browser = sign_in(client, cast.clinician)
    url = reverse("assessments:import", args=[cast.enrollment.pk])
    assert browser.post(url).status_code == 400
    empty = browser.post(url, {"file": SimpleUploadedFile("r.json", b"")})
    assert empty.status_code == 400
    assert "The submitted file is empty." in page(empty)
    assert not Administration.objects.exists()


def test_a_file_too_large_is_refused(cast, client):
    browser = sign_in(client, cast.clinician)
    big = json.dumps({"resourceType": "QuestionnaireResponse", "pad": "x" * (600 * 1024)})
    response = _upload(browser, cast, big)
    assert response.status_code == 400
    assert "The file is too large for a single form." in page(response)


def test_only_the_primary_clinician_may_import(cast, client, done):
    exported = json.dumps(fhir.questionnaire_response(done))
    for who in ("other_clinician", "client"):
        response = _upload(sign_in(client, cast.role(who)), cast, exported)
        assert response.status_code in (403, 404)
    assert Administration.objects.count() == 1
