"""The sign-in pages (password, two-factor, e-mail) are Waypost's own, and still work.

django-allauth does the work; every page a person can reach renders our templates
(accounts/templates/account/ and mfa/), inside the base layout, in our words.
"""

from __future__ import annotations

import re
from pathlib import Path

import allauth
import pytest
from allauth.account.models import EmailAddress, EmailConfirmationHMAC
from allauth.mfa.models import Authenticator
from allauth.mfa.totp.internal.auth import (
    TOTP,
    format_hotp_value,
    generate_totp_secret,
    hotp_value,
    yield_hotp_counters_from_time,
)
from django.core import mail
from django.urls import reverse

from tests.cast import PASSWORD

ALLAUTH_TEMPLATES = Path(allauth.__file__).parent
# allauth's own headings and buttons: none may show on our pages
ALLAUTH_WORDS = (
    "Password Reset",
    "Reset My Password",
    "Change Password",
    "Bad Token",
    "Two-Factor Authentication",
    "Authenticator App",
    "Confirm Access",
    "Menu:",
    "Sign Up Closed",
    "Account Inactive",
    "Email Addresses",
    "Make Primary",
)


def code_now(secret: str) -> str:
    return format_hotp_value(hotp_value(secret, next(yield_hotp_counters_from_time())))


def assert_ours(response) -> str:
    """The page is in Waypost's layout, from our templates only, in our words."""
    assert response.status_code == 200
    html = response.content.decode()
    assert '<main id="main"' in html and 'class="site-header"' in html
    assert "Get help now" in html
    assert html.count("<h1") == 1
    from_allauth = [
        t.origin.name
        for t in response.templates
        if t.origin and str(t.origin.name).startswith(str(ALLAUTH_TEMPLATES))
    ]
    assert not from_allauth, f"allauth's own templates rendered: {from_allauth}"
    shown = [words for words in ALLAUTH_WORDS if words in html]
    assert not shown, f"allauth's words on the page: {shown}"
    return html


def sign_in(client, user, **extra) -> None:
    response = client.post("/login/", {"login": user.email, "password": PASSWORD}, **extra)
    assert response.status_code == 302


@pytest.mark.parametrize(
    ("name", "kwargs", "heading"),
    [
        ("account_reset_password", {}, "Forgotten your password?"),
        ("account_reset_password_done", {}, "Check your e-mail"),
        ("account_reset_password_from_key_done", {}, "Your new password is saved"),
        (
            "account_reset_password_from_key",
            {"uidb36": "1", "key": "bad-key"},
            "This link no longer works",
        ),
        ("account_signup", {}, "Joining Waypost"),
        ("account_inactive", {}, "This account is closed"),
        ("account_email_verification_sent", {}, "Check your e-mail"),
        ("account_confirm_email", {"key": "unknown"}, "This link no longer works"),
    ],
)
def test_each_page_anyone_can_reach_is_ours(client, db, name, kwargs, heading):
    # when someone who is not signed in opens it
    response = client.get(reverse(name, kwargs=kwargs))
    # then it is Waypost's page with its own heading
    assert f"{heading}</h1>" in assert_ours(response)


@pytest.mark.parametrize(
    ("name", "heading"),
    [
        ("account_change_password", "Change your password"),
        ("account_logout", "Sign out?"),
        ("account_email", "Your e-mail addresses"),
        ("account_reauthenticate", "First, confirm it's you"),
        ("mfa_index", "Two-factor sign-in"),
    ],
)
def test_each_page_for_a_signed_in_person_is_ours(client, cast, name, heading):
    client.force_login(cast.client)
    assert f"{heading}</h1>" in assert_ours(client.get(reverse(name)))


def test_a_forgotten_password_is_replaced_through_the_emailed_link(client, cast):
    # given a client who forgot their password asks for a link
    response = client.post(reverse("account_reset_password"), {"email": cast.client.email})
    assert response["Location"] == reverse("account_reset_password_done")
    assert "Check your e-mail</h1>" in assert_ours(client.get(response["Location"]))
    # then one discreet e-mail in our words carries the link
    assert len(mail.outbox) == 1
    message = mail.outbox[0]
    assert message.subject == "Waypost: Your link to choose a new password"
    assert "Someone, probably you, asked for a new Waypost password" in message.body
    assert "example.com" not in message.body and "Hello from" not in message.body
    link = re.search(r"https?://[^/\s]+(/password/reset/key/\S+)", message.body)
    assert link
    # when they open it, allauth moves the key out of the address and shows our form
    opened = client.get(link[1])
    assert opened.status_code == 302
    form_url = opened["Location"]
    html = assert_ours(client.get(form_url))
    assert "Choose a new password</h1>" in html
    assert '<label for="id_password1">New password</label>' in html
    # and choose a new password
    done = client.post(
        form_url, {"password1": "a-brand-new-passphrase", "password2": "a-brand-new-passphrase"}
    )
    assert done["Location"] == reverse("account_reset_password_from_key_done")
    assert "Your new password is saved</h1>" in assert_ours(client.get(done["Location"]))
    # then the new password signs in and the old one does not
    cast.client.refresh_from_db()
    assert cast.client.check_password("a-brand-new-passphrase")
    assert not cast.client.check_password(PASSWORD)
    # and the link does not work twice
    again = client.get(link[1], follow=True)
    assert "This link no longer works</h1>" in assert_ours(again)


