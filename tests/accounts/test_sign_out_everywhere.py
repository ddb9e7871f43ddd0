"""Sign out everywhere else: every other session of the person ends; this one stays.

Two browsers signed in as the same person, a phone and a laptop. The laptop presses
the button; the phone is signed out on its next request, whatever it asks for.
"""

from __future__ import annotations

import logging

import pytest
from django.contrib.auth.base_user import AbstractBaseUser
from django.test import Client
from django.urls import reverse

from waypost.accounts.models import User
from waypost.accounts.services import create_api_token

pytestmark = pytest.mark.django_db

BUTTON = reverse("accounts:sign_out_everywhere")
ME = reverse("accounts:account")


def _browser(user: User) -> Client:
    """A new browser signed in as ``user`` (as they are now in the database)."""
    browser = Client()
    browser.force_login(User.objects.get(pk=user.pk))
    assert browser.get(ME).status_code == 200
    return browser


def _signed_out(response) -> bool:
    return response.status_code == 302 and response["Location"].startswith("/login/")


def test_the_other_device_is_signed_out_and_this_one_stays(cast):
    # given the client signed in on a phone and on a laptop
    phone, laptop = _browser(cast.client), _browser(cast.client)
    before = laptop.session.session_key
    # when they press "Sign out on other devices" on the laptop
    response = laptop.post(BUTTON, follow=True)
    # then the laptop is back on Me, still signed in, told what happened
    assert response.redirect_chain == [(ME + "#security", 302)]
    assert "You are signed out on every other device" in response.content.decode()
    assert laptop.get(ME).status_code == 200
    # with a fresh session key (a copied cookie of the old one is no use)
    assert laptop.session.session_key != before
    # and the phone is signed out on its next request, page or API
    assert _signed_out(phone.get(ME))
    assert _signed_out(phone.get(reverse("program:today")))
    assert phone.get("/api/v1/me").status_code == 401


def test_other_people_stay_signed_in(cast):
    clinician, laptop = _browser(cast.clinician), _browser(cast.client)
    laptop.post(BUTTON)
    assert clinician.get(ME).status_code == 200


def test_it_works_again_and_again(cast):
    phone, laptop = _browser(cast.client), _browser(cast.client)
    laptop.post(BUTTON)
    assert _signed_out(phone.get(ME))
    phone = _browser(cast.client)  # signs in again
    laptop.post(BUTTON)
    assert _signed_out(phone.get(ME))
    assert laptop.get(ME).status_code == 200


def test_api_tokens_are_not_sessions_and_keep_working(cast):
    _token, raw = create_api_token(user=cast.clinician, name="script")
    _browser(cast.clinician).post(BUTTON)
    response = Client().get("/api/v1/me", headers={"Authorization": f"Bearer {raw}"})
    assert response.status_code == 200


def test_it_is_recorded_in_the_security_log(cast, caplog):
    with caplog.at_level(logging.INFO, logger="waypost.security"):
        _browser(cast.client).post(BUTTON)
    assert f"signed out everywhere: user {cast.client.pk}" in caplog.text
    assert cast.client.email not in caplog.text


def test_it_needs_a_post_and_a_signed_in_person(cast, client):
    assert client.post(BUTTON)["Location"].startswith("/login/")
    client.force_login(cast.client)
    assert client.get(BUTTON).status_code == 405
    cast.client.refresh_from_db()
    assert cast.client.session_salt == ""


def test_sessions_from_before_the_button_existed_stay_valid(cast):
    # a person who never pressed it carries Django's own session hash, so upgrading
    # Waypost signs nobody out
    user = User.objects.get(pk=cast.client.pk)
    assert user.session_salt == ""
    assert user.get_session_auth_hash() == AbstractBaseUser.get_session_auth_hash(user)
    # and a new password still ends the other sessions, as Django's does
    user.new_session_salt()
    salted = user.get_session_auth_hash()
    user.set_password("another-long-password")
    assert user.get_session_auth_hash() != salted


def test_the_me_page_explains_it_before_the_button(cast, client):
    client.force_login(cast.client)
    page = client.get(ME).content.decode()
    assert f'action="{BUTTON}"' in page
    assert "This signs you out of Waypost on every other phone, tablet and computer" in page
    assert "You stay signed in here." in page
