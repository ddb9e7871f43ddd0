"""Personal access tokens: the services, the /account/tokens/ page and who may use one.

Tokens are for staff and integrations (``Action.USE_API_TOKENS``). A client or an
ally has no token page, and a token one of them made earlier is refused by the API.
"""

from __future__ import annotations

from datetime import timedelta

import pytest
import time_machine
from django.core.exceptions import PermissionDenied
from django.urls import reverse
from django.utils import timezone

from tests.cast import make_user
from tests.roles import ALLIES
from waypost.accounts.models import ApiToken, hash_token
from waypost.accounts.services import authenticate_token, create_api_token, revoke_api_token
from waypost.program.services import enroll_client

pytestmark = pytest.mark.django_db
URL = "/account/tokens/"


# --- services ----------------------------------------------------------------------


def test_only_the_hash_of_a_new_token_is_stored(cast):
    token, raw = create_api_token(user=cast.clinician, name="phone", days=30)

    assert raw.startswith("wpt_") and len(raw) > 40
    assert token.token_hash == hash_token(raw)
    assert raw not in str(ApiToken.objects.filter(pk=token.pk).values().get())
    assert token.prefix == raw[:10]
    assert timedelta(days=29) < token.expires_at - timezone.now() <= timedelta(days=30)


def test_a_token_authenticates_its_owner_and_notes_its_use(cast):
    token, raw = create_api_token(user=cast.clinician, name="phone")

    assert authenticate_token(raw) == cast.clinician
    token.refresh_from_db()
    assert token.last_used_at is not None


def test_a_revoked_token_no_longer_authenticates(cast):
    token, raw = create_api_token(user=cast.clinician, name="phone")

    revoke_api_token(token=token, by=cast.clinician)

    assert authenticate_token(raw) is None


def test_only_the_owner_may_revoke_a_token(cast):
    token, raw = create_api_token(user=cast.clinician, name="phone")

    with pytest.raises(PermissionDenied):
        revoke_api_token(token=token, by=cast.other_clinician)
    assert authenticate_token(raw) == cast.clinician


# --- the page ----------------------------------------------------------------------


def test_signing_in_is_needed(client, cast):
    response = client.get(URL)

    assert response.status_code == 302
    assert response["Location"].startswith("/login/")


def test_the_page_lists_only_the_persons_own_tokens(client, cast):
    create_api_token(user=cast.clinician, name="My phone app")
    create_api_token(user=cast.other_clinician, name="Clinic laptop")
    client.force_login(cast.clinician)

    response = client.get(URL)

    assert response.status_code == 200
    assert b"My phone app" in response.content
    assert b"Clinic laptop" not in response.content


def test_creating_a_token_shows_it_once(client, cast):
    client.force_login(cast.clinician)

    response = client.post(URL, {"name": "Journal export", "days": "30"})

    assert response.status_code == 200
    token = ApiToken.objects.get(user=cast.clinician)
    raw = response.context["raw_token"]
    assert token.token_hash == hash_token(raw)
    assert token.name == "Journal export"
    assert raw.encode() in response.content
    assert b"will not be shown again" in response.content
    assert token.expires_at is not None
    # … and never again.
    assert raw.encode() not in client.get(URL).content


def test_a_token_may_never_expire(client, cast):
    client.force_login(cast.clinician)

    client.post(URL, {"name": "Forever", "days": ""})

    assert ApiToken.objects.get(user=cast.clinician).expires_at is None


@pytest.mark.parametrize(
    "data",
    [
        {"name": "", "days": "30"},
        {"name": "x", "days": "0"},
        {"name": "x", "days": "366"},
        {"name": "x", "days": "soon"},
        {"name": "x" * 81, "days": "30"},
    ],
)
def test_bad_input_is_refused_kindly(client, cast, data):
    client.force_login(cast.clinician)

    response = client.post(URL, data)

    assert response.status_code == 400
    assert b"errorlist" in response.content
    assert not ApiToken.objects.exists()


def test_the_page_needs_a_csrf_token(cast):
    from django.test import Client

    browser = Client(enforce_csrf_checks=True)
    browser.force_login(cast.clinician)

    assert browser.post(URL, {"name": "x"}).status_code == 403
    assert not ApiToken.objects.exists()


def test_revoking_a_token(client, cast):
    token, raw = create_api_token(user=cast.clinician, name="Old phone")
    client.force_login(cast.clinician)

    response = client.post(reverse("api_token_revoke", args=[token.pk]), follow=True)

    assert response.redirect_chain == [(URL, 302)]
    assert "Old phone” is revoked" in response.content.decode()
    assert authenticate_token(raw) is None
    assert b"Revoked" in response.content


def test_revoking_needs_post(client, cast):
    token, _ = create_api_token(user=cast.clinician, name="Old phone")
    client.force_login(cast.clinician)

    assert client.get(reverse("api_token_revoke", args=[token.pk])).status_code == 405


def test_someone_elses_token_is_404(client, cast):
    token, raw = create_api_token(user=cast.clinician, name="Mine")
    client.force_login(cast.other_clinician)

    response = client.post(reverse("api_token_revoke", args=[token.pk]))

    assert response.status_code == 404
    assert authenticate_token(raw) == cast.clinician


def test_a_token_made_on_the_page_works_on_the_api(client, cast):
    client.force_login(cast.clinician)
    raw = client.post(URL, {"name": "script", "days": "7"}).context["raw_token"]
    client.logout()

    response = client.get("/api/v1/me", headers={"Authorization": f"Bearer {raw}"})

    assert response.json()["email"] == "clinician@north.test"


