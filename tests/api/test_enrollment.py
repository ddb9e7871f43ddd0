"""The client's own enrollment, the clinician's caseload and one client's enrollment.

Clients and allies call the API from their signed-in browser (tokens are for staff
and integrations); clinicians use a token here, as a script of theirs would.
"""

from __future__ import annotations

import pytest

from waypost.core.models import AuditEvent

pytestmark = pytest.mark.django_db


def test_a_client_sees_their_own_enrollment(cast, browser):
    response = browser(cast.client).get("/api/v1/me/enrollment")

    assert response.status_code == 200
    body = response.json()
    assert body["id"] == cast.enrollment.pk
    assert body["clinic"] == {
        "id": cast.clinic.pk,
        "name": "North Clinic",
        "slug": "north",
        "time_zone": "Asia/Singapore",
    }
    assert body["stage"] == {"number": 2, "label": "Abstinence"}
    assert body["primary_clinician"] == {"name": "Cleo Clinician"}
    assert body["stage_entered_at"]
    assert [(s["from_stage"], s["to_stage"]) for s in body["stage_history"]] == [(None, 1), (1, 2)]


def test_the_clinicians_reasons_are_not_included(cast, browser):
    response = browser(cast.client).get("/api/v1/me/enrollment")

    assert response.status_code == 200
    content = response.content.decode()
    assert "Ready to commit" not in content
    assert "reason" not in content


def test_a_clients_own_reading_is_not_audited(cast, browser):
    signed_in = browser(cast.client)
    before = AuditEvent.objects.count()

    assert signed_in.get("/api/v1/me/enrollment").status_code == 200

    assert AuditEvent.objects.count() == before


@pytest.mark.parametrize("role", ["clinician", "admin", "ally_all", "other_clinician"])
def test_someone_who_is_not_a_client_is_not_enrolled(cast, browser, role):
    response = browser(cast.role(role)).get("/api/v1/me/enrollment")

    assert response.status_code == 404
    assert response.json()["code"] == "not_enrolled"


def test_a_clinician_lists_their_caseload(client, cast, bearer):
    response = client.get("/api/v1/caseload", headers=bearer(cast.clinician))

    assert response.status_code == 200
    body = response.json()
    assert body["count"] == 1
    [entry] = body["items"]
    assert entry["id"] == cast.enrollment.pk
    assert entry["client"] == {"id": cast.client.pk, "name": "Sam Client"}
    assert entry["stage"]["number"] == 2


def test_another_clinicians_caseload_is_theirs_alone(client, cast, bearer):
    for role in ("other_clinician", "foreign_clinician"):
        body = client.get("/api/v1/caseload", headers=bearer(cast.role(role))).json()
        assert cast.enrollment.pk not in [e["id"] for e in body["items"]]


def test_the_caseload_is_paginated(client, cast, bearer):
    body = client.get("/api/v1/caseload?limit=1&offset=1", headers=bearer(cast.clinician)).json()

    assert body == {"items": [], "count": 1}


@pytest.mark.parametrize("role", ["client", "admin", "ally_all"])
def test_only_clinicians_have_a_caseload(cast, browser, role):
    response = browser(cast.role(role)).get("/api/v1/caseload")

    assert response.status_code == 403
    assert response.json() == {"code": "forbidden", "message": "You don't have access to this."}


def test_an_admins_token_has_no_caseload_either(client, cast, bearer):
    response = client.get("/api/v1/caseload", headers=bearer(cast.admin))

    assert response.status_code == 403
    assert response.json() == {"code": "forbidden", "message": "You don't have access to this."}


def test_the_primary_clinician_reads_the_enrollment_and_it_is_audited(client, cast, bearer):
    url = f"/api/v1/enrollments/{cast.enrollment.pk}"
    before = set(AuditEvent.objects.values_list("pk", flat=True))

    response = client.get(url, headers=bearer(cast.clinician))

    assert response.status_code == 200
    body = response.json()
    assert body["client"]["name"] == "Sam Client"
    assert body["status"] == "active"
    assert body["stage_history"][0]["reason"] == "Ready to commit to a plan."
    assert body["stage_history"][0]["changed_by"] == {"name": "Cleo Clinician"}
    event = AuditEvent.objects.exclude(pk__in=before).get()
    assert (event.actor, event.client_id, event.action) == (cast.clinician, cast.client.pk, "view")
    assert event.path == url


@pytest.mark.parametrize(
    "role", ["client", "other_clinician", "foreign_clinician", "admin", "ally_all"]
)
def test_anyone_else_gets_404_for_the_enrollment_and_the_attempt_is_audited(cast, browser, role):
    # given
    user = cast.role(role)
    signed_in = browser(user)
    before = list(AuditEvent.objects.values_list("pk", flat=True))
    url = f"/api/v1/enrollments/{cast.enrollment.pk}"

    # when
    response = signed_in.get(url)

    # then
    assert response.status_code == 404
    assert response.json()["code"] == "not_found"
    new = list(AuditEvent.objects.exclude(pk__in=before))
    if user == cast.client:
        assert new == []  # the client asking for their own record is not in the trail
    else:
        assert [(e.actor, e.client, e.clinic, e.action, e.what, e.path) for e in new] == [
            (user, cast.client, cast.clinic, "refused", "client record", url)
        ]


def test_an_unknown_enrollment_is_404_and_logged(client, cast, bearer, caplog):
    # when
    response = client.get("/api/v1/enrollments/999999", headers=bearer(cast.clinician))

    # then
    assert response.status_code == 404
    assert response.json()["code"] == "not_found"
    [line] = [r for r in caplog.records if r.name == "waypost.security"]
    assert "999999" in line.getMessage() and f"user {cast.clinician.pk}" in line.getMessage()
    assert not AuditEvent.objects.filter(action="refused").exists()


def test_a_non_numeric_enrollment_id_is_a_validation_error(client, cast, bearer):
    response = client.get("/api/v1/enrollments/abc", headers=bearer(cast.clinician))

    assert response.status_code == 422
    assert response.json()["code"] == "validation_error"