def test_a_mistyped_new_password_is_explained_on_our_page(client, cast):
    client.post(reverse("account_reset_password"), {"email": cast.client.email})
    link = re.search(r"https?://[^/\s]+(/password/reset/key/\S+)", mail.outbox[0].body)
    assert link
    form_url = client.get(link[1])["Location"]
    response = client.post(form_url, {"password1": "a-brand-new-passphrase", "password2": "nope"})
    html = assert_ours(response)
    assert 'class="errorlist" role="alert"' in html
    cast.client.refresh_from_db()
    assert cast.client.check_password(PASSWORD)


def test_an_unknown_address_gets_a_kind_email_and_the_same_page(client, db):
    response = client.post(reverse("account_reset_password"), {"email": "nobody@north.test"})
    # the page says the same as for a real account, so it reveals nothing
    assert response["Location"] == reverse("account_reset_password_done")
    assert len(mail.outbox) == 1
    assert "no Waypost account uses this address" in mail.outbox[0].body


def test_a_clinician_sets_up_two_factor_sign_in_and_then_signs_in_with_it(client, cast):
    # given a clinician who signed in and, asked to, confirmed it's them
    sign_in(client, cast.clinician)
    asked = client.get(reverse("mfa_activate_totp"))
    assert asked["Location"].startswith(reverse("account_reauthenticate"))
    assert "First, confirm it's you</h1>" in assert_ours(client.get(asked["Location"]))
    confirmed = client.post(asked["Location"], {"password": PASSWORD})
    assert confirmed["Location"] == reverse("mfa_activate_totp")
    # when they open the set-up page, it is ours, with the steps and the QR code
    page = client.get(reverse("mfa_activate_totp"))
    html = assert_ours(page)
    assert "Set up two-factor sign-in</h1>" in html
    assert 'class="qr" src="data:image/svg+xml;base64,' in html
    assert "The 6-digit code from your authenticator app</label>" in html
    secret = page.context["form"].secret
    # a wrong code is explained on the same page
    wrong = client.post(reverse("mfa_activate_totp"), {"code": "000000"})
    assert "Incorrect code" in assert_ours(wrong)
    # and the code from the app turns it on and shows the recovery codes
    done = client.post(reverse("mfa_activate_totp"), {"code": code_now(secret)})
    assert done["Location"] == reverse("mfa_view_recovery_codes")
    codes = client.get(done["Location"])
    html = assert_ours(codes)
    assert "Your recovery codes</h1>" in html
    assert html.count("<li><code>") == 10
    assert Authenticator.objects.filter(user=cast.clinician, type="totp").exists()
    assert "On: signing in asks for a code" in assert_ours(client.get(reverse("mfa_index")))
    assert "Make new recovery codes?</h1>" in assert_ours(
        client.get(reverse("mfa_generate_recovery_codes"))
    )
    assert "Turn off two-factor sign-in?</h1>" in assert_ours(
        client.get(reverse("mfa_deactivate_totp"))
    )
    # then, next time, signing in asks for a code on our page
    client.logout()
    sign_in(client, cast.clinician)
    challenge = client.get(reverse("mfa_authenticate"))
    assert "One more step</h1>" in assert_ours(challenge)
    # and a recovery code works instead of the app's code
    recovery = codes.context["unused_codes"][0]
    assert client.post(reverse("mfa_authenticate"), {"code": recovery}).status_code == 302
    assert "_auth_user_id" in client.session


def test_confirming_again_offers_the_authenticator_app(client, cast):
    # given a clinician with two-factor sign-in, signed in some time ago
    TOTP.activate(cast.clinician, generate_totp_secret())
    client.force_login(cast.clinician)
    # when a sensitive page asks them to confirm it's them
    html = assert_ours(client.get(reverse("account_reauthenticate")))
    # then they may type their password or use the app, on our pages
    assert '<label for="id_password">Your password</label>' in html
    assert reverse("mfa_reauthenticate") in html
    html = assert_ours(client.get(reverse("mfa_reauthenticate")))
    assert "First, confirm it's you</h1>" in html


def test_an_emailed_confirmation_link_opens_our_page_and_confirms(client, cast):
    # given a client who added a second address and was sent a link for it
    address = EmailAddress.objects.create(
        user=cast.client, email="sam.other@north.test", verified=False, primary=False
    )
    key = EmailConfirmationHMAC(address).key
    client.force_login(cast.client)
    url = reverse("account_confirm_email", args=[key])
    # when they open it
    html = assert_ours(client.get(url))
    assert "Confirm your e-mail address</h1>" in html and "sam.other@north.test" in html
    # and confirm
    client.post(url)
    # then the address is confirmed
    address.refresh_from_db()
    assert address.verified
