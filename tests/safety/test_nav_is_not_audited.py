"""The audit trail records what a person looked at, not what the page furniture counted:
the risk badge in the navigation writes no audit row."""

from __future__ import annotations

import pytest
from django.urls import reverse

from waypost.core.models import AuditEvent
from waypost.safety import services

pytestmark = pytest.mark.django_db


@pytest.fixture
def open_alert(cast):
    return services.raise_alert(
        enrollment=cast.enrollment,
        kind="critical_item",
        summary="Open",
        source_label="PHQ-9",
        notify=False,
        severity=100,
    )


@pytest.mark.parametrize(
    "url", [reverse("accounts:account"), reverse("help"), reverse("clinics:my_profile")]
)
def test_a_plain_page_shows_the_clinician_the_badge_and_writes_no_audit_row(
    cast, as_user, open_alert, url
):
    # given a clinician with one client's alert open
    browser = as_user(cast.clinician)
    before = AuditEvent.objects.count()
    # when they open a page that shows no client's data
    page = browser.get(url).content.decode()
    # then the navigation's badge counts the open alert
    assert reverse("safety:inbox") in page and '<span class="badge">1<' in page
    # and nothing was written to the audit trail for it
    assert AuditEvent.objects.count() == before


def test_the_admins_navigation_writes_no_audit_row_either(cast, as_user, open_alert):
    before = AuditEvent.objects.count()
    page = as_user(cast.admin).get(reverse("accounts:account")).content.decode()
    assert reverse("safety:clinic_risk", args=["north"]) in page
    assert AuditEvent.objects.count() == before


def test_opening_the_inbox_itself_is_audited(cast, as_user, open_alert):
    # the inbox shows the alert's content: that is a look at the client's record
    as_user(cast.clinician).get(reverse("safety:inbox"))
    assert AuditEvent.objects.filter(actor=cast.clinician, what="risk alerts").count() == 1
