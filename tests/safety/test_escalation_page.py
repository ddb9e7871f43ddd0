"""The clinic admin sets escalation times and the on-call rota on one page."""

from __future__ import annotations

from datetime import date

import pytest
from django.urls import reverse

from waypost.clinics.models import ClinicianProfile
from waypost.safety.models import EscalationPolicy, OnCallShift

pytestmark = pytest.mark.django_db


def _url(cast):
    return reverse("safety:clinic_escalation", args=[cast.clinic.slug])


def test_the_page_says_escalation_is_not_set_up_yet(cast, as_user):
    response = as_user(cast.admin).get(_url(cast))
    assert response.status_code == 200
    body = response.content.decode()
    assert "Not set up yet" in body
    assert "Nobody is on call today" in body


def test_the_admin_saves_times(cast, as_user):
    browser = as_user(cast.admin)
    response = browser.post(
        _url(cast),
        {
            "form": "policy",
            "enabled": "on",
            "first_after_minutes": "20",
            "second_after_minutes": "90",
        },
    )
    assert response.status_code == 302
    policy = EscalationPolicy.objects.get(clinic=cast.clinic)
    assert (policy.enabled, policy.first_after_minutes, policy.second_after_minutes) == (
        True,
        20,
        90,
    )
    assert policy.updated_by == cast.admin


def test_bad_times_are_refused_with_a_message_and_change_nothing(cast, as_user):
    response = as_user(cast.admin).post(
        _url(cast),
        {
            "form": "policy",
            "enabled": "on",
            "first_after_minutes": "90",
            "second_after_minutes": "30",
        },
    )
    assert response.status_code == 400
    assert "give a later time" in response.content.decode()
    assert not EscalationPolicy.objects.exists()


def test_the_admin_adds_and_removes_a_shift(cast, as_user):
    browser = as_user(cast.admin)
    otto = ClinicianProfile.objects.get(user=cast.other_clinician)
    response = browser.post(
        _url(cast),
        {"form": "shift", "clinician": otto.pk, "starts_on": "2099-06-01", "ends_on": "2099-06-07"},
    )
    assert response.status_code == 302
    shift = OnCallShift.objects.get()
    assert (shift.clinician, shift.starts_on, shift.ends_on) == (
        otto,
        date(2099, 6, 1),
        date(2099, 6, 7),
    )
    assert "Otto Other" in browser.get(_url(cast)).content.decode()
    remove = reverse("safety:clinic_escalation_remove_shift", args=["north", shift.pk])
    assert browser.post(remove).status_code == 302
    assert not OnCallShift.objects.exists()


def test_a_clinician_of_another_clinic_cannot_be_put_on_call(cast, as_user):
    foreign = ClinicianProfile.objects.get(user=cast.foreign_clinician)
    response = as_user(cast.admin).post(
        _url(cast),
        {
            "form": "shift",
            "clinician": foreign.pk,
            "starts_on": "2099-06-01",
            "ends_on": "2099-06-07",
        },
    )
    assert response.status_code == 400
    assert not OnCallShift.objects.exists()


def test_clinicians_cannot_change_the_rota(cast, as_user):
    otto = ClinicianProfile.objects.get(user=cast.other_clinician)
    shift = OnCallShift.objects.create(
        clinic=cast.clinic, clinician=otto, starts_on=date(2099, 1, 1), ends_on=date(2099, 1, 2)
    )
    remove = reverse("safety:clinic_escalation_remove_shift", args=["north", shift.pk])
    for person in (cast.clinician, cast.other_clinician):
        assert as_user(person).post(remove).status_code == 403
    assert OnCallShift.objects.filter(pk=shift.pk).exists()
    # and another clinic's admin cannot remove it through their own clinic's address
    assert (
        as_user(cast.admin)
        .post(reverse("safety:clinic_escalation_remove_shift", args=["south", shift.pk]))
        .status_code
        == 403
    )
