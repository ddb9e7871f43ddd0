"""The clinic admin edits the clinic's own settings."""

from __future__ import annotations

from django.urls import reverse

from waypost.clinics.models import Clinic


def _url(clinic) -> str:
    return reverse("clinics:settings", kwargs={"slug": clinic.slug})


def _form(**changes) -> dict:
    data = {
        "name": "North Clinic",
        "time_zone": "Asia/Singapore",
        "default_language": "en",
        "contact_email": "hello@north.test",
        "contact_phone": "+65 6000 0000",
        "address": "1 North Road",
        "about": "A small, kind team.",
        "require_two_factor": "",
        "alert_overdue_hours": "24",
    }
    data.update(changes)
    return data


def test_the_admin_sees_the_clinic_settings_filled_in(cast, as_admin):
    # when
    response = as_admin.get(_url(cast.clinic))
    # then
    assert response.status_code == 200
    assert b'value="North Clinic"' in response.content
    assert b'<option value="Asia/Singapore" selected>' in response.content


def test_the_admin_saves_new_settings(cast, as_admin):
    # when
    response = as_admin.post(
        _url(cast.clinic),
        _form(name="North Recovery", time_zone="Europe/Berlin", require_two_factor="on"),
        follow=True,
    )
    # then
    clinic = Clinic.objects.get(pk=cast.clinic.pk)
    assert clinic.name == "North Recovery"
    assert clinic.time_zone == "Europe/Berlin"
    assert clinic.require_two_factor is True
    assert clinic.contact_email == "hello@north.test"
    assert clinic.about == "A small, kind team."
    assert "Clinic settings saved." in response.content.decode()


def test_an_unknown_time_zone_is_refused_and_nothing_changes(cast, as_admin):
    # when
    response = as_admin.post(_url(cast.clinic), _form(name="Changed", time_zone="Mars/Olympus"))
    # then
    assert response.status_code == 400
    assert "Mars/Olympus is not one of the available choices" in response.content.decode()
    clinic = Clinic.objects.get(pk=cast.clinic.pk)
    assert clinic.name == "North Clinic"
    assert clinic.time_zone == "Asia/Singapore"


def test_a_missing_name_and_a_bad_email_are_refused_with_messages(cast, as_admin):
    # when
    response = as_admin.post(_url(cast.clinic), _form(name="", contact_email="not-an-email"))
    # then
    assert response.status_code == 400
    body = response.content.decode()
    assert "This field is required." in body
    assert "Enter a valid email address." in body
    assert Clinic.objects.get(pk=cast.clinic.pk).contact_email == ""


def test_an_unknown_language_is_refused(cast, as_admin):
    # when
    response = as_admin.post(_url(cast.clinic), _form(default_language="xx"))
    # then
    assert response.status_code == 400
    assert Clinic.objects.get(pk=cast.clinic.pk).default_language == "en"


def test_the_admin_of_another_clinic_is_refused_and_nothing_changes(cast, as_south_admin):
    # when
    seen = as_south_admin.get(_url(cast.clinic))
    sent = as_south_admin.post(_url(cast.clinic), _form(name="Taken over"))
    # then
    assert seen.status_code == 403
    assert sent.status_code == 403
    assert Clinic.objects.get(pk=cast.clinic.pk).name == "North Clinic"


def test_a_clinician_of_the_clinic_cannot_change_its_settings(cast, client):
    # given
    client.force_login(cast.clinician)
    # when
    response = client.post(_url(cast.clinic), _form(name="Mine now"))
    # then
    assert response.status_code == 403
    assert Clinic.objects.get(pk=cast.clinic.pk).name == "North Clinic"


def test_an_unknown_clinic_is_not_found(as_admin):
    assert as_admin.get(reverse("clinics:settings", kwargs={"slug": "nowhere"})).status_code == 404


def test_the_overview_links_to_every_page_of_the_clinic(cast, as_admin):
    # when
    response = as_admin.get(reverse("clinics:manage_index"))
    # then
    body = response.content.decode()
    for name in ("settings", "crisis_lines", "gates", "staff", "roster", "audit"):
        assert reverse(f"clinics:{name}", kwargs={"slug": cast.clinic.slug}) in body
    assert "/clinic/south/" not in body
    assert "1 active client" in body
