"""The clinician's caseload and client record: checklist, history and the stage form."""

from __future__ import annotations

from django.core import mail
from django.urls import reverse

from waypost.accounts.models import Invitation
from waypost.core.models import AuditEvent


def test_the_caseload_lists_only_the_clinicians_own_clients(client, cast):
    client.force_login(cast.clinician)
    page = client.get(reverse("caseload:list")).content.decode()
    assert "Sam Client" in page
    assert "Fay Faraway" not in page
    client.force_login(cast.other_clinician)
    assert "Sam Client" not in client.get(reverse("caseload:list")).content.decode()


def test_the_record_shows_the_checklist_history_and_timeline(client, cast):
    client.force_login(cast.clinician)
    page = client.get(reverse("caseload:record", args=[cast.enrollment.pk])).content.decode()
    assert "Stage 2 checklist" in page
    assert "At least 40 days in this stage" in page
    assert "Ready to commit to a plan." in page  # the reason, decrypted for the clinician
    assert "Cleo Clinician" in page
    assert "Timeline" in page


def test_a_stage_change_through_the_form_is_recorded_and_audited(client, cast):
    client.force_login(cast.clinician)
    url = reverse("caseload:change_stage", args=[cast.enrollment.pk])
    response = client.post(url, {"to_stage": "3", "reason": "Wants to try a peer meeting."})
    assert response.status_code == 302
    cast.enrollment.refresh_from_db()
    assert cast.enrollment.stage == 3
    page = client.get(response["Location"]).content.decode()
    assert "Wants to try a peer meeting." in page
    assert "Stage changed and recorded." in page
    assert AuditEvent.objects.filter(actor=cast.clinician, action="change", what="stage").exists()


def test_a_missing_reason_is_explained_and_nothing_changes(client, cast):
    client.force_login(cast.clinician)
    url = reverse("caseload:change_stage", args=[cast.enrollment.pk])
    response = client.post(url, {"to_stage": "3", "reason": ""})
    assert response.status_code == 400
    assert "This field is required." in response.content.decode()
    cast.enrollment.refresh_from_db()
    assert cast.enrollment.stage == 2


def test_a_jump_of_two_stages_is_refused(client, cast):
    client.force_login(cast.clinician)
    url = reverse("caseload:change_stage", args=[cast.enrollment.pk])
    response = client.post(url, {"to_stage": "4", "reason": "Skip ahead"})
    assert response.status_code == 400
    cast.enrollment.refresh_from_db()
    assert cast.enrollment.stage == 2


def test_a_clinician_invites_a_client_from_the_caseload(client, cast):
    client.force_login(cast.clinician)
    response = client.post(reverse("caseload:invite"), {"name": "Nia", "email": "nia@example.test"})
    assert response.status_code == 302
    invitation = Invitation.objects.get(email="nia@example.test")
    assert invitation.kind == "client"
    assert invitation.primary_clinician == cast.clinician_profile
    assert len(mail.outbox) == 1


def test_a_bad_invitation_form_is_explained(client, cast):
    client.force_login(cast.clinician)
    response = client.post(reverse("caseload:invite"), {"name": "", "email": "nope"})
    assert response.status_code == 200
    assert "Enter a valid email address." in response.content.decode()
    assert not Invitation.objects.exists()


def test_inviting_a_current_client_or_inviting_twice_is_explained(client, cast):
    client.force_login(cast.clinician)
    # inviting someone who is already a client here
    response = client.post(
        reverse("caseload:invite"), {"name": "Again", "email": cast.client.email.upper()}
    )
    assert "already a client of this clinic" in response.content.decode()
    assert not Invitation.objects.exists()
    # inviting the same new person twice
    client.post(reverse("caseload:invite"), {"name": "Nia", "email": "nia@example.test"})
    again = client.post(reverse("caseload:invite"), {"name": "Nia", "email": "nia@example.test"})
    assert "already waiting" in again.content.decode()
    assert Invitation.objects.filter(email="nia@example.test").count() == 1


def test_accepting_a_second_client_invitation_changes_nothing(client, cast):
    from waypost.accounts.services import accept_invitation, create_invitation
    from waypost.program.models import Enrollment

    # given a client with an invitation sent to them anyway (e.g. before the check existed)
    _invitation, raw = create_invitation(
        kind=Invitation.Kind.CLIENT,
        clinic=cast.clinic,
        email=cast.client.email,
        name=cast.client.name,
        by=cast.clinician,
        send=False,
    )
    # when they accept it, then nothing breaks and they keep one enrollment
    accept_invitation(raw_token=raw, user=cast.client)
    assert Enrollment.objects.filter(client=cast.client, clinic=cast.clinic).count() == 1


def test_in_the_last_stage_a_step_back_is_never_preselected(client, cast):
    from waypost.program.models import Enrollment

    Enrollment.objects.filter(pk=cast.enrollment.pk).update(stage=4)
    client.force_login(cast.clinician)
    page = client.get(reverse("caseload:record", args=[cast.enrollment.pk])).content.decode()
    form = page[
        page.index('name="to_stage"') : page.index("</select>", page.index('name="to_stage"'))
    ]
    assert '<option value="" selected>' in form
    assert '<option value="3" selected' not in form


def test_a_clinician_at_two_clinics_chooses_where_the_client_joins(client, cast):
    from waypost.clinics.models import ClinicianProfile

    # given the clinician also works at the other clinic
    ClinicianProfile.objects.create(user=cast.clinician, clinic=cast.other_clinic)
    client.force_login(cast.clinician)
    page = client.get(reverse("caseload:invite")).content.decode()
    assert cast.other_clinic.name in page and 'name="clinic"' in page
    # when they invite a client to the other clinic
    response = client.post(
        reverse("caseload:invite"),
        {"name": "Nia", "email": "nia@example.test", "clinic": cast.other_clinic.pk},
    )
    # then the invitation is for that clinic, with them as the clinician there
    assert response.status_code == 302
    invitation = Invitation.objects.get(email="nia@example.test")
    assert invitation.clinic == cast.other_clinic
    assert invitation.primary_clinician.clinic == cast.other_clinic
    # and a clinic they do not work at is refused with a message, creating nothing
    from waypost.clinics.models import Clinic

    stranger = Clinic.objects.create(name="Elsewhere", slug="elsewhere", time_zone="UTC")
    refused = client.post(
        reverse("caseload:invite"),
        {"name": "Ola", "email": "ola@example.test", "clinic": stranger.pk},
    )
    assert refused.status_code == 200
    assert "Select a valid choice" in refused.content.decode()
    assert not Invitation.objects.filter(email="ola@example.test").exists()
