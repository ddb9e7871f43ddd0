"""The clinician's export of the whole record: JSON with a valid FHIR R4 Bundle, and a ZIP of
CSV files that a spreadsheet can open safely; both audited as exports."""

from __future__ import annotations

import csv
import io
import json
import zipfile
from datetime import UTC, datetime

import pytest
import time_machine
from django.urls import reverse

from tests.reports.helpers import fill_record
from waypost.caseload.reports import csv_export, record_export
from waypost.caseload.reports import events as report_events
from waypost.core.models import AuditEvent

pytestmark = pytest.mark.django_db
NOW = datetime(2026, 3, 2, 2, 0, tzinfo=UTC)  # 10:00 on Monday 2 March in Singapore


@pytest.fixture(autouse=True)
def _frozen():
    with time_machine.travel(NOW, tick=False):
        yield


def _signed_in(client, user):
    client.logout()
    client.force_login(user)
    return client


def _json(client, cast) -> dict:
    answer = _signed_in(client, cast.clinician).get(
        reverse("reports:export_json", args=[cast.enrollment.pk])
    )
    assert answer.status_code == 200
    assert answer["Content-Type"] == "application/json; charset=utf-8"
    assert answer["Content-Disposition"] == 'attachment; filename="waypost-record-2026-03-02.json"'
    return json.loads(answer.content.decode("utf-8"))


def _zip(client, cast) -> zipfile.ZipFile:
    answer = _signed_in(client, cast.clinician).get(
        reverse("reports:export_csv", args=[cast.enrollment.pk])
    )
    assert answer.status_code == 200
    assert answer["Content-Type"] == "application/zip"
    assert answer["Content-Disposition"] == (
        'attachment; filename="waypost-record-2026-03-02-csv.zip"'
    )
    return zipfile.ZipFile(io.BytesIO(answer.content))


def _rows(archive: zipfile.ZipFile, name: str) -> list[dict[str, str]]:
    raw = archive.read(name)
    assert raw.startswith(b"\xef\xbb\xbf")  # UTF-8 with a byte-order mark, for spreadsheets
    return list(csv.DictReader(io.StringIO(raw.decode("utf-8-sig"))))


def test_the_json_holds_the_record_as_the_clinician_sees_it(cast, client):
    fill_record(cast, NOW)
    data = _json(client, cast)
    assert (data["format"], data["format_version"]) == ("waypost-record", 1)
    assert data["client"] == {"name": "Sam Client", "email": "client@north.test"}
    # not the client's own download: what only they see stays theirs
    assert "client_data" not in data
    assert "I felt ashamed after the party" not in json.dumps(data)
    record = data["record"]
    assert record["check_ins"] and set(record["check_ins"][0]) == {
        "day",
        "kept_inner_circle",
        "mood",
        "urge",
        "sleep_hours",
        "mindfulness_minutes",
    }
    assert isinstance(record["homework"], list)
    assert {"timeline", "stage_history", "risk_alerts", "measures"} <= set(record)
    assert record["stage_history"][-1]["reason"] == "Ready to commit to a plan."
    assert record["risk_alerts"][0]["summary"] == "PHQ-9 question 9: answered “Several days”"
    assert [m["total"] for m in record["measures"]] == [16, 6]
    assert any(e["kind"] == "program.stage_changed" for e in record["timeline"])


def test_the_fhir_bundle_is_valid_r4_with_each_form_and_its_score(cast, client):
    from fhir.resources.R4B.bundle import Bundle

    fill_record(cast, NOW)
    bundle = _json(client, cast)["fhir"]
    Bundle.model_validate(bundle)  # raises if it is not valid FHIR R4
    assert (bundle["resourceType"], bundle["type"]) == ("Bundle", "collection")
    kinds = [entry["resource"]["resourceType"] for entry in bundle["entry"]]
    assert kinds == ["QuestionnaireResponse", "Observation"] * 2
    urls = {entry["fullUrl"] for entry in bundle["entry"]}
    assert len(urls) == 4 and all(url.startswith("urn:uuid:") for url in urls)
    response, score = bundle["entry"][0], bundle["entry"][1]
    assert score["resource"]["derivedFrom"][0]["reference"] == response["fullUrl"]
    assert score["resource"]["valueQuantity"]["value"] == 16


