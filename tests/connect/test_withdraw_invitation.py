"""The client withdraws an invitation nobody has used yet."""

from __future__ import annotations

import pytest
from django.urls import reverse

from waypost.accounts.models import Invitation
from waypost.accounts.services import InvitationError, find_invitation
from waypost.connect.services import invite_ally

pytestmark = pytest.mark.django_db


@pytest.fixture
def invitation(cast):
    return invite_ally(
        enrollment=cast.enrollment,
        email="wren@north.test",
        name="Wren",
        relationship="sponsor",
        scopes=["journey"],
        by=cast.client,
    )


def url(invitation):
    return reverse("connect:withdraw_invitation", kwargs={"invitation_id": invitation.pk})


def test_withdrawing_makes_the_link_stop_working(cast, as_user, invitation, mailoutbox):
    # given a waiting invitation and its link
    token = mailoutbox[0].body.split("/invite/")[1].split("/")[0]
    # when the client withdraws it
    response = as_user(cast.client).post(url(invitation), follow=True)
    # then it is revoked, recorded, gone from the list, and the link no longer works
    assert "Invitation withdrawn" in response.content.decode()
    assert "Wren" not in response.content.decode().split("Invitation withdrawn")[1]
    invitation.refresh_from_db()
    assert invitation.revoked_at is not None
    assert cast.enrollment.timeline.filter(kind="connect.invitation_withdrawn").exists()
    with pytest.raises(InvitationError):
        find_invitation(token)


def test_withdrawing_needs_a_post(cast, as_user, invitation):
    response = as_user(cast.client).get(url(invitation))
    assert response.status_code == 405
    assert Invitation.objects.get(pk=invitation.pk).revoked_at is None


@pytest.mark.parametrize("role", ["foreign_client", "clinician", "ally_all"])
def test_nobody_else_can_withdraw_it(cast, as_user, invitation, role):
    response = as_user(getattr(cast, role)).post(url(invitation))
    assert response.status_code == 404
    assert Invitation.objects.get(pk=invitation.pk).revoked_at is None


def test_an_unknown_invitation_is_a_plain_404(cast, as_user):
    response = as_user(cast.client).post(
        reverse("connect:withdraw_invitation", kwargs={"invitation_id": 424242})
    )
    assert response.status_code == 404
