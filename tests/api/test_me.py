"""GET and PATCH /api/v1/me: the person calling the API.

A client or an ally calls it from their signed-in browser (tokens are for staff and
integrations); staff may use a token or the browser session.
"""

from __future__ import annotations

import pytest

pytestmark = pytest.mark.django_db


def test_it_describes_the_token_owner(client, cast, bearer):
    response = client.get("/api/v1/me", headers=bearer(cast.clinician))

    assert response.status_code == 200
    assert response["Content-Type"].startswith("application/json")
    assert response.json() == {
        "id": cast.clinician.pk,
        "name": "Cleo Clinician",
        "email": "clinician@north.test",
        "roles": ["clinician"],
        "time_zone": "Asia/Singapore",  # the clinic's, as the clinician chose none
        "language": "",
    }


def test_it_describes_a_client_in_their_browser(cast, browser):
    response = browser(cast.client).get("/api/v1/me")

    assert response.status_code == 200
    assert response["Content-Type"].startswith("application/json")
    assert response.json() == {
        "id": cast.client.pk,
        "name": "Sam Client",
        "email": "client@north.test",
        "roles": ["client"],
        "time_zone": "Asia/Singapore",  # the clinic's, as the client chose none
        "language": "",
    }


def test_it_works_with_the_browser_session(client, cast):
    client.force_login(cast.clinician)

    body = client.get("/api/v1/me").json()

    assert body["email"] == "clinician@north.test"
    assert body["roles"] == ["clinician"]


def test_it_lists_every_role_a_person_holds(client, cast, bearer):
    from waypost.clinics.models import ClinicAdmin

    ClinicAdmin.objects.create(user=cast.clinician, clinic=cast.clinic)

    body = client.get("/api/v1/me", headers=bearer(cast.clinician)).json()

    assert body["roles"] == ["clinician", "clinic_admin"]


def test_an_ally_is_an_ally(cast, browser):
    assert browser(cast.ally_all).get("/api/v1/me").json()["roles"] == ["ally"]


def test_the_persons_own_time_zone_wins(cast, browser):
    cast.client.time_zone = "Europe/Berlin"
    cast.client.save(update_fields=["time_zone"])

    assert browser(cast.client).get("/api/v1/me").json()["time_zone"] == "Europe/Berlin"


def test_someone_anonymous_gets_401_json(client, cast):
    response = client.get("/api/v1/me")

    assert response.status_code == 401
    assert response.json()["code"] == "not_authenticated"
    assert response["WWW-Authenticate"].startswith("Bearer")


def test_responses_are_not_cached(cast, browser):
    response = browser(cast.client).get("/api/v1/me")

    assert response.status_code == 200
    assert "no-store" in response["Cache-Control"]


def test_token_responses_are_not_cached_either(client, cast, bearer):
    response = client.get("/api/v1/me", headers=bearer(cast.clinician))

    assert response.status_code == 200
    assert "no-store" in response["Cache-Control"]


def test_it_changes_name_and_time_zone(cast, browser):
    response = browser(cast.client).patch(
        "/api/v1/me",
        {"name": "Sam", "time_zone": "Europe/London"},
        content_type="application/json",
    )

    assert response.status_code == 200, response.content
    assert response.json()["name"] == "Sam"
    cast.client.refresh_from_db()
    assert (cast.client.name, cast.client.time_zone) == ("Sam", "Europe/London")


def test_fields_left_out_stay_as_they_are(cast, browser):
    response = browser(cast.client).patch(
        "/api/v1/me", {"language": "en"}, content_type="application/json"
    )

    assert response.status_code == 200, response.content
    cast.client.refresh_from_db()
    assert (cast.client.name, cast.client.language) == ("Sam Client", "en")


@pytest.mark.parametrize("zone", ["Mars/Olympus_Mons", "Factory", "Etc/GMT+5", "US/Eastern"])
def test_an_unknown_time_zone_is_refused_with_details(cast, browser, zone):
    response = browser(cast.client).patch(
        "/api/v1/me", {"time_zone": zone}, content_type="application/json"
    )

    assert response.status_code == 422
    body = response.json()
    assert body["code"] == "validation_error"
    assert body["details"][0]["loc"] == ["body", "time_zone"]
    cast.client.refresh_from_db()
    assert cast.client.time_zone == ""


def test_an_empty_name_is_refused(cast, browser):
    response = browser(cast.client).patch(
        "/api/v1/me", {"name": ""}, content_type="application/json"
    )

    assert response.status_code == 422
    assert response.json()["details"][0]["loc"] == ["body", "name"]


def test_unknown_fields_are_refused(cast, browser):
    response = browser(cast.client).patch(
        "/api/v1/me", {"email": "x@y.test"}, content_type="application/json"
    )

    assert response.status_code == 422
    cast.client.refresh_from_db()
    assert cast.client.email == "client@north.test"
