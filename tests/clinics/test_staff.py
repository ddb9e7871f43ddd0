"""The clinic admin invites clinicians and admins, withdraws invitations, switches roles off."""

from __future__ import annotations

from datetime import timedelta

from django.core import mail
from django.urls import reverse
from django.utils import timezone

from waypost.access.policy import Action, can
from waypost.accounts.models import Invitation
from waypost.accounts.services import accept_invitation, create_invitation
from waypost.clinics.models import ClinicianProfile


def _url(name: str, cast, **extra) -> str:
    return reverse(f"clinics:{name}", kwargs={"slug": cast.clinic.slug, **extra})


def _other_profile(cast) -> ClinicianProfile:
    return ClinicianProfile.objects.get(user=cast.other_clinician, clinic=cast.clinic)


def test_the_staff_page_lists_clinicians_admins_and_waiting_invitations(cast, as_admin):
    # given
    create_invitation(
        kind=Invitation.Kind.CLINICIAN, clinic=cast.clinic, email="nia@north.test", by=cast.admin
    )
    # when
    body = as_admin.get(_url("staff", cast)).content.decode()
    # then
    assert "Cleo Clinician" in body
    assert "Otto Other" in body
    assert "Ada Admin" in body
    assert "nia@north.test" in body
    assert "Fern Foreign" not in body


def test_the_admin_invites_a_clinician_by_email(cast, as_admin):
    # when
    response = as_admin.post(
        _url("invite", cast), {"kind": "clinician", "name": "Nia New", "email": "Nia@North.test"}
    )
    # then
    assert response.status_code == 302
    invitation = Invitation.objects.get(email="nia@north.test")
    assert (invitation.kind, invitation.clinic, invitation.name) == (
        "clinician",
        cast.clinic,
        "Nia New",
    )
    assert len(mail.outbox) == 1
    assert mail.outbox[0].subject == "Your Waypost invitation"


def test_the_admin_invites_another_admin(cast, as_admin):
    # when
    as_admin.post(_url("invite", cast), {"kind": "admin", "name": "Ari", "email": "ari@x.test"})
    # then
    assert Invitation.objects.get(email="ari@x.test").kind == Invitation.Kind.ADMIN


def test_inviting_as_a_client_or_ally_is_refused(cast, as_admin):
    # when
    response = as_admin.post(
        _url("invite", cast), {"kind": "client", "name": "Cal", "email": "cal@x.test"}
    )
    # then
    assert response.status_code == 400
    assert not Invitation.objects.filter(email="cal@x.test").exists()


def test_a_bad_email_is_refused_with_a_message(cast, as_admin):
    # when
    response = as_admin.post(
        _url("invite", cast), {"kind": "clinician", "name": "X", "email": "not-mail"}
    )
    # then
    assert response.status_code == 400
    assert "Enter a valid email address." in response.content.decode()
    assert not Invitation.objects.exists()


def test_someone_already_on_staff_is_not_invited_again(cast, as_admin):
    # when
    response = as_admin.post(
        _url("invite", cast),
        {"kind": "clinician", "name": "Cleo", "email": "clinician@north.test"},
    )
    # then
    assert response.status_code == 400
    assert "already a clinician here" in response.content.decode()
    assert not Invitation.objects.exists()


def test_a_second_invitation_to_the_same_address_waits_for_the_first(cast, as_admin):
    # given
    as_admin.post(_url("invite", cast), {"kind": "clinician", "name": "N", "email": "n@x.test"})
    # when
    response = as_admin.post(
        _url("invite", cast), {"kind": "clinician", "name": "N", "email": "n@x.test"}
    )
    # then
    assert response.status_code == 400
    assert "already waiting" in response.content.decode()
    assert Invitation.objects.filter(email="n@x.test").count() == 1


def test_any_admin_of_the_clinic_may_withdraw_a_staff_invitation(cast, as_admin):
    # given: another admin of north sent it
    from tests.cast import make_user
    from waypost.clinics.models import ClinicAdmin

    colleague = make_user("admin2@north.test", "Abe Admin")
    ClinicAdmin.objects.create(user=colleague, clinic=cast.clinic)
    invitation, raw = create_invitation(
        kind=Invitation.Kind.CLINICIAN, clinic=cast.clinic, email="n@x.test", by=colleague
    )
    # when
    response = as_admin.post(
        _url("revoke_invitation", cast, invitation_id=invitation.pk), follow=True
    )
    # then
    assert "Invitation to n@x.test withdrawn." in response.content.decode()
    invitation.refresh_from_db()
    assert invitation.revoked_at is not None
    assert "n@x.test" not in as_admin.get(_url("staff", cast)).content.decode()


