"""A new client's welcome: once, skippable, never in the way of help, readable again."""

from __future__ import annotations

import pytest
from django.core.exceptions import PermissionDenied
from django.urls import reverse

from tests.cast import make_user
from waypost.accounts.services import create_invitation
from waypost.program.models import Enrollment
from waypost.program.services import enroll_client, mark_welcomed

pytestmark = pytest.mark.django_db

WELCOME = reverse("program:welcome")
TODAY = reverse("program:today")
CARD = "New here? Start with the welcome"


@pytest.fixture
def newcomer(cast):
    """A client enrolled just now who has not seen the welcome."""
    user = make_user("new@north.test", "Nia Newcomer")
    return enroll_client(client=user, clinician_profile=cast.clinician_profile, by=cast.clinician)


def test_accepting_an_invitation_lands_on_the_welcome(cast, client):
    # given a clinician's invitation
    _inv, token = create_invitation(
        kind="client", clinic=cast.clinic, email="nia@new.test", by=cast.clinician, send=False
    )
    # when the person accepts it
    response = client.post(
        reverse("accounts:invitation", args=[token]),
        {"name": "Nia", "password": "a-long-good-password"},
    )
    # then they land on the welcome
    assert response.status_code == 302
    assert response["Location"] == WELCOME


def test_the_welcome_says_what_who_sees_what_where_help_is_and_three_first_things(
    cast, client, newcomer
):
    client.force_login(newcomer.client)
    page = client.get(WELCOME).content.decode()
    # what Waypost is, with their clinician and clinic
    assert "private companion for the work you do with Cleo Clinician at North Clinic" in page
    # who sees what
    assert "Who sees what" in page
    assert "see only what you choose to share with them" in page
    # help, and the button itself one tap away in the header
    assert "one tap away" in page
    assert f'href="{reverse("help")}"' in page
    # three things to do first, each a link
    for name in ("assessments:measures", "intake:overview", "safety:my_plan"):
        assert f'href="{reverse(name)}"' in page
    # and it can be skipped
    assert 'name="skip"' in page


def test_opening_the_welcome_writes_nothing(cast, client, newcomer):
    client.force_login(newcomer.client)
    client.get(WELCOME)
    newcomer.refresh_from_db()
    assert newcomer.welcomed_at is None


def test_skipping_stores_that_it_was_seen_and_lands_on_today(cast, client, newcomer):
    # given a newcomer on the welcome
    client.force_login(newcomer.client)
    # when they skip it
    response = client.post(WELCOME, {"skip": "1"}, follow=True)
    # then they are on Today, told where to find it again, and it is not offered again
    assert response.redirect_chain[-1][0] == TODAY
    page = response.content.decode()
    assert "You can read the welcome again from Me" in page
    assert CARD not in page
    newcomer.refresh_from_db()
    assert newcomer.welcomed_at is not None


def test_today_offers_the_welcome_until_it_is_closed(cast, client, newcomer):
    client.force_login(newcomer.client)
    # given a newcomer who left the welcome without closing it
    # then Today offers it, with a one-tap skip
    assert CARD in client.get(TODAY).content.decode()
    # when they read it to the end and go to Today
    client.post(WELCOME)
    # then it is no longer offered
    assert CARD not in client.get(TODAY).content.decode()


def test_it_can_be_read_again_from_me_without_a_skip_button(cast, client, newcomer):
    # given a client who closed the welcome long ago
    mark_welcomed(enrollment=newcomer, by=newcomer.client)
    seen_at = Enrollment.objects.get(pk=newcomer.pk).welcomed_at
    client.force_login(newcomer.client)
    # then "Me" links to it
    assert f'href="{WELCOME}"' in client.get(reverse("accounts:account")).content.decode()
    # and it reads the same, with a plain way back to Today
    page = client.get(WELCOME).content.decode()
    assert "Who sees what" in page
    assert 'name="skip"' not in page
    # and closing it again keeps the first time
    client.post(WELCOME)
    assert Enrollment.objects.get(pk=newcomer.pk).welcomed_at == seen_at


def test_staff_have_no_welcome_link_on_their_account_page(cast, client):
    client.force_login(cast.clinician)
    assert WELCOME not in client.get(reverse("accounts:account")).content.decode()


def test_only_the_client_closes_their_welcome(cast):
    # when their clinician tries to mark it seen for them
    with pytest.raises(PermissionDenied):
        mark_welcomed(enrollment=cast.enrollment, by=cast.clinician)
    # then nothing changed
    cast.enrollment.refresh_from_db()
    assert cast.enrollment.welcomed_at is None
