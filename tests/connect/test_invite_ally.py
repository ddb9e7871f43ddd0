"""A client invites an ally: what to share first, then who; the ally accepts by link."""

from __future__ import annotations

import re

import pytest
from django.core import mail
from django.urls import reverse

from waypost.accounts.models import Invitation
from waypost.connect.models import AllyLink

pytestmark = pytest.mark.django_db

URL = reverse("connect:invite")


def _post(browser, **overrides):
    data = {
        "scopes": ["journey"],
        "name": "Jo",
        "email": "jo@elsewhere.test",
        "relationship": "friend",
    }
    data.update(overrides)
    return browser.post(URL, data)


def test_the_form_shows_the_scopes_first_with_nothing_ticked(cast, as_user):
    # given a signed-in client
    browser = as_user(cast.client)
    # when they open the invitation form
    page = browser.get(URL).content.decode()
    # then every scope is offered with its explanation, before the name field, unticked
    assert 'value="journey"' in page and 'value="care_team"' in page
    assert "Which of the four stages you are in" in page
    assert page.index('name="scopes"') < page.index('name="name"')
    assert not re.search(r"<input[^>]* checked", page)


def test_a_valid_invitation_is_sent_with_the_chosen_scopes(cast, as_user):
    # given a signed-in client
    browser = as_user(cast.client)
    # when they invite a friend to see their journey
    response = _post(browser, scopes=["journey"], email="Jo@Elsewhere.test")
    # then an invitation holds exactly that consent and an e-mail goes out
    assert response.status_code == 302
    invitation = Invitation.objects.get(email="jo@elsewhere.test")
    assert invitation.kind == Invitation.Kind.ALLY
    assert invitation.enrollment == cast.enrollment
    assert invitation.scopes == ["journey"]
    assert invitation.relationship == "friend"
    assert len(mail.outbox) == 1
    assert mail.outbox[0].subject == "Your Waypost invitation"
    # and the message names the client but not their clinic, whose name may say too much
    assert cast.client.name in mail.outbox[0].body
    assert cast.enrollment.clinic.name not in mail.outbox[0].body
    assert cast.enrollment.timeline.filter(kind="connect.ally_invited").exists()


def test_the_waiting_invitation_is_listed_with_what_it_would_share(cast, as_user):
    # given a client who invited someone
    browser = as_user(cast.client)
    _post(browser, scopes=["care_team"], name="Jo")
    # when they look at their allies
    page = browser.get(reverse("connect:allies")).content.decode()
    # then the invitation is there, saying what would be shared, with a withdraw button
    assert "Invitations waiting" in page
    assert "If they accept, they will see: <strong>Care team</strong>" in page
    assert "Withdraw invitation" in page


def test_an_invitation_may_share_nothing_at_first(cast, as_user):
    # given a signed-in client
    browser = as_user(cast.client)
    # when they tick nothing
    response = _post(browser, scopes=[])
    # then the invitation is sent with no scopes
    assert response.status_code == 302
    assert Invitation.objects.get(email="jo@elsewhere.test").scopes == []


@pytest.mark.parametrize(
    "overrides",
    [
        {"scopes": ["journey", "browsing_history"]},
        {"scopes": ["<script>"]},
        {"email": "not-an-address"},
        {"name": ""},
        {"relationship": "landlord"},
    ],
    ids=["unknown-scope", "junk-scope", "bad-email", "no-name", "unknown-relationship"],
)
def test_bad_input_gets_a_message_and_sends_nothing(cast, as_user, overrides):
    # given a signed-in client
    browser = as_user(cast.client)
    # when the form comes back with something wrong
    response = _post(browser, **overrides)
    # then they see a message and nothing is created or sent
    assert response.status_code == 400
    assert b'class="errorlist"' in response.content
    assert not Invitation.objects.exists()
    assert not mail.outbox


@pytest.mark.parametrize(
    ("email", "message"),
    [
        ("client@north.test", "your own e-mail address"),
        ("ally-all@north.test", "already your ally"),
    ],
)
def test_it_refuses_their_own_address_and_an_existing_ally(cast, as_user, email, message):
    # given a signed-in client
    browser = as_user(cast.client)
    # when they invite themselves or someone already sharing with them
    response = _post(browser, email=email)
    # then a kind message explains, and nothing is sent
    assert response.status_code == 400
    assert message in response.content.decode()
    assert not Invitation.objects.exists()


def test_it_refuses_a_second_invitation_to_the_same_address(cast, as_user):
    # given a client with an invitation still waiting
    browser = as_user(cast.client)
    _post(browser)
    # when they invite the same address again
    response = _post(browser, email="JO@elsewhere.test")
    # then they are told to withdraw the first one
    assert response.status_code == 400
    assert "already invited this address" in response.content.decode()
    assert Invitation.objects.count() == 1


@pytest.mark.parametrize("role", ["clinician", "other_clinician", "admin", "ally_all"])
def test_only_a_client_may_invite_an_ally(cast, as_user, role):
    # given someone who is not a client
    browser = as_user(getattr(cast, role))
    # when they try to invite an ally
    response = _post(browser)
    # then they are refused and nothing is created
    assert response.status_code == 403
    assert not Invitation.objects.exists()


def test_the_invited_person_accepts_and_sees_only_what_was_chosen(cast, as_user, client):
    # given a client who invited a friend to see their journey
    browser = as_user(cast.client)
    _post(browser, scopes=["journey"], name="Jo", relationship="friend")
    url = re.search(r"https?://\S+/invite/\S+/", mail.outbox[0].body).group(0)
    path = url[url.index("/invite/") :]
    client.logout()
    # when the friend opens the link and joins
    page = client.get(path).content.decode()
    assert "Journey" in page
    response = client.post(path, {"name": "Jo", "password": "a-long-new-password-1"})
    # then they are the client's ally with exactly that consent
    assert response.status_code == 302
    link = AllyLink.objects.get(ally__email="jo@elsewhere.test")
    assert link.enrollment == cast.enrollment
    assert link.scopes == ["journey"]
    assert link.relationship == "friend"
    shared = client.get(reverse("connect:ally_shared", kwargs={"link_id": link.pk}))
    text = shared.content.decode()
    assert "Sam Client shares with you: <strong>Journey</strong>" in text
    assert "Cleo Clinician" not in text
