"""The clinician on call sees and acknowledges the alert passed to them, and nothing more.

They are not the client's clinician: the record, the client's other alerts and alerts
passed to someone else stay closed to them. Admins see who was told, never the content.
"""

from __future__ import annotations

from datetime import date, datetime, timedelta
from zoneinfo import ZoneInfo

import pytest
import time_machine
from django.core.exceptions import PermissionDenied
from django.urls import reverse

from waypost.clinics.models import ClinicianProfile
from waypost.safety import escalation, selectors, services
from waypost.safety.models import RiskAlert

pytestmark = pytest.mark.django_db

RAISED = datetime(2026, 6, 3, 2, 0, tzinfo=ZoneInfo("UTC"))
LATER = RAISED + timedelta(minutes=45)


@pytest.fixture
def passed_on(cast, django_capture_on_commit_callbacks):
    """Two open alerts for Sam; the first passed to Otto on call, the second raised later."""
    escalation.save_policy(
        clinic=cast.clinic,
        by=cast.admin,
        enabled=True,
        first_after_minutes=30,
        second_after_minutes=120,
    )
    escalation.add_shift(
        clinic=cast.clinic,
        by=cast.admin,
        clinician=ClinicianProfile.objects.get(user=cast.other_clinician),
        starts_on=date(2026, 6, 1),
        ends_on=date(2026, 6, 7),
    )
    first = services.raise_alert(
        enrollment=cast.enrollment,
        kind="critical_item",
        summary="Passed-on summary",
        source_label="PHQ-9",
        source_url="/clients/1/measures/",
        at=RAISED,
        notify=False,
    )
    with time_machine.travel(LATER, tick=False), django_capture_on_commit_callbacks(execute=True):
        escalation.escalate_due()
    second = services.raise_alert(
        enrollment=cast.enrollment,
        kind="critical_item",
        summary="Not passed on",
        source_label="PHQ-9",
        at=LATER,
        notify=False,
    )
    return cast, first, second


def test_the_on_call_clinician_sees_the_passed_on_alert_in_their_inbox(passed_on, as_user):
    cast, first, second = passed_on
    response = as_user(cast.other_clinician).get(reverse("safety:inbox"))
    assert response.status_code == 200
    body = response.content.decode()
    assert "Passed-on summary" in body
    assert "Not passed on" not in body
    assert "Passed to you on call" in body
    # the client's name is shown, but not as a link to a record they may not open
    assert reverse("caseload:record", args=[cast.enrollment.pk]) not in body
    assert "/clients/1/measures/" not in body  # the source lives in the record, too
    assert list(selectors.escalated_alerts(cast.other_clinician)) == [first]


def test_the_on_call_clinician_acknowledges_the_alert_with_a_note(passed_on, as_user):
    cast, first, _second = passed_on
    browser = as_user(cast.other_clinician)
    url = reverse("safety:acknowledge", args=[first.pk])
    assert browser.get(url).status_code == 200
    response = browser.post(url, {"note": "Called Sam, safe with his sister tonight."})
    assert response.status_code == 302
    first.refresh_from_db()
    assert first.status == RiskAlert.Status.ACKNOWLEDGED
    assert first.acknowledged_by == cast.other_clinician
    assert first.note == "Called Sam, safe with his sister tonight."
    # and the client's own clinician sees who acknowledged it, and that it was passed on
    body = as_user(cast.clinician).get(reverse("safety:inbox")).content.decode()
    assert "Acknowledged by Otto Other" in body
    assert "Passed on to Otto Other (Clinician on call)" in body
    assert 'href="/clients/1/measures/"' in body  # their own clinician keeps the link


def test_the_on_call_clinician_gets_nothing_else_of_the_client(passed_on, as_user):
    cast, _first, second = passed_on
    browser = as_user(cast.other_clinician)
    assert browser.get(reverse("safety:acknowledge", args=[second.pk])).status_code == 404
    response = browser.post(reverse("safety:acknowledge", args=[second.pk]), {"note": "x"})
    assert response.status_code == 404
    assert browser.get(reverse("caseload:record", args=[cast.enrollment.pk])).status_code in {
        403,
        404,
    }
    with pytest.raises(PermissionDenied):
        services.acknowledge(alert=second, by=cast.other_clinician, note="x")
    second.refresh_from_db()
    assert second.is_open


def test_nobody_else_gains_the_passed_on_alert(passed_on, as_user):
    cast, first, _second = passed_on
    url = reverse("safety:acknowledge", args=[first.pk])
    assert as_user(cast.foreign_clinician).get(url).status_code == 404
    assert as_user(cast.admin).get(url).status_code == 403
    assert as_user(cast.client).get(url).status_code == 403
    assert not selectors.is_escalated_to(cast.foreign_clinician, first)


def test_an_on_call_clinician_who_left_the_clinic_loses_the_alert(passed_on, as_user):
    cast, first, _second = passed_on
    ClinicianProfile.objects.filter(user=cast.other_clinician).update(is_active=False)
    assert not selectors.is_escalated_to(cast.other_clinician, first)
    assert as_user(cast.other_clinician).get(
        reverse("safety:acknowledge", args=[first.pk])
    ).status_code in {403, 404}


def test_the_admins_overview_says_who_was_told_but_not_what(passed_on, as_user):
    cast, _first, _second = passed_on
    body = as_user(cast.admin).get(reverse("safety:clinic_risk", args=["north"])).content.decode()
    assert "Passed on to Otto Other (Clinician on call)" in body
    assert "Passed-on summary" not in body
