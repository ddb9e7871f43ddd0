"""A client downloads everything about them: a ZIP with JSON, a readable page and FHIR files.

Only the person themselves: the address names nobody, the download is built from the
signed-in client's own record, and nobody else (their clinician, an admin, an ally,
someone signed out) gets one. Each download is on the clinic's audit trail, and that
row is the only thing it writes.
"""

from __future__ import annotations

import json
import re

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse

from tests.accounts.data_helpers import (
    ALERT_NOTE,
    CLIENT_STAGE_NOTE,
    CLINICIAN_STAGE_NOTE,
    READING_NOTE,
    STAGE_REASON,
    data_json,
    fill_record,
    unzip,
)
from tests.roles import ROLES
from waypost.assessments.models import Administration
from waypost.core.exports import DOWNLOAD_SUBJECT, FORMAT, FORMAT_VERSION
from waypost.core.models import AuditEvent

pytestmark = pytest.mark.django_db

DOWNLOAD = reverse("accounts:download")
DATA_PAGE = reverse("accounts:data")
WRITES = ("INSERT", "UPDATE", "DELETE", "REPLACE")
SESSION_TABLE = '"django_session"'


@pytest.fixture
def record(cast):
    return fill_record(cast)


def _download(client, user) -> dict[str, bytes]:
    client.force_login(user)
    response = client.get(DOWNLOAD)
    assert response.status_code == 200, response.content[:500]
    return unzip(response.content)


def test_the_download_is_a_zip_file_with_json_html_and_fhir(cast, client, record):
    client.force_login(cast.client)
    response = client.get(DOWNLOAD)
    # then it is a file to save, not a page, and not kept by caches
    assert response["Content-Type"] == "application/zip"
    assert re.fullmatch(
        r'attachment; filename="waypost-data-\d{4}-\d\d-\d\d\.zip"',
        response["Content-Disposition"],
    )
    assert response["Cache-Control"] == "no-store"
    files = unzip(response.content)
    # and it holds one QuestionnaireResponse and one Observation per completed form
    completed = Administration.objects.filter(
        enrollment=cast.enrollment, status=Administration.Status.COMPLETED
    )
    assert completed.count() == 3
    fhir = sorted(name for name in files if name.startswith("health-records/"))
    assert len(fhir) == 2 * completed.count()
    for form in completed:
        response_file = json.loads(
            files[f"health-records/{form.instrument_id}-{form.pk}-questionnaire-response.json"]
        )
        observation = json.loads(
            files[f"health-records/{form.instrument_id}-{form.pk}-observation.json"]
        )
        assert response_file["resourceType"] == "QuestionnaireResponse"
        assert response_file["id"] == str(form.uuid)
        assert observation["resourceType"] == "Observation"
        assert observation["valueQuantity"]["value"] == form.total
    assert set(files) == {"waypost-data.json", "waypost-data.html", *fhir}


def test_the_json_has_a_format_version_and_every_apps_section(cast, client, record):
    document = data_json(_download(client, cast.client))
    assert document["format"] == FORMAT and document["format_version"] == FORMAT_VERSION
    assert document["exported_at"].endswith("Z")
    assert list(document["sections"]) == [
        "profile",
        "program",
        "questionnaires",
        "safety",
        "messages",
        "intake",
        "reading",
        "exercises",
        "motivation",
        "check_ins",
        "recovery_plans",
        "middle_circle",
        "urges",
        "devices",
        "shield",
        "practices",
        "allies",
        "flourish",
        "support_requests",
        "meetings",
        "groups",
        "appointments",
        "progress_reports",
        "notifications",
    ]
    sections = {key: value["data"] for key, value in document["sections"].items()}
    assert sections["profile"]["email"] == cast.client.email
    assert [c["to_stage"] for c in sections["program"][0]["stage_history"]] == [1, 2]
    # every FHIR file the JSON names is in the ZIP
    listed = {f["path"] for f in document["files"]}
    named = {path for form in sections["questionnaires"] for path in form["fhir_files"]}
    assert named == listed and len(listed) == 6


