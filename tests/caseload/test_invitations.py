"""Pending client invitations on the caseload: the sender sees them, resends or withdraws."""

from __future__ import annotations

import re
from datetime import timedelta

import pytest
import time_machine
from django.core import mail
from django.test import Client
from django.urls import reverse
from django.utils import timezone

from waypost.accounts.models import Invitation
from waypost.accounts.services import accept_invitation, create_invitation

pytestmark = pytest.mark.django_db

CASELOAD = reverse("caseload:list")


def _invite(cast, email="nia@new.test", name="Nia Newcomer") -> tuple[Invitation, str]:
    return create_invitation(
        kind=Invitation.Kind.CLIENT, clinic=cast.clinic, email=email, name=name, by=cast.clinician
    )


def _link_in(message) -> str:
    found = re.search(r"/invite/([^/\s]+)/", message.body)
    assert found, message.body
    return found.group(1)


def _signed_in(client, user):
    client.force_login(user)
    return client


def test_the_clinician_who_sent_it_sees_it_waiting_on_the_caseload(cast, client):
    # given an invitation the clinician sent
    _invite(cast)
    # when they open their caseload
    page = _signed_in(client, cast.clinician).get(CASELOAD).content.decode()
    # then it is listed, with resend and withdraw
    assert "Invitations waiting" in page
    assert "Nia Newcomer" in page and "nia@new.test" in page
    assert "Resend" in page and "Withdraw" in page


def test_another_clinician_does_not_see_it(cast, client):
    # given an invitation sent by the client's clinician
    _invite(cast)
    # when another clinician of the same clinic opens their caseload
    page = _signed_in(client, cast.other_clinician).get(CASELOAD).content.decode()
    # then it is not there
    assert "nia@new.test" not in page
    assert "Invitations waiting" not in page


def test_used_and_withdrawn_invitations_are_not_listed(cast, client):
    # given one invitation accepted and one withdrawn
    _used, token = _invite(cast, email="joined@new.test")
    accept_invitation(raw_token=token, name="Jo", password="a-long-good-password")
    gone, _token = _invite(cast, email="gone@new.test")
    _signed_in(client, cast.clinician).post(reverse("caseload:withdraw_invitation", args=[gone.pk]))
    client.get(CASELOAD)  # the "withdrawn" message is shown once, here
    # then neither is waiting
    page = client.get(CASELOAD).content.decode()
    assert "joined@new.test" not in page
    assert "gone@new.test" not in page


def test_resend_sends_a_new_link_and_the_old_one_stops_working(cast, client):
    # given an invitation whose e-mail the client cannot find
    invitation, old_token = _invite(cast)
    mail.outbox.clear()
    # when the clinician presses Resend
    response = _signed_in(client, cast.clinician).post(
        reverse("caseload:resend_invitation", args=[invitation.pk]), follow=True
    )
    # then they are told a new link is on its way
    assert "A new link is on its way to nia@new.test" in response.content.decode()
    # and a new e-mail went out with a different link
    assert len(mail.outbox) == 1
    assert mail.outbox[0].to == ["nia@new.test"]
    new_token = _link_in(mail.outbox[0])
    assert new_token != old_token
    # and the old link no longer works, while the new one does
    stranger = Client()
    old = stranger.get(reverse("accounts:invitation", args=[old_token]))
    assert old.status_code == 410
    assert "sent a newer one" in old.content.decode()
    assert stranger.get(reverse("accounts:invitation", args=[new_token])).status_code == 200
    # and only the new one is listed as waiting, with the same name and clinician
    waiting = Invitation.objects.get(email="nia@new.test", revoked_at__isnull=True)
    assert waiting.name == "Nia Newcomer"
    assert waiting.primary_clinician == cast.clinician_profile


def test_an_expired_invitation_is_marked_and_can_be_sent_again(cast, client):
    # given an invitation whose link has expired
    invitation, _token = _invite(cast)
    later = timezone.now() + timedelta(days=30)
    with time_machine.travel(later):
        page = _signed_in(client, cast.clinician).get(CASELOAD).content.decode()
        # then the caseload says so
        assert "link expired" in page
        # and Resend gives a link that works for the usual days from now
        client.post(reverse("caseload:resend_invitation", args=[invitation.pk]))
        fresh = Invitation.objects.get(email="nia@new.test", revoked_at__isnull=True)
        assert fresh.expires_at > later


def test_withdraw_stops_the_link_and_is_recorded(cast, client):
    # given a waiting invitation
    invitation, token = _invite(cast)
    # when the clinician withdraws it
    response = _signed_in(client, cast.clinician).post(
        reverse("caseload:withdraw_invitation", args=[invitation.pk]), follow=True
    )
    # then they are told, the row keeps when it was withdrawn
    assert "Invitation to nia@new.test withdrawn." in response.content.decode()
    invitation.refresh_from_db()
    assert invitation.revoked_at is not None
    # and the link no longer works
    assert Client().get(reverse("accounts:invitation", args=[token])).status_code == 410


def test_withdrawing_twice_changes_nothing_and_says_so(cast, client):
    invitation, _token = _invite(cast)
    url = reverse("caseload:withdraw_invitation", args=[invitation.pk])
    _signed_in(client, cast.clinician).post(url)
    first = Invitation.objects.get(pk=invitation.pk).revoked_at
    response = client.post(url, follow=True)
    assert "nothing changed" in response.content.decode()
    assert Invitation.objects.get(pk=invitation.pk).revoked_at == first


def test_a_used_invitation_cannot_be_resent(cast, client):
    invitation, token = _invite(cast)
    accept_invitation(raw_token=token, name="Nia", password="a-long-good-password")
    mail.outbox.clear()
    response = _signed_in(client, cast.clinician).post(
        reverse("caseload:resend_invitation", args=[invitation.pk]), follow=True
    )
    assert "has already accepted" in response.content.decode()
    assert mail.outbox == []


@pytest.mark.parametrize("role", ["other_clinician", "foreign_clinician", "admin", "client"])
@pytest.mark.parametrize("action", ["resend_invitation", "withdraw_invitation"])
def test_nobody_but_the_sender_may_resend_or_withdraw(cast, client, role, action):
    # given the clinician's invitation
    invitation, _token = _invite(cast)
    mail.outbox.clear()
    # when someone else tries
    response = _signed_in(client, cast.role(role)).post(
        reverse(f"caseload:{action}", args=[invitation.pk])
    )
    # then they are refused and nothing changed
    assert response.status_code in (403, 404)
    invitation.refresh_from_db()
    assert invitation.revoked_at is None
    assert mail.outbox == []


def test_changes_are_post_only_and_need_the_csrf_token(cast):
    invitation, _token = _invite(cast)
    browser = Client(enforce_csrf_checks=True)
    browser.force_login(cast.clinician)
    url = reverse("caseload:withdraw_invitation", args=[invitation.pk])
    assert browser.get(url).status_code == 405
    assert browser.post(url).status_code == 403
    invitation.refresh_from_db()
    assert invitation.revoked_at is None