def test_a_used_invitation_cannot_be_withdrawn(cast, as_admin):
    # given
    invitation, raw = create_invitation(
        kind=Invitation.Kind.CLINICIAN, clinic=cast.clinic, email="n@x.test", by=cast.admin
    )
    accept_invitation(raw_token=raw, name="Nia", password="a-long-test-password-2")
    # when
    response = as_admin.post(
        _url("revoke_invitation", cast, invitation_id=invitation.pk), follow=True
    )
    # then
    assert "already been used" in response.content.decode()
    invitation.refresh_from_db()
    assert invitation.revoked_at is None


def test_a_clients_invitation_is_not_the_admins_to_withdraw(cast, as_admin):
    # given
    invitation, _raw = create_invitation(
        kind=Invitation.Kind.CLIENT, clinic=cast.clinic, email="c@x.test", by=cast.clinician
    )
    # when
    response = as_admin.post(_url("revoke_invitation", cast, invitation_id=invitation.pk))
    # then
    assert response.status_code == 404
    invitation.refresh_from_db()
    assert invitation.revoked_at is None


def test_the_admin_of_another_clinic_cannot_withdraw_norths_invitations(cast, as_south_admin):
    # given
    invitation, _raw = create_invitation(
        kind=Invitation.Kind.CLINICIAN, clinic=cast.clinic, email="n@x.test", by=cast.admin
    )
    # when
    inside_north = as_south_admin.post(_url("revoke_invitation", cast, invitation_id=invitation.pk))
    via_south = as_south_admin.post(
        reverse(
            "clinics:revoke_invitation", kwargs={"slug": "south", "invitation_id": invitation.pk}
        )
    )
    # then
    assert inside_north.status_code == 403
    assert via_south.status_code == 404
    invitation.refresh_from_db()
    assert invitation.revoked_at is None


def test_an_expired_invitation_is_not_listed_as_waiting(cast, as_admin):
    # given
    invitation, _raw = create_invitation(
        kind=Invitation.Kind.CLINICIAN, clinic=cast.clinic, email="old@x.test", by=cast.admin
    )
    Invitation.objects.filter(pk=invitation.pk).update(
        expires_at=timezone.now() - timedelta(days=1)
    )
    # then
    assert "old@x.test" not in as_admin.get(_url("staff", cast)).content.decode()


def test_switching_off_a_clinician_asks_first_then_takes_the_role_away(cast, as_admin):
    # given
    profile = _other_profile(cast)
    url = _url("deactivate_clinician", cast, profile_id=profile.pk)
    # when
    question = as_admin.get(url)
    # then
    assert question.status_code == 200
    assert "Switch off Otto Other?" in question.content.decode()
    profile.refresh_from_db()
    assert profile.is_active
    # when
    as_admin.post(url)
    # then
    profile.refresh_from_db()
    assert not profile.is_active
    assert not can(cast.other_clinician, Action.INVITE_CLIENT, cast.clinic)


def test_a_clinician_with_active_clients_is_not_switched_off(cast, as_admin):
    # when
    response = as_admin.post(
        _url("deactivate_clinician", cast, profile_id=cast.clinician_profile.pk), follow=True
    )
    # then
    assert "still the clinician of 1 active client" in response.content.decode()
    cast.clinician_profile.refresh_from_db()
    assert cast.clinician_profile.is_active


def test_a_switched_off_clinician_can_be_switched_back_on(cast, as_admin):
    # given
    profile = _other_profile(cast)
    as_admin.post(_url("deactivate_clinician", cast, profile_id=profile.pk))
    # when
    as_admin.post(_url("reactivate_clinician", cast, profile_id=profile.pk))
    # then
    profile.refresh_from_db()
    assert profile.is_active


def test_inviting_a_switched_off_clinician_points_to_switching_them_back_on(cast, as_admin):
    # given
    profile = _other_profile(cast)
    as_admin.post(_url("deactivate_clinician", cast, profile_id=profile.pk))
    # when
    response = as_admin.post(
        _url("invite", cast), {"kind": "clinician", "name": "Otto", "email": "other@north.test"}
    )
    # then
    assert response.status_code == 400
    assert "switch it back on" in response.content.decode()


def test_another_clinics_clinician_is_not_found(cast, as_admin):
    # given
    foreign = ClinicianProfile.objects.get(user=cast.foreign_clinician)
    # when
    response = as_admin.post(_url("deactivate_clinician", cast, profile_id=foreign.pk))
    # then
    assert response.status_code == 404
    foreign.refresh_from_db()
    assert foreign.is_active


def test_the_admin_of_another_clinic_cannot_switch_off_norths_clinicians(cast, as_south_admin):
    # given
    profile = _other_profile(cast)
    # when
    response = as_south_admin.post(_url("deactivate_clinician", cast, profile_id=profile.pk))
    # then
    assert response.status_code == 403
    profile.refresh_from_db()
    assert profile.is_active
