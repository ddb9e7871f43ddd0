"""An alert open past the clinic's limit is overdue on the caseload and the admin's
overview too; the limit is a clinic setting its admin changes."""

from __future__ import annotations

from datetime import timedelta

import pytest
from django.urls import reverse
from django.utils import timezone

from tests.caseload.test_columns import _row
from waypost.clinics.models import Clinic
from waypost.core.models import AuditEvent
from waypost.safety import services

pytestmark = pytest.mark.django_db


def _raise(enrollment, *, hours_ago):
    return services.raise_alert(
        enrollment=enrollment,
        kind="critical_item",
        summary="Something to look at",
        source_label="PHQ-9",
        at=timezone.now() - timedelta(hours=hours_ago),
        notify=False,
        severity=33,
    )


def test_the_caseload_marks_a_client_whose_alert_is_overdue(cast, as_user):
    # given one alert a day and a bit old (the default limit is 24 h)
    _raise(cast.enrollment, hours_ago=26)
    # when the clinician opens the caseload
    page = as_user(cast.clinician).get(reverse("caseload:list")).content.decode()
    # then the client's risk cell says so, and the client needs attention
    row = _row(page, cast.client.name)
    assert "1 open · overdue" in row and "needs attention" in row


def test_a_recent_alert_is_open_on_the_caseload_but_not_overdue(cast, as_user):
    _raise(cast.enrollment, hours_ago=2)
    row = _row(as_user(cast.clinician).get(reverse("caseload:list")).content.decode(), "Sam")
    assert "1 open" in row and "overdue" not in row


def test_the_admins_overview_counts_open_and_overdue_alerts_and_audits_nothing(cast, as_user):
    # given two open alerts, one past the limit, and one in another clinic
    _raise(cast.enrollment, hours_ago=30)
    _raise(cast.enrollment, hours_ago=1)
    _raise(cast.foreign_enrollment, hours_ago=90)
    before = AuditEvent.objects.count()
    # when the clinic admin opens their overview
    page = as_user(cast.admin).get(reverse("clinics:manage_index")).content.decode()
    # then the risk tile counts this clinic's alerts only, and names the limit
    assert "2 open" in page and "1 overdue" in page and "overdue after 24 hours" in page
    assert reverse("safety:clinic_risk", args=["north"]) in page
    # and counting them is nobody's look at a record
    assert AuditEvent.objects.count() == before


def test_the_clinics_risk_overview_marks_overdue_alerts(cast, as_user):
    _raise(cast.enrollment, hours_ago=30)
    page = as_user(cast.admin).get(reverse("safety:clinic_risk", args=["north"])).content
    assert b"1 overdue" in page and b">overdue<" in page


def _settings(**changes) -> dict:
    data = {
        "name": "North Clinic",
        "time_zone": "Asia/Singapore",
        "default_language": "en",
        "alert_overdue_hours": "24",
    }
    data.update(changes)
    return data


def test_the_admin_sets_the_overdue_limit_on_the_settings_page(cast, as_user):
    # given an alert 30 hours old, overdue by the default
    _raise(cast.enrollment, hours_ago=30)
    browser = as_user(cast.admin)
    url = reverse("clinics:settings", args=["north"])
    assert b'name="alert_overdue_hours" value="24"' in browser.get(url).content
    # when the admin allows 48 hours
    response = browser.post(url, _settings(alert_overdue_hours="48"))
    # then it is saved, and the alert is no longer overdue anywhere
    assert response.status_code == 302
    assert Clinic.objects.get(pk=cast.clinic.pk).alert_overdue_hours == 48
    assert b"overdue" not in as_user(cast.clinician).get(reverse("safety:inbox")).content
    page = as_user(cast.admin).get(reverse("clinics:manage_index")).content.decode()
    assert "1 open" in page and "1 overdue" not in page


@pytest.mark.parametrize("hours", ["0", "-3", "400", "soon", ""])
def test_an_overdue_limit_out_of_range_is_refused_and_nothing_changes(cast, as_user, hours):
    response = as_user(cast.admin).post(
        reverse("clinics:settings", args=["north"]), _settings(alert_overdue_hours=hours)
    )
    assert response.status_code == 400
    assert Clinic.objects.get(pk=cast.clinic.pk).alert_overdue_hours == 24


def test_the_service_refuses_a_limit_out_of_range(cast):
    from waypost.clinics.services import ClinicError, update_clinic_settings

    with pytest.raises(ClinicError):
        update_clinic_settings(
            clinic=cast.clinic,
            by=cast.admin,
            name="North Clinic",
            time_zone="Asia/Singapore",
            default_language="en",
            contact_email="",
            contact_phone="",
            address="",
            about="",
            require_two_factor=False,
            alert_overdue_hours=0,
        )
