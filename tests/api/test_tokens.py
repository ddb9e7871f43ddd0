"""Personal access tokens: the services and the /account/tokens/ page."""

from __future__ import annotations

from datetime import timedelta

import pytest
from django.core.exceptions import PermissionDenied
from django.urls import reverse
from django.utils import timezone

from waypost.accounts.models import ApiToken, hash_token
from waypost.accounts.services import authenticate_token, create_api_token, revoke_api_token

pytestmark = pytest.mark.django_db
URL = "/account/tokens/"


# --- services ----------------------------------------------------------------------


def test_only_the_hash_of_a_new_token_is_stored(cast):
    token, raw = create_api_token(user=cast.client, name="phone", days=30)

    assert raw.startswith("wpt_") and len(raw) > 40
    assert token.token_hash == hash_token(raw)
    assert raw not in str(ApiToken.objects.filter(pk=token.pk).values().get())
    assert token.prefix == raw[:10]
    assert timedelta(days=29) < token.expires_at - timezone.now() <= timedelta(days=30)


def test_a_token_authenticates_its_owner_and_notes_its_use(cast):
    token, raw = create_api_token(user=cast.client, name="phone")

    assert authenticate_token(raw) == cast.client
    token.refresh_from_db()
    assert token.last_used_at is not None


def test_a_revoked_token_no_longer_authenticates(cast):
    token, raw = create_api_token(user=cast.client, name="phone")

    revoke_api_token(token=token, by=cast.client)

    assert authenticate_token(raw) is None


def test_only_the_owner_may_revoke_a_token(cast):
    token, raw = create_api_token(user=cast.client, name="phone")

    with pytest.raises(PermissionDenied):
        revoke_api_token(token=token, by=cast.clinician)
    assert authenticate_token(raw) == cast.client


# --- the page ----------------------------------------------------------------------


def test_signing_in_is_needed(client, cast):
    response = client.get(URL)

    assert response.status_code == 302
    assert response["Location"].startswith("/login/")


def test_the_page_lists_only_the_persons_own_tokens(client, cast):
    create_api_token(user=cast.client, name="My phone app")
    create_api_token(user=cast.clinician, name="Clinic laptop")
    client.force_login(cast.client)

    response = client.get(URL)

    assert response.status_code == 200
    assert b"My phone app" in response.content
    assert b"Clinic laptop" not in response.content


def test_creating_a_token_shows_it_once(client, cast):
    client.force_login(cast.client)

    response = client.post(URL, {"name": "Journal export", "days": "30"})

    assert response.status_code == 200
    token = ApiToken.objects.get(user=cast.client)
    raw = response.context["raw_token"]
    assert token.token_hash == hash_token(raw)
    assert token.name == "Journal export"
    assert raw.encode() in response.content
    assert b"will not be shown again" in response.content
    assert token.expires_at is not None
    # … and never again.
    assert raw.encode() not in client.get(URL).content


def test_a_token_may_never_expire(client, cast):
    client.force_login(cast.client)

    client.post(URL, {"name": "Forever", "days": ""})

    assert ApiToken.objects.get(user=cast.client).expires_at is None


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
    client.force_login(cast.client)

    response = client.post(URL, data)

    assert response.status_code == 400
    assert b"errorlist" in response.content
    assert not ApiToken.objects.exists()


def test_the_page_needs_a_csrf_token(cast):
    from django.test import Client

    browser = Client(enforce_csrf_checks=True)
    browser.force_login(cast.client)

    assert browser.post(URL, {"name": "x"}).status_code == 403
    assert not ApiToken.objects.exists()


def test_revoking_a_token(client, cast):
    token, raw = create_api_token(user=cast.client, name="Old phone")
    client.force_login(cast.client)

    response = client.post(reverse("api_token_revoke", args=[token.pk]), follow=True)

    assert response.redirect_chain == [(URL, 302)]
    assert "Old phone” is revoked" in response.content.decode()
    assert authenticate_token(raw) is None
    assert b"Revoked" in response.content


def test_revoking_needs_post(client, cast):
    token, _ = create_api_token(user=cast.client, name="Old phone")
    client.force_login(cast.client)

    assert client.get(reverse("api_token_revoke", args=[token.pk])).status_code == 405


def test_someone_elses_token_is_404(client, cast):
    token, raw = create_api_token(user=cast.client, name="Mine")
    client.force_login(cast.clinician)

    response = client.post(reverse("api_token_revoke", args=[token.pk]))

    assert response.status_code == 404
    assert authenticate_token(raw) == cast.client


def test_a_token_made_on_the_page_works_on_the_api(client, cast):
    client.force_login(cast.client)
    raw = client.post(URL, {"name": "script", "days": "7"}).context["raw_token"]
    client.logout()

    response = client.get("/api/v1/me", headers={"Authorization": f"Bearer {raw}"})

    assert response.json()["email"] == "client@north.test"
