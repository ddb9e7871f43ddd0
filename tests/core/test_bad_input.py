"""No request crashes the server: junk sent to every URL, as someone allowed to use it."""

from __future__ import annotations

import pytest
from django.test import Client
from django.urls import reverse

from tests.core.test_roles import ROUTES

JUNK = {
    "to_stage": "99",
    "reason": "\x00" * 3 + "x" * 5000,
    "email": "not-an-email",
    "name": "",
    "password": "x",
    "scopes": ["nonsense", "'; DROP TABLE x; --"],
    "id": "-1",
    "page": "999999",
    "time_zone": "Mars/Olympus",
    "days": "-5",
}


@pytest.mark.parametrize("route", ROUTES, ids=lambda r: r.name)
def test_junk_never_causes_a_server_error(route, cast):
    url = reverse(route.name, kwargs=route.kwargs(cast) or None)
    roles = sorted(route.allowed - {"anonymous"}) or ["client"]
    client = Client(raise_request_exception=False)
    client.force_login(cast.role(roles[0]))
    for response in (
        client.get(url, {"page": "x' OR 1=1", "q": "\u202e" * 10, "client": "abc"}),
        client.post(url, JUNK),
        client.post(url, b"\xff\xfe{not json", content_type="application/json"),
    ):
        assert response.status_code < 500, (route.name, response.status_code)


@pytest.mark.parametrize(
    "path", ["/clients/999999/", "/clients/abc/", "/c/no-such-clinic/", "/invite/%00/"]
)
def test_unknown_ids_get_a_plain_not_found(client, cast, path):
    client.force_login(cast.clinician)
    response = client.get(path)
    assert response.status_code == 404
    assert "Traceback" not in response.content.decode()
