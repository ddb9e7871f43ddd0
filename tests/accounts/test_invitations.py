"""Single-use, expiring invitations give people their roles."""

from __future__ import annotations

from datetime import timedelta

import pytest
import time_machine
from django.core import mail
from django.core.exceptions import PermissionDenied
from django.urls import reverse
from django.utils import timezone

from waypost.accounts.models import Invitation, User
from waypost.accounts.services import InvitationError, accept_invitation, create_invitation
from waypost.clinics.models import ClinicAdmin, ClinicianProfile
from waypost.connect.models import AllyLink
from waypost.program.models import Enrollment


def test_a_clinician_invites_a_client_who_joins_with_them_as_clinician(client, cast):
    # given a clinician's invitation
    _invitation, token = create_invitation(
        kind="client", clinic=cast.clinic, email="New@Person.test", name="Nia", by=cast.clinician
    )
    # then a discreet e-mail went out with the link
    assert len(mail.outbox) == 1
    assert mail.outbox[0].subject == "Your Waypost invitation"
    assert token in mail.outbox[0].body
    # when the person opens it and chooses a password
    url = reverse("accounts:invitation", args=[token])
    assert client.get(url).status_code == 200
    response = client.post(url, {"name": "Nia N.", "password": "a-long-good-password"})
    # then they are signed in, enrolled in stage 1 with that clinician
    assert response.status_code == 302
    user = User.objects.get(email="new@person.test")
    enrollment = Enrollment.objects.get(client=user)
    assert enrollment.stage == 1
    assert enrollment.primary_clinician == cast.clinician_profile
    assert client.get(reverse("program:today")).status_code == 200


def test_an_invitation_works_only_once(client, cast):
    _inv, token = create_invitation(
        kind="client", clinic=cast.clinic, email="once@x.test", by=cast.clinician, send=False
    )
    url = reverse("accounts:invitation", args=[token])
    client.post(url, {"name": "Once", "password": "a-long-good-password"})
    client.logout()
    response = client.get(url)
    assert response.status_code == 410
    assert "already been used" in response.content.decode()
    assert User.objects.filter(email="once@x.test").count() == 1


def test_an_expired_invitation_is_refused_kindly(client, cast):
    _inv, token = create_invitation(
        kind="client", clinic=cast.clinic, email="late@x.test", by=cast.clinician, send=False
    )
    with time_machine.travel(timezone.now() + timedelta(days=8)):
        response = client.post(
            reverse("accounts:invitation", args=[token]),
            {"name": "Late", "password": "a-long-good-password"},
        )
    assert response.status_code == 410
    assert "expired" in response.content.decode()
    assert not User.objects.filter(email="late@x.test").exists()


def test_an_unknown_token_gets_a_plain_page(client, db):
    response = client.get(reverse("accounts:invitation", args=["nope"]))
    assert response.status_code == 404
    assert "not valid" in response.content.decode()


def test_a_weak_password_is_explained_and_the_invitation_stays_usable(client, cast):
    _inv, token = create_invitation(
        kind="client", clinic=cast.clinic, email="weak@x.test", by=cast.clinician, send=False
    )
    url = reverse("accounts:invitation", args=[token])
    response = client.post(url, {"name": "Weak", "password": "123"})
    assert response.status_code == 200
    assert "too short" in response.content.decode()
    assert not User.objects.filter(email="weak@x.test").exists()
    assert Invitation.objects.get(email="weak@x.test").accepted_at is None


def test_an_existing_account_accepts_while_signed_in(client, cast):
    # given the other clinician is invited as admin
    _inv, token = create_invitation(
        kind="admin", clinic=cast.clinic, email=cast.other_clinician.email, by=cast.admin
    )
    url = reverse("accounts:invitation", args=[token])
    # when not signed in, they are asked to sign in first
    response = client.post(url, {"name": "Otto", "password": "a-long-good-password"})
    assert response.status_code == 409
    assert "sign in" in response.content.decode().lower()
    # when signed in as that person
    client.force_login(cast.other_clinician)
    client.post(url)
    # then they gain the role, keeping their other one
    assert ClinicAdmin.objects.filter(user=cast.other_clinician, clinic=cast.clinic).exists()
    assert ClinicianProfile.objects.filter(user=cast.other_clinician).exists()


def test_an_invitation_for_someone_else_is_refused(client, cast):
    _inv, token = create_invitation(
        kind="admin", clinic=cast.clinic, email="someone@else.test", by=cast.admin, send=False
    )
    client.force_login(cast.clinician)
    response = client.post(reverse("accounts:invitation", args=[token]))
    assert response.status_code == 409
    assert not ClinicAdmin.objects.filter(user=cast.clinician).exists()
    assert Invitation.objects.get(email="someone@else.test").accepted_at is None


def test_a_client_invites_an_ally_with_the_scopes_chosen_first(client, cast):
    _inv, token = create_invitation(
        kind="ally",
        clinic=cast.clinic,
        email="partner@x.test",
        enrollment=cast.enrollment,
        scopes=["journey"],
        relationship="Partner",
        by=cast.client,
    )
    page = client.get(reverse("accounts:invitation", args=[token])).content.decode()
    assert "Journey" in page
    client.post(
        reverse("accounts:invitation", args=[token]),
        {"name": "Pat", "password": "a-long-good-password"},
    )
    link = AllyLink.objects.get(ally__email="partner@x.test")
    assert link.scopes == ["journey"]
    assert link.relationship == "Partner"


@pytest.mark.parametrize(
    ("kind", "who"),
    [
        ("clinician", "clinician"),  # only admins invite staff
        ("admin", "foreign_clinician"),
        ("client", "admin"),  # only clinicians invite clients
        ("client", "foreign_clinician"),  # not into another clinic
    ],
)
def test_only_the_right_role_may_invite(cast, kind, who):
    with pytest.raises(PermissionDenied):
        create_invitation(kind=kind, clinic=cast.clinic, email="x@x.test", by=getattr(cast, who))
    assert not Invitation.objects.filter(email="x@x.test").exists()


def test_only_the_client_may_invite_their_allies(cast):
    with pytest.raises(PermissionDenied):
        create_invitation(
            kind="ally",
            clinic=cast.clinic,
            email="x@x.test",
            enrollment=cast.enrollment,
            scopes=[],
            by=cast.clinician,
        )


def test_unknown_scopes_are_refused(cast):
    with pytest.raises(ValueError, match="unknown consent scope"):
        create_invitation(
            kind="ally",
            clinic=cast.clinic,
            email="x@x.test",
            enrollment=cast.enrollment,
            scopes=["everything"],
            by=cast.client,
        )


def test_accepting_twice_at_once_grants_one_role(cast):
    _inv, token = create_invitation(
        kind="client", clinic=cast.clinic, email="race@x.test", by=cast.clinician, send=False
    )
    accept_invitation(raw_token=token, name="Race", password="a-long-good-password")
    with pytest.raises(InvitationError):
        accept_invitation(raw_token=token, name="Race", password="a-long-good-password")
    assert Enrollment.objects.filter(client__email="race@x.test").count() == 1
