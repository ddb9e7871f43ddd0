"""The clinic admin chooses which gate criteria each stage shows, and their numbers."""

from __future__ import annotations

from django.urls import reverse

from waypost.clinics.models import Clinic
from waypost.program import gates


def _url(clinic) -> str:
    return reverse("clinics:gates", kwargs={"slug": clinic.slug})


def _current_form() -> dict:
    """Every criterion as it is by default, in the form's field names."""
    data = {}
    for criterion in gates.all_criteria():
        if criterion.enabled_by_default:
            data[f"{criterion.key}__enabled"] = "on"
        for param, value in criterion.defaults.items():
            data[f"{criterion.key}__{param}"] = str(value)
    return data


def test_the_page_lists_every_criterion_of_every_stage(cast, as_admin):
    # when
    body = as_admin.get(_url(cast.clinic)).content.decode()
    # then
    for stage in (1, 2, 3, 4):
        assert f"Stage {stage}:" in body
    for criterion in gates.all_criteria():
        assert f'name="{criterion.key}__enabled"' in body


def test_the_admin_switches_criteria_and_sets_numbers_in_the_stored_format(cast, as_admin):
    # given
    data = _current_form()
    data["time_in_stage_2__days"] = "60"
    data.pop("signed_in__enabled")
    data["ally_connected__enabled"] = "on"
    data["ally_connected__allies"] = "2"
    # when
    response = as_admin.post(_url(cast.clinic), data)
    # then
    assert response.status_code == 302
    stored = Clinic.objects.get(pk=cast.clinic.pk).gate_settings
    assert stored["2"]["time_in_stage_2"] == {"enabled": True, "days": 60}
    assert stored["1"]["signed_in"] == {"enabled": False}
    assert stored["3"]["ally_connected"] == {"enabled": True, "allies": 2}


def test_the_clinicians_checklist_follows_the_settings(cast, as_admin):
    # given: the client is in stage 2
    data = _current_form()
    data["time_in_stage_2__days"] = "5"
    # when
    as_admin.post(_url(cast.clinic), data)
    # then
    cast.enrollment.clinic.refresh_from_db()
    labels = [check.label for check in gates.checklist(cast.enrollment)]
    assert "At least 5 days in this stage" in labels


def test_the_saved_settings_show_when_the_page_opens_again(cast, as_admin):
    # given
    data = _current_form()
    data["time_in_stage_4__days"] = "120"
    as_admin.post(_url(cast.clinic), data)
    # when
    body = as_admin.get(_url(cast.clinic)).content.decode()
    # then
    assert 'name="time_in_stage_4__days" value="120"' in body


def test_negative_and_non_numeric_parameters_are_refused_and_nothing_changes(cast, as_admin):
    # given
    data = _current_form()
    data["time_in_stage_1__days"] = "-3"
    data["ally_connected__allies"] = "two"
    # when
    response = as_admin.post(_url(cast.clinic), data)
    # then
    assert response.status_code == 400
    body = response.content.decode()
    assert "Please enter 0 or more." in body
    assert "Please enter a whole number." in body
    assert Clinic.objects.get(pk=cast.clinic.pk).gate_settings == {}


def test_settings_of_criteria_no_longer_registered_are_kept(cast, as_admin):
    # given: a criterion from an app that is switched off today
    Clinic.objects.filter(pk=cast.clinic.pk).update(
        gate_settings={"1": {"retired_check": {"enabled": True, "n": 3}}}
    )
    # when
    as_admin.post(_url(cast.clinic), _current_form())
    # then
    stored = Clinic.objects.get(pk=cast.clinic.pk).gate_settings
    assert stored["1"]["retired_check"] == {"enabled": True, "n": 3}
    assert stored["1"]["signed_in"] == {"enabled": True}


def test_the_service_refuses_numbers_that_are_not_whole(cast):
    # given
    import pytest

    from waypost.clinics.services import ClinicError, update_gate_settings

    # when / then
    with pytest.raises(ClinicError):
        update_gate_settings(
            clinic=cast.clinic,
            by=cast.admin,
            choices={"time_in_stage_1": {"enabled": True, "days": 1.5}},
        )
    assert Clinic.objects.get(pk=cast.clinic.pk).gate_settings == {}


def test_the_admin_of_another_clinic_is_refused(cast, as_south_admin):
    # when
    response = as_south_admin.post(_url(cast.clinic), _current_form())
    # then
    assert response.status_code == 403
    assert Clinic.objects.get(pk=cast.clinic.pk).gate_settings == {}
