"""The public specialists directory: no sign-in needed, nothing about clients."""

from __future__ import annotations

from django.urls import reverse

from waypost.clinics.models import Clinic, ClinicianProfile


def _clinic_url() -> str:
    return reverse("clinics:clinic", kwargs={"slug": "north"})


def test_anyone_sees_the_listed_specialists_of_a_clinic(cast, client):
    # when
    body = client.get(_clinic_url()).content.decode()
    # then
    assert "Cleo Clinician" in body
    assert "Otto Other" in body
    assert "Fern Foreign" not in body


def test_nothing_about_clients_appears(cast, client):
    body = client.get(_clinic_url()).content.decode()
    specialist = client.get(
        reverse("clinics:specialist", args=["north", cast.clinician_profile.pk])
    ).content.decode()
    for text in (body, specialist):
        assert "Sam Client" not in text
        assert "client@north.test" not in text


def test_unlisted_and_switched_off_clinicians_are_hidden(cast, client):
    # given
    ClinicianProfile.objects.filter(user=cast.other_clinician).update(listed=False)
    ClinicianProfile.objects.filter(pk=cast.clinician_profile.pk).update(is_active=False)
    # when
    body = client.get(_clinic_url()).content.decode()
    # then
    assert "Otto Other" not in body
    assert "Cleo Clinician" not in body
    assert "No specialists are listed yet." in body


def test_visitors_can_narrow_the_list_by_language(cast, client):
    # given
    ClinicianProfile.objects.filter(user=cast.other_clinician).update(languages="Tamil, English")
    # when
    tamil = client.get(_clinic_url(), {"language": "tamil"}).content.decode()
    # then
    assert "Otto Other" in tamil
    assert "Cleo Clinician" not in tamil
    assert "?language=Tamil" in tamil


def test_a_language_nobody_speaks_says_so_kindly(cast, client):
    # when
    body = client.get(_clinic_url(), {"language": "Klingon"}).content.decode()
    # then
    assert "None of the listed specialists speaks Klingon yet." in body


def test_the_specialist_page_offers_a_way_to_contact_the_clinic(cast, client):
    # given
    Clinic.objects.filter(pk=cast.clinic.pk).update(contact_email="hello@north.test")
    # when
    body = client.get(
        reverse("clinics:specialist", args=["north", cast.clinician_profile.pk])
    ).content.decode()
    # then
    assert "mailto:hello@north.test" in body


def test_a_specialist_of_another_clinic_is_not_found_under_this_clinic(cast, client):
    foreign = ClinicianProfile.objects.get(user=cast.foreign_clinician)
    assert client.get(reverse("clinics:specialist", args=["north", foreign.pk])).status_code == 404
    assert client.get(reverse("clinics:photo", args=["north", foreign.pk])).status_code == 404


def test_the_public_photo_is_served_as_an_image(cast, client):
    # when
    response = client.get(reverse("clinics:photo", args=["north", cast.clinician_profile.pk]))
    # then
    assert response.status_code == 200
    assert response["Content-Type"] == "image/png"
    assert response["X-Content-Type-Options"] == "nosniff"


def test_an_unknown_clinic_is_not_found(client, db):
    assert client.get(reverse("clinics:clinic", args=["nowhere"])).status_code == 404


def test_with_several_clinics_the_directory_lists_them(cast, client):
    body = client.get(reverse("clinics:directory")).content.decode()
    assert "North Clinic" in body
    assert "South Clinic" in body