def test_a_resource_that_is_not_valid_fhir_is_left_out_and_named(cast, monkeypatch):
    fill_record(cast, NOW)
    real = record_export.validate_r4

    def picky(resource):
        if resource.get("resourceType") == "Observation":
            raise ValueError("valueQuantity: not today")
        real(resource)

    monkeypatch.setattr(record_export, "validate_r4", picky)
    bundle, left_out = record_export.fhir_bundle(cast.enrollment, now=NOW)
    assert [e["resource"]["resourceType"] for e in bundle["entry"]] == ["QuestionnaireResponse"] * 2
    assert [problem["problem"] for problem in left_out] == ["valueQuantity: not today"] * 2


def test_session_notes_are_included_when_the_notes_app_offers_them(cast, monkeypatch):
    monkeypatch.setattr(
        record_export, "_notes_source", lambda: lambda enrollment: [{"plan": "Next week"}]
    )
    data = record_export.document(cast.enrollment, by=cast.clinician, now=NOW)
    assert data["session_notes_included"] is True
    assert data["record"]["session_notes"] == [{"plan": "Next week"}]
    monkeypatch.setattr(record_export, "_notes_source", lambda: None)
    data = record_export.document(cast.enrollment, by=cast.clinician, now=NOW)
    assert data["session_notes_included"] is False
    assert "session_notes" not in data["record"]


def test_the_notes_app_is_looked_up_by_name():
    source = record_export._notes_source()
    from waypost.caseload.notes import selectors

    assert source is selectors.notes_for_export


def test_the_csv_zip_has_a_file_a_table_with_a_header_row(cast, client):
    fill_record(cast, NOW)
    archive = _zip(client, cast)
    names = set(archive.namelist())
    assert {
        "timeline.csv",
        "stage_history.csv",
        "risk_alerts.csv",
        "measures.csv",
        "check_ins.csv",
        "homework.csv",
    } <= names
    assert "profile.csv" not in names  # the client's own download is not in the record
    measures = _rows(archive, "measures.csv")
    assert list(measures[0]) == [
        "completed_at",
        "instrument",
        "questionnaire",
        "total",
        "band",
        "change_since_first",
    ]
    assert [row["total"] for row in measures] == ["16", "6"]


def test_formulas_in_the_record_reach_the_spreadsheet_as_text(cast, client):
    from waypost.program.services import change_stage

    change_stage(
        enrollment=cast.enrollment,
        to_stage=3,
        reason='=HYPERLINK("http://x.test","Zoë 李")',
        by=cast.clinician,
    )
    archive = _zip(client, cast)
    reasons = [row["reason"] for row in _rows(archive, "stage_history.csv")]
    assert '\'=HYPERLINK("http://x.test","Zoë 李")' in reasons


@pytest.mark.parametrize(
    ("cell", "safe"),
    [
        ("=1+1", "'=1+1"),
        ("+44 20", "'+44 20"),
        ("-3", "'-3"),
        ("@cmd", "'@cmd"),
        ("\tx", "'\tx"),
        ("\rx", "'\rx"),
        ("plain", "plain"),
        ("", ""),
        (-3, -3),  # numbers are numbers, not formulas
    ],
)
def test_neutralise(cell, safe):
    assert csv_export.neutralise(cell) == safe


def test_nested_values_flatten_into_cells():
    rows = [{"a": [1, 2], "b": {"c": 1}, "d": None, "e": True, "f": [{"g": 1}]}]
    text = csv_export.write_csv(rows).decode("utf-8-sig")
    assert text == 'a,b,d,e,f\r\n1; 2,"{""c"": 1}",,true,"[{""g"": 1}]"\r\n'


def test_exports_are_audited_as_exports(cast, client):
    _json(client, cast)
    _zip(client, cast)
    rows = AuditEvent.objects.filter(
        actor=cast.clinician, client=cast.client, action=AuditEvent.Action.EXPORT
    )
    assert set(rows.values_list("what", flat=True)) == {
        report_events.AUDIT_EXPORT_JSON,
        report_events.AUDIT_EXPORT_CSV,
    }


def test_the_clients_own_download_lists_the_reports_made_of_their_progress(cast):
    from tests.reports.helpers import a_report
    from waypost.core import exports

    a_report(cast, purpose="referral", sections=["measures", "days"])
    found = {c.key: c.data for c in exports.collect(cast.client)}["progress_reports"]
    (row,) = found["progress_reports"]
    assert row["purpose"] == "For a referral"
    assert row["made_by"] == "Cleo Clinician"
    assert row["sections"] == ["Measures and change", "Streak and total days"]
