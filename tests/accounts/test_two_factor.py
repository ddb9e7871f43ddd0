"""Clinics may require two-factor sign-in (TOTP) for clinicians and admins."""

from __future__ import annotations

from allauth.mfa.models import Authenticator
from allauth.mfa.totp.internal.auth import TOTP, generate_totp_secret
from django.urls import reverse

from tests.cast import PASSWORD
from waypost.clinics.models import Clinic


def _require(clinic: Clinic) -> None:
    clinic.require_two_factor = True
    clinic.save(update_fields=["require_two_factor"])


def test_staff_of_a_clinic_that_requires_it_must_set_it_up_first(client, cast):
    _require(cast.clinic)
    for user in (cast.clinician, cast.admin):
        client.logout()
        client.post("/login/", {"login": user.email, "password": PASSWORD})
        response = client.get(reverse("caseload:list"))
        assert response.status_code == 302
        assert response["Location"] == reverse("mfa_activate_totp")
        # the set-up page (after confirming the password again), sign-out and help stay
        # reachable: no redirect loop
        setup = client.get(reverse("mfa_activate_totp"))
        assert setup["Location"].startswith(reverse("account_reauthenticate"))
        assert client.get(setup["Location"]).status_code == 200
        assert client.get(reverse("help")).status_code == 200


def test_clients_and_allies_are_not_forced(client, cast):
    _require(cast.clinic)
    client.force_login(cast.client)
    assert client.get(reverse("program:today")).status_code == 200
    client.force_login(cast.ally_all)
    assert client.get(reverse("connect:ally_home")).status_code == 200


def test_a_clinic_that_does_not_require_it_does_not_force_it(client, cast):
    client.force_login(cast.foreign_clinician)
    assert client.get(reverse("caseload:list")).status_code == 200


def test_with_an_authenticator_app_the_clinician_works_normally(client, cast):
    _require(cast.clinic)
    TOTP.activate(cast.clinician, generate_totp_secret())
    client.force_login(cast.clinician)
    # allauth asks for a fresh sign-in before sensitive two-factor pages
    assert client.get(reverse("mfa_deactivate_totp"))["Location"].startswith("/reauthenticate/")
    assert client.get(reverse("caseload:list")).status_code == 200
    assert Authenticator.objects.filter(user=cast.clinician).exists()
    # and the two-factor pages that need an authenticator now open
    assert client.get(reverse("mfa_index")).status_code == 200


def test_the_api_refuses_staff_who_have_not_set_it_up(client, cast):
    from waypost.accounts.services import create_api_token

    # given a clinician with a token made before the clinic required two-factor sign-in
    _, raw = create_api_token(user=cast.clinician, name="old script")
    _require(cast.clinic)
    url = f"/api/v1/enrollments/{cast.enrollment.pk}"
    # when they call the API with the token, or with their browser session
    by_token = client.get(url, headers={"Authorization": f"Bearer {raw}"})
    client.force_login(cast.clinician)
    by_session = client.get(url)
    # then both are refused with a code that says what to do, and no client data
    for response in (by_token, by_session):
        assert response.status_code == 403
        assert response.json()["code"] == "two_factor_required"
        assert cast.client.name not in response.content.decode()
    # and once they have an authenticator app, the API answers again
    TOTP.activate(cast.clinician, generate_totp_secret())
    assert client.get(url).status_code == 200
    # clients are never asked
    client.force_login(cast.client)
    assert client.get("/api/v1/me").status_code == 200
