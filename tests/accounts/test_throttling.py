"""Sign-in throttling slows whoever guesses, never the person whose account it is.

Wrong passwords and two-factor codes are counted per address and per account *and*
address (accounts/adapter.py). The address is the real client's: behind a proxy,
``waypost.proxy`` has already put it in REMOTE_ADDR (tests/core/test_trusted_proxies.py).
"""

from __future__ import annotations

from datetime import timedelta

import pytest
import time_machine
from allauth.mfa.totp.internal.auth import (
    TOTP,
    format_hotp_value,
    generate_totp_secret,
    hotp_value,
    yield_hotp_counters_from_time,
)
from django.urls import reverse
from django.utils import timezone

from tests.cast import PASSWORD

ATTACKER, OWNER, NEIGHBOUR = "198.51.100.66", "203.0.113.10", "198.51.100.67"


def _sign_in(client, email: str, password: str, address: str):
    return client.post("/login/", {"login": email, "password": password}, REMOTE_ADDR=address)


def _signed_in(client) -> bool:
    return "_auth_user_id" in client.session


def _wrong(client, email: str, address: str, times: int = 5) -> None:
    for _ in range(times):
        response = _sign_in(client, email, "not-the-password", address)
        assert not _signed_in(client)
        assert response.status_code in (200, 429)


def test_five_wrong_passwords_stop_that_address_for_that_account_only(
    client, django_user_model, cast
):
    _wrong(client, cast.clinician.email, ATTACKER)

    # from there, even the right password waits for now
    refused = _sign_in(client, cast.clinician.email, PASSWORD, ATTACKER)
    assert not _signed_in(client)
    assert "Too many" in refused.content.decode()

    # the clinician, from their own address, is not held up at all
    assert _sign_in(client, cast.clinician.email, PASSWORD, OWNER).status_code == 302
    assert _signed_in(client)
    client.logout()

    # and someone else signing in from the attacker's address (the same proxy, say) is not either
    assert _sign_in(client, cast.client.email, PASSWORD, ATTACKER).status_code == 302
    assert _signed_in(client)


def test_the_wait_grows_with_each_round_of_wrong_guesses(client, cast):
    start = timezone.now()
    with time_machine.travel(start, tick=False) as clock:
        _wrong(client, cast.client.email, ATTACKER)
        clock.shift(timedelta(minutes=6))
        # a few minutes later, one more round of five is allowed…
        _wrong(client, cast.client.email, ATTACKER)
        clock.shift(timedelta(minutes=6))
        # …and then this address waits for the rest of the hour
        _sign_in(client, cast.client.email, PASSWORD, ATTACKER)
        assert not _signed_in(client)
        clock.shift(timedelta(minutes=50))
        _sign_in(client, cast.client.email, PASSWORD, ATTACKER)
        assert _signed_in(client)


def test_an_address_guessing_at_many_accounts_is_stopped_for_all_of_them(
    client, django_user_model, cast
):
    for n in range(30):
        _sign_in(client, f"nobody-{n}@north.test", "guess", ATTACKER)
    _sign_in(client, cast.client.email, PASSWORD, ATTACKER)
    assert not _signed_in(client)
    # people elsewhere carry on
    _sign_in(client, cast.client.email, PASSWORD, NEIGHBOUR)
    assert _signed_in(client)


def test_a_right_password_now_and_then_does_not_wipe_the_count_of_wrong_ones(client, cast):
    for _ in range(2):
        _wrong(client, cast.client.email, ATTACKER, times=2)
        _sign_in(client, cast.client.email, PASSWORD, ATTACKER)
        assert _signed_in(client)
        client.logout()
    _wrong(client, cast.client.email, ATTACKER, times=1)
    _sign_in(client, cast.client.email, PASSWORD, ATTACKER)
    assert not _signed_in(client)


# --- two-factor codes ----------------------------------------------------------------


def _code(secret: str) -> str:
    counter = next(yield_hotp_counters_from_time())
    return format_hotp_value(hotp_value(secret, counter))


def _password_step(client, user, address: str) -> None:
    response = _sign_in(client, user.email, PASSWORD, address)
    assert response.status_code == 302
    assert response["Location"] == reverse("mfa_authenticate")


def _code_step(client, code: str, address: str):
    return client.post(reverse("mfa_authenticate"), {"code": code}, REMOTE_ADDR=address)


@pytest.fixture
def two_factor(cast):
    secret = generate_totp_secret()
    TOTP.activate(cast.clinician, secret)
    return secret


def test_five_wrong_codes_stop_that_address_but_not_the_clinician_elsewhere(
    client, cast, two_factor
):
    _password_step(client, cast.clinician, ATTACKER)
    for _ in range(5):
        response = _code_step(client, "000000", ATTACKER)
        assert "_auth_user_id" not in client.session
        assert response.status_code == 200
    refused = _code_step(client, _code(two_factor), ATTACKER)
    assert not _signed_in(client)
    assert "Too many" in refused.content.decode()

    # the clinician, from their own address, signs in with password and code
    client.logout()
    _password_step(client, cast.clinician, OWNER)
    assert _code_step(client, _code(two_factor), OWNER).status_code == 302
    assert _signed_in(client)


def test_a_wrong_code_says_so_and_a_right_one_signs_in(client, cast, two_factor):
    _password_step(client, cast.clinician, OWNER)
    wrong = _code_step(client, "000000", OWNER)
    assert "Incorrect code" in wrong.content.decode()
    assert not _signed_in(client)
    assert _code_step(client, _code(two_factor), OWNER).status_code == 302
    assert _signed_in(client)
