"""Sign-in with e-mail and password, throttling, sign-out and session expiry."""

from __future__ import annotations

from django.conf import settings
from django.urls import reverse

from tests.cast import PASSWORD


def test_the_sign_in_page_asks_for_email_and_password(client, db):
    page = client.get("/login/").content.decode()
    assert '<label for="id_login">Email</label>' in page
    assert '<label for="id_password">Password</label>' in page
    assert ">Sign in</button>" in page


def test_a_client_signs_in_and_lands_on_today(client, cast):
    response = client.post("/login/", {"login": "client@north.test", "password": PASSWORD})
    assert response.status_code == 302
    assert client.get("/", follow=True).redirect_chain[-1][0] == reverse("program:today")


def test_each_role_lands_where_their_work_is(client, cast):
    expected = {
        cast.clinician: reverse("caseload:list"),
        cast.admin: reverse("clinics:manage_index"),
        cast.ally_all: reverse("connect:ally_home"),
    }
    for user, target in expected.items():
        client.force_login(user)
        assert client.get("/")["Location"] == target


def test_a_wrong_password_changes_nothing_and_says_so(client, cast):
    response = client.post("/login/", {"login": "client@north.test", "password": "wrong"})
    assert response.status_code == 200
    assert "not correct" in response.content.decode()
    assert "_auth_user_id" not in client.session


def test_repeated_failures_are_throttled(client, cast):
    for _ in range(5):
        client.post("/login/", {"login": "client@north.test", "password": "wrong"})
    # even the right password is refused for a while now
    response = client.post("/login/", {"login": "client@north.test", "password": PASSWORD})
    assert "_auth_user_id" not in client.session
    assert response.status_code in (200, 429)
    assert "Too many" in response.content.decode()


def test_sessions_expire(client, cast):
    client.post("/login/", {"login": "client@north.test", "password": PASSWORD})
    assert 0 < client.session.get_expiry_age() <= settings.SESSION_COOKIE_AGE
    assert settings.SESSION_COOKIE_AGE <= 24 * 3600


def test_sign_out(client, cast):
    client.force_login(cast.client)
    client.post(reverse("account_logout"))
    assert client.get(reverse("program:today"))["Location"].startswith("/login/")


def test_sign_up_is_closed(client, db):
    response = client.post(
        reverse("account_signup"), {"email": "walk@in.test", "password1": "a-long-good-password"}
    )
    from waypost.accounts.models import User

    assert not User.objects.filter(email="walk@in.test").exists()
    assert response.status_code in (200, 403)


def test_password_reset_mail_is_discreet(client, cast):
    from django.core import mail

    client.post(reverse("account_reset_password"), {"email": "client@north.test"})
    assert len(mail.outbox) == 1
    subject = mail.outbox[0].subject.lower()
    for word in ("porn", "sex", "addiction", "recovery", "therapy"):
        assert word not in subject
