"""The clinic admin sees who is in the program and can give a client another clinician."""

from __future__ import annotations

from django.urls import reverse

from waypost.access.policy import Action, can, forget_roles
from waypost.clinics.models import ClinicianProfile
from waypost.core.models import AuditEvent, TimelineEvent
from waypost.program.models import Enrollment


def _roster(cast) -> str:
    return reverse("clinics:roster", kwargs={"slug": cast.clinic.slug})


def _reassign(cast, enrollment=None) -> str:
    enrollment = enrollment or cast.enrollment
    return reverse(
        "clinics:reassign", kwargs={"slug": cast.clinic.slug, "enrollment_id": enrollment.pk}
    )


def _other_profile(cast) -> ClinicianProfile:
    return ClinicianProfile.objects.get(user=cast.other_clinician, clinic=cast.clinic)


def test_the_roster_shows_name_stage_and_clinician_but_not_the_record(cast, as_admin):
    # when
    response = as_admin.get(_roster(cast))
    # then
    body = response.content.decode()
    assert "Sam Client" in body
    assert "2. Abstinence" in body
    assert "Cleo Clinician" in body
    assert "Fay Faraway" not in body  # south's client
    assert "Ready to commit to a plan." not in body  # the stage change reason
    assert f'href="{reverse("caseload:record", args=[cast.enrollment.pk])}"' not in body


def test_the_admin_gives_a_client_another_clinician(cast, as_admin):
    # given
    other = _other_profile(cast)
    # when
    response = as_admin.post(_reassign(cast), {"clinician": other.pk})
    # then
    assert response.status_code == 302
    cast.enrollment.refresh_from_db()
    assert cast.enrollment.primary_clinician == other
    event = TimelineEvent.objects.filter(
        enrollment=cast.enrollment, kind="program.clinician_changed"
    ).get()
    assert event.actor == cast.admin
    assert event.summary == "New clinician: Otto Other"
    audit = AuditEvent.objects.filter(client=cast.client, what="primary clinician").get()
    assert (audit.actor, audit.action, audit.clinic) == (cast.admin, "change", cast.clinic)
    for user in (cast.clinician, cast.other_clinician):
        forget_roles(user)
    assert can(cast.other_clinician, Action.VIEW_RECORD, cast.enrollment)
    assert not can(cast.clinician, Action.VIEW_RECORD, cast.enrollment)


def test_the_current_clinician_is_not_offered_again(cast, as_admin):
    # when
    response = as_admin.post(_reassign(cast), {"clinician": cast.clinician_profile.pk})
    # then
    assert response.status_code == 400
    assert "Select a valid choice." in response.content.decode()
    assert not TimelineEvent.objects.filter(kind="program.clinician_changed").exists()


def test_a_clinician_of_another_clinic_is_refused(cast, as_admin):
    # given
    foreign = ClinicianProfile.objects.get(user=cast.foreign_clinician)
    # when
    response = as_admin.post(_reassign(cast), {"clinician": foreign.pk})
    # then
    assert response.status_code == 400
    cast.enrollment.refresh_from_db()
    assert cast.enrollment.primary_clinician == cast.clinician_profile


def test_a_switched_off_clinician_is_refused(cast, as_admin):
    # given
    other = _other_profile(cast)
    ClinicianProfile.objects.filter(pk=other.pk).update(is_active=False)
    # when
    response = as_admin.post(_reassign(cast), {"clinician": other.pk})
    # then
    assert response.status_code == 400
    cast.enrollment.refresh_from_db()
    assert cast.enrollment.primary_clinician == cast.clinician_profile


def test_nonsense_input_is_refused_without_a_change(cast, as_admin):
    # when
    response = as_admin.post(_reassign(cast), {"clinician": "abc"})
    # then
    assert response.status_code == 400
    cast.enrollment.refresh_from_db()
    assert cast.enrollment.primary_clinician == cast.clinician_profile


def test_another_clinics_client_is_not_found(cast, as_admin):
    # when
    response = as_admin.get(_reassign(cast, cast.foreign_enrollment))
    # then
    assert response.status_code == 404


def test_an_ended_enrollment_cannot_be_reassigned(cast, as_admin):
    # given
    Enrollment.objects.filter(pk=cast.enrollment.pk).update(status=Enrollment.Status.ENDED)
    # when
    response = as_admin.post(_reassign(cast), {"clinician": _other_profile(cast).pk})
    # then
    assert response.status_code == 404


def test_the_admin_of_another_clinic_sees_no_roster_and_changes_nothing(cast, as_south_admin):
    # when
    seen = as_south_admin.get(_roster(cast))
    sent = as_south_admin.post(_reassign(cast), {"clinician": _other_profile(cast).pk})
    # then
    assert seen.status_code == 403
    assert sent.status_code == 403
    cast.enrollment.refresh_from_db()
    assert cast.enrollment.primary_clinician == cast.clinician_profile


def test_the_service_refuses_a_clinician_who_already_has_the_client(cast):
    import pytest

    from waypost.clinics.services import ClinicError, reassign_primary_clinician

    with pytest.raises(ClinicError):
        reassign_primary_clinician(
            enrollment=cast.enrollment, clinician_profile=cast.clinician_profile, by=cast.admin
        )