@pytest.mark.parametrize("role", ["client", "ally_all", "ally_none", "ally_ended"])
def test_clients_and_allies_have_no_token_pages(client, cast, role):
    # API tokens are for staff and integrations (docs/api.md)
    user = cast.role(role)
    token, raw = create_api_token(user=user, name="made before tokens were staff-only")
    client.force_login(user)

    assert client.get(URL).status_code == 403
    assert client.post(URL, {"name": "script", "days": "7"}).status_code == 403
    assert client.post(reverse("api_token_revoke", args=[token.pk])).status_code == 403
    assert ApiToken.objects.filter(user=user).count() == 1
    # and "Me" does not link them
    assert URL not in client.get(reverse("accounts:account")).content.decode()


def test_staff_find_their_tokens_on_their_account_page(client, cast):
    for user in (cast.clinician, cast.admin):
        client.force_login(user)
        assert f'href="{URL}"' in client.get(reverse("accounts:account")).content.decode()


# --- who may use a token on the API --------------------------------------------------

STAFF_ONLY = "API tokens are for staff and integrations; sign in on the web instead."
ROLES_WITHOUT_TOKENS = ["client", *ALLIES]  # every ally, with any consent, and a former ally


def bearer_of(raw: str) -> dict[str, str]:
    return {"Authorization": f"Bearer {raw}"}


@pytest.mark.parametrize("role", ROLES_WITHOUT_TOKENS)
def test_a_token_a_client_or_ally_made_earlier_is_refused(client, cast, role):
    # made directly by the service, as they could before tokens were for staff only
    _, raw = create_api_token(user=cast.role(role), name="made before the rule")

    response = client.get("/api/v1/me", headers=bearer_of(raw))

    assert response.status_code == 403
    assert response.json() == {"code": "forbidden", "message": STAFF_ONLY}


def test_a_clients_token_cannot_write_either(client, cast):
    _, raw = create_api_token(user=cast.client, name="made before the rule")

    response = client.patch(
        "/api/v1/me", {"name": "Mallory"}, content_type="application/json", headers=bearer_of(raw)
    )

    assert response.status_code == 403
    assert response.json() == {"code": "forbidden", "message": STAFF_ONLY}
    cast.client.refresh_from_db()
    assert cast.client.name == "Sam Client"


def test_a_clients_token_is_refused_even_beside_their_session(client, cast):
    # A refused token never falls back to the session, as a bad token never does.
    _, raw = create_api_token(user=cast.client, name="made before the rule")
    client.force_login(cast.client)

    response = client.get("/api/v1/me/enrollment", headers=bearer_of(raw))

    assert response.status_code == 403
    assert response.json() == {"code": "forbidden", "message": STAFF_ONLY}
    # … while the session alone works, so the client keeps their way in.
    assert client.get("/api/v1/me/enrollment").status_code == 200


@pytest.mark.parametrize("role", ["client", "ally_all", "ally_ended"])
@pytest.mark.parametrize("state", ["expired", "revoked"])
def test_an_expired_or_revoked_token_is_401_before_the_role_is_asked(client, cast, role, state):
    user = cast.role(role)
    token, raw = create_api_token(user=user, name="made before the rule", days=1)
    if state == "revoked":
        revoke_api_token(token=token, by=user)
        later = timezone.now()
    else:
        later = timezone.now() + timedelta(days=1, minutes=1)

    with time_machine.travel(later):
        response = client.get("/api/v1/me", headers=bearer_of(raw))

    assert response.status_code == 401
    assert response.json()["code"] == "not_authenticated"


def test_an_unknown_token_is_401_not_403(client, cast):
    response = client.get("/api/v1/me", headers=bearer_of("wpt_not-a-real-token"))

    assert response.status_code == 401
    assert response.json()["code"] == "not_authenticated"


@pytest.mark.parametrize(
    ("role", "roles"),
    [("clinician", ["clinician"]), ("other_clinician", ["clinician"]), ("admin", ["clinic_admin"])],
)
def test_staff_tokens_work(client, cast, role, roles):
    _, raw = create_api_token(user=cast.role(role), name="script")

    response = client.get("/api/v1/me", headers=bearer_of(raw))

    assert response.status_code == 200, response.content
    assert response.json()["roles"] == roles


def test_a_clinicians_token_works_for_their_caseload(client, cast):
    _, raw = create_api_token(user=cast.clinician, name="caseload export")

    response = client.get("/api/v1/caseload", headers=bearer_of(raw))

    assert response.status_code == 200, response.content
    assert [e["client"]["name"] for e in response.json()["items"]] == ["Sam Client"]


def test_an_integration_account_may_use_a_token(client, cast):
    # an account of its own for a script: nobody's client or ally
    robot = make_user("reports@north.test", "North reporting script")
    _, raw = create_api_token(user=robot, name="nightly report")

    response = client.get("/api/v1/me", headers=bearer_of(raw))

    assert response.status_code == 200, response.content
    assert response.json()["roles"] == []


def test_a_clinician_who_is_also_a_client_may_use_a_token(client, cast):
    # Fern is a clinician at South Clinic and a client of Cleo's at North Clinic.
    enroll_client(
        client=cast.foreign_clinician, clinician_profile=cast.clinician_profile, by=cast.clinician
    )
    _, raw = create_api_token(user=cast.foreign_clinician, name="script")

    me = client.get("/api/v1/me", headers=bearer_of(raw))
    enrollment = client.get("/api/v1/me/enrollment", headers=bearer_of(raw))

    assert me.status_code == 200, me.content
    assert me.json()["roles"] == ["client", "clinician"]
    assert enrollment.status_code == 200, enrollment.content
    assert enrollment.json()["clinic"]["slug"] == "north"
