"""The OpenAPI schema and the interactive docs, which load nothing from another host."""

from __future__ import annotations

import re

import pytest

pytestmark = pytest.mark.django_db


def test_the_schema_is_valid_json_with_every_path(client):
    response = client.get("/api/v1/openapi.json")

    assert response.status_code == 200
    schema = response.json()
    assert schema["openapi"].startswith("3.")
    assert schema["info"]["title"] == "Waypost API"
    assert {
        "/api/v1/me",
        "/api/v1/me/enrollment",
        "/api/v1/caseload",
        "/api/v1/enrollments/{enrollment_id}",
    } <= set(schema["paths"])
    assert set(schema["paths"]["/api/v1/me"]) == {"get", "patch"}


def test_the_schema_documents_both_ways_to_authenticate(client):
    schema = client.get("/api/v1/openapi.json").json()

    schemes = schema["components"]["securitySchemes"]
    assert schemes["TokenAuth"] == {"type": "http", "scheme": "bearer"}
    assert schemes["SessionAuth"]["in"] == "cookie"
    assert schema["paths"]["/api/v1/me"]["get"]["security"] == [
        {"TokenAuth": []},
        {"SessionAuth": []},
    ]


def test_every_operation_is_documented_with_its_errors(client):
    schema = client.get("/api/v1/openapi.json").json()

    for path, operations in schema["paths"].items():
        for method, operation in operations.items():
            assert operation.get("description"), f"{method} {path} has no description"
            assert "401" in operation["responses"], f"{method} {path}"
    error = schema["components"]["schemas"]["ErrorOut"]
    assert set(error["required"]) == {"code", "message"}


def test_the_client_enrollment_schema_has_no_reasons(client):
    schema = client.get("/api/v1/openapi.json").json()

    assert "reason" not in str(schema["components"]["schemas"]["OwnEnrollmentOut"])
    assert "reason" not in str(schema["components"]["schemas"]["StageStepOut"])


def test_the_docs_page_loads_nothing_from_another_host(client):
    response = client.get("/api/v1/docs")

    assert response.status_code == 200
    html = response.content.decode()
    sources = re.findall(r'<(?:script|link|img)\b[^>]*\b(?:src|href)="([^"]+)"', html)
    assert sources, "expected the page to load its scripts and styles"
    for source in sources:
        assert source.startswith("/static/"), source
    assert not re.search(r"https?://", html)
    assert "//" not in "".join(sources)


def test_the_docs_page_has_no_inline_script_or_style(client):
    html = client.get("/api/v1/docs").content.decode()

    for attributes in re.findall(r"<script\b([^>]*)>", html):
        assert "src=" in attributes or 'type="application/json"' in attributes
    assert "<style" not in html
    assert " style=" not in html
    assert not re.search(r"\son[a-z]+=", html)


def test_the_docs_turn_off_the_online_validator(client):
    html = client.get("/api/v1/docs").content.decode()

    assert '"validatorUrl": null' in html


def test_the_strict_content_security_policy_covers_the_docs(client):
    csp = client.get("/api/v1/docs")["Content-Security-Policy"]

    assert "script-src 'self'" in csp
    assert "unsafe-inline" not in csp
