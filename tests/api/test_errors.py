"""Every API error is JSON {"code", "message"} with a stable code, and never a stack trace.

Tokens here are a clinician's (tokens are for staff and integrations); browser
sessions are a client's, who has no token. test_tokens.py covers who may use one.
"""

from __future__ import annotations

from datetime import timedelta

import pytest
import time_machine
from django.test import Client
from django.utils import timezone

from waypost.accounts.services import create_api_token, revoke_api_token

pytestmark = pytest.mark.django_db


def assert_error(response, status: int, code: str) -> dict:
    assert response.status_code == status, response.content
    assert response["Content-Type"].startswith("application/json")
    body = response.json()
    assert body["code"] == code
    assert isinstance(body["message"], str) and body["message"]
    assert set(body) <= {"code", "message", "details"}
    return body


# --- 401 -------------------------------------------------------------------------


def test_no_credentials_is_401(client, cast):
    assert_error(client.get("/api/v1/me"), 401, "not_authenticated")


@pytest.mark.parametrize(
    "header",
    [
        "Bearer wpt_not-a-real-token",
        "Bearer not-even-our-prefix",
        "Bearer ",
        "Basic dXNlcjpwYXNz",
        "wpt_without_scheme",
    ],
)
def test_a_bad_token_is_401(client, cast, header):
    assert_error(
        client.get("/api/v1/me", headers={"Authorization": header}), 401, "not_authenticated"
    )


def test_a_revoked_token_is_401(client, cast):
    token, raw = create_api_token(user=cast.clinician, name="old phone")
    revoke_api_token(token=token, by=cast.clinician)

    response = client.get("/api/v1/me", headers={"Authorization": f"Bearer {raw}"})

    assert_error(response, 401, "not_authenticated")


def test_an_expired_token_is_401(client, cast):
    _, raw = create_api_token(user=cast.clinician, name="short", days=1)
    headers = {"Authorization": f"Bearer {raw}"}
    assert client.get("/api/v1/me", headers=headers).status_code == 200

    with time_machine.travel(timezone.now() + timedelta(days=1, minutes=1)):
        assert_error(client.get("/api/v1/me", headers=headers), 401, "not_authenticated")


def test_a_deactivated_persons_token_is_401(client, cast, bearer):
    headers = bearer(cast.clinician)
    cast.clinician.is_active = False
    cast.clinician.save(update_fields=["is_active"])

    assert_error(client.get("/api/v1/me", headers=headers), 401, "not_authenticated")


def test_a_bad_token_is_refused_even_with_a_session(client, cast):
    client.force_login(cast.client)

    response = client.get("/api/v1/me", headers={"Authorization": "Bearer wpt_nope"})

    assert_error(response, 401, "not_authenticated")


# --- 403 -------------------------------------------------------------------------


def test_forbidden_is_403(client, cast, bearer):
    # a clinic admin may use tokens but has no caseload
    assert_error(client.get("/api/v1/caseload", headers=bearer(cast.admin)), 403, "forbidden")


def test_a_session_write_without_csrf_token_is_refused(cast):
    browser = Client(enforce_csrf_checks=True)
    browser.force_login(cast.client)

    response = browser.patch("/api/v1/me", {"name": "Mallory"}, content_type="application/json")

    assert_error(response, 403, "csrf_failed")
    cast.client.refresh_from_db()
    assert cast.client.name == "Sam Client"


def test_a_session_write_with_the_csrf_token_works(cast):
    browser = Client(enforce_csrf_checks=True)
    browser.force_login(cast.client)
    browser.get("/account/")  # any page with a form sets the CSRF cookie
    csrf = browser.cookies["csrftoken"].value

    response = browser.patch(
        "/api/v1/me",
        {"name": "Sam"},
        content_type="application/json",
        headers={"X-CSRFToken": csrf},
    )

    assert response.status_code == 200, response.content


def test_a_token_write_needs_no_csrf_token(cast):
    _, raw = create_api_token(user=cast.clinician, name="script")
    script = Client(enforce_csrf_checks=True)

    response = script.patch(
        "/api/v1/me",
        {"name": "Cleo"},
        content_type="application/json",
        headers={"Authorization": f"Bearer {raw}"},
    )

    assert response.status_code == 200, response.content
    cast.clinician.refresh_from_db()
    assert cast.clinician.name == "Cleo"


def test_a_session_read_needs_no_csrf_token(cast):
    browser = Client(enforce_csrf_checks=True)
    browser.force_login(cast.client)

    assert browser.get("/api/v1/me").status_code == 200


# --- 404 and 405 -------------------------------------------------------------------


@pytest.mark.parametrize("path", ["/api/v1/nothing-here", "/api/v1/me/secret", "/api/v1/"])
def test_unknown_paths_are_json_404(client, cast, bearer, path):
    assert_error(client.get(path, headers=bearer(cast.clinician)), 404, "not_found")


def test_a_wrong_method_is_json_405(client, cast, bearer):
    response = client.delete("/api/v1/me", headers=bearer(cast.clinician))

    assert_error(response, 405, "method_not_allowed")
    assert set(response["Allow"].replace(" ", "").split(",")) == {"GET", "PATCH"}


# --- 400 and 422 -------------------------------------------------------------------


def test_malformed_json_is_400(client, cast, bearer):
    response = client.patch(
        "/api/v1/me",
        '{"name": "Cleo",',
        content_type="application/json",
        headers=bearer(cast.clinician),
    )

    assert_error(response, 400, "malformed_json")


def test_a_wrong_type_is_422_with_details(client, cast, bearer):
    response = client.patch(
        "/api/v1/me",
        {"name": ["a", "list"]},
        content_type="application/json",
        headers=bearer(cast.clinician),
    )

    body = assert_error(response, 422, "validation_error")
    [detail] = body["details"]
    assert detail["loc"][-1] == "name"
    assert detail["message"] and detail["type"]


def test_a_bad_query_parameter_is_422(client, cast, bearer):
    response = client.get("/api/v1/caseload?limit=0", headers=bearer(cast.clinician))

    body = assert_error(response, 422, "validation_error")
    assert body["details"][0]["loc"] == ["query", "limit"]


# --- 429 and 500 -------------------------------------------------------------------


def test_too_many_requests_is_429(client, cast, bearer, monkeypatch):
    from waypost.api.auth import user_throttle

    monkeypatch.setattr(user_throttle, "num_requests", 2)
    headers = bearer(cast.clinician)
    assert client.get("/api/v1/me", headers=headers).status_code == 200
    assert client.get("/api/v1/me", headers=headers).status_code == 200

    response = client.get("/api/v1/me", headers=headers)

    assert_error(response, 429, "throttled")
    assert int(response["Retry-After"]) >= 1


def test_throttling_counts_per_person(client, cast, bearer, monkeypatch):
    from waypost.api.auth import user_throttle

    monkeypatch.setattr(user_throttle, "num_requests", 1)
    assert client.get("/api/v1/me", headers=bearer(cast.clinician)).status_code == 200

    assert client.get("/api/v1/me", headers=bearer(cast.other_clinician)).status_code == 200


def test_an_unexpected_error_is_500_json_without_a_stack_trace(client, cast, bearer, monkeypatch):
    def explode(user):
        raise RuntimeError("secret internals")

    monkeypatch.setattr("waypost.api.endpoints._me", explode)

    response = client.get("/api/v1/me", headers=bearer(cast.clinician))

    assert_error(response, 500, "server_error")
    assert b"secret internals" not in response.content
    assert b"Traceback" not in response.content