def test_it_holds_what_the_client_wrote_decrypted_in_every_app(cast, client, record):
    files = _download(client, cast.client)
    text = files["waypost-data.json"].decode()
    sections = {k: v["data"] for k, v in data_json(files)["sections"].items()}
    # questionnaires: answers in words, total and band
    phq = next(f for f in sections["questionnaires"] if f["instrument"] == "phq-9" and f["total"])
    assert phq["answers"][0]["answer"] in ("Several days", "More than half the days")
    assert phq["band"]
    # safety plan, every version, contacts with their numbers
    plan = sections["safety"]["plan_versions"]
    assert [v["version"] for v in plan] == [1, 2]
    assert plan[1]["plan"]["reasons"] == ["My children", "Finishing my course"]
    assert plan[1]["plan"]["helpers"] == [{"name": "Sam", "phone": "555 0100"}]
    assert plan[1]["saved_by"] == cast.clinician.name and plan[0]["saved_by"] == "You"
    # history intake and the story draft
    intake = sections["intake"]
    history = next(part["history"] for part in intake if "history" in part)
    assert history["completed_at"] and history["topics"][0]["answers"]
    story = next(part["story"] for part in intake if "story" in part)
    assert story["draft"][0]["written"][0]["text"].startswith("A cousin showed me")
    # reading and its private note
    assert sections["reading"]["progress"][0]["note"] == READING_NOTE
    # motivation tools: readiness, the balance, the values and the client's own stage
    motivation = sections["motivation"]
    assert [r["number"] for r in motivation["readiness"]] == [7]
    assert len(motivation["decisional_balance"]) == 2
    assert motivation["values_card_sort"][-1]["top_values"]
    assert [s["note"] for s in motivation["stage_of_change"]] == [CLIENT_STAGE_NOTE]
    # allies and what each is shown
    allies = {a["name"]: a for a in sections["allies"]["allies"]}
    assert allies[cast.ally_all.name]["shares"] and allies[cast.ally_none.name]["shares"] == []
    assert allies[cast.ally_ended.name]["ended_at"]
    # and nothing that is the clinician's own note
    for theirs in (CLINICIAN_STAGE_NOTE, STAGE_REASON, ALERT_NOTE):
        assert theirs not in text


def test_the_readable_copy_needs_nothing_from_anywhere(cast, client, record):
    html = _download(client, cast.client)["waypost-data.html"].decode()
    assert html.startswith("<!doctype html>")
    # self-contained: no scripts, no stylesheets or images to fetch, no outside links
    assert "<script" not in html and "<link" not in html and "<img" not in html
    assert not re.search(r"""(src|href)=["']?(https?:)?//""", html)
    assert "@media print" in html
    # and it reads in words
    for words in ("Your data from Waypost", "Safety plan", READING_NOTE, "Sam Client"):
        assert words in html
    assert CLINICIAN_STAGE_NOTE not in html


def test_a_download_is_audited_and_writes_nothing_else(cast, client, record):
    client.force_login(cast.client)
    with CaptureQueriesContext(connection) as captured:
        response = client.get(DOWNLOAD)
    assert response.status_code == 200
    writes = [
        q["sql"]
        for q in captured.captured_queries
        if q["sql"].lstrip().upper().startswith(WRITES) and SESSION_TABLE not in q["sql"]
    ]
    assert len(writes) == 1 and '"core_auditevent"' in writes[0]
    row = AuditEvent.objects.get(what=DOWNLOAD_SUBJECT)
    assert (row.actor, row.client, row.clinic) == (cast.client, cast.client, cast.clinic)
    assert row.action == AuditEvent.Action.EXPORT and row.path == DOWNLOAD


def test_the_data_page_writes_nothing_and_lists_each_fhir_file(cast, client, record):
    client.force_login(cast.client)
    with CaptureQueriesContext(connection) as captured:
        page = client.get(DATA_PAGE).content.decode()
    assert not [
        q
        for q in captured.captured_queries
        if q["sql"].lstrip().upper().startswith(WRITES) and SESSION_TABLE not in q["sql"]
    ]
    for form in Administration.objects.filter(status=Administration.Status.COMPLETED):
        for name in ("assessments:export_response", "assessments:export_observation"):
            url = reverse(name, args=[form.pk])
            assert f'href="{url}"' in page
            # and each link downloads the same FHIR resource as the ZIP holds
            resource = client.get(url)
            assert resource.status_code == 200
            assert "attachment" in resource["Content-Disposition"]
    assert f'action="{DOWNLOAD}"' in page
    assert not AuditEvent.objects.filter(what=DOWNLOAD_SUBJECT).exists()


@pytest.mark.parametrize("url", [DATA_PAGE, DOWNLOAD])
def test_only_a_client_has_a_data_page_and_a_download(cast, client, url):
    for role in ROLES:
        user = cast.role(role)
        client.logout()
        if user is not None:
            client.force_login(user)
        response = client.get(url)
        if role == "client":
            assert response.status_code == 200, role
        elif user is None:
            assert response.status_code == 302 and response["Location"].startswith("/login/")
        else:
            assert response.status_code == 403, role
    assert AuditEvent.objects.filter(what=DOWNLOAD_SUBJECT).count() == (url == DOWNLOAD)


def test_another_client_downloads_only_their_own_data(cast, client, record):
    files = _download(client, cast.foreign_client)
    text = b"".join(files.values()).decode()
    document = data_json(files)
    assert document["sections"]["profile"]["data"]["email"] == cast.foreign_client.email
    assert document["sections"]["questionnaires"]["data"] == []
    assert not [name for name in files if name.startswith("health-records/")]
    for theirs in (cast.client.email, cast.client.name, READING_NOTE, "My children"):
        assert theirs not in text
    # and the download lands on the other client's own clinic's trail
    row = AuditEvent.objects.get(what=DOWNLOAD_SUBJECT)
    assert (row.client, row.clinic) == (cast.foreign_client, cast.other_clinic)


def test_the_download_is_a_get_only(cast, client):
    client.force_login(cast.client)
    assert client.post(DOWNLOAD).status_code == 405
    assert not AuditEvent.objects.filter(what=DOWNLOAD_SUBJECT).exists()
