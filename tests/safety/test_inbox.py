"""The risk inboxes: the clinician's own (open first, oldest first) and the clinic-wide one."""

from __future__ import annotations

from datetime import timedelta

import pytest
from django.urls import reverse
from django.utils import timezone

from waypost.core.models import AuditEvent
from waypost.safety import services
from waypost.safety.models import RiskAlert

pytestmark = pytest.mark.django_db


def _raise(enrollment, summary, days_ago):
    return services.raise_alert(
        enrollment=enrollment,
        kind="critical_item",
        summary=summary,
        source_label="PHQ-9",
        at=timezone.now() - timedelta(days=days_ago),
        notify=False,
    )


@pytest.fixture
def alerts(cast):
    """Two open alerts (newer, older) and one acknowledged, for the cast's client."""
    newer = _raise(cast.enrollment, "Newer open thing", 1)
    older = _raise(cast.enrollment, "Older open thing", 5)
    done = _raise(cast.enrollment, "Handled thing", 9)
    services.acknowledge(alert=done, by=cast.clinician, note="Rang him back at once")
    foreign = _raise(cast.foreign_enrollment, "Someone else's thing", 2)
    return {"newer": newer, "older": older, "done": done, "foreign": foreign}


def test_open_alerts_come_first_oldest_first_then_acknowledged(cast, as_user, alerts):
    page = as_user(cast.clinician).get(reverse("safety:inbox")).content.decode()
    # then open ones are in age order, before the acknowledged one with its note and who
    assert (
        page.index("Older open thing")
        < page.index("Newer open thing")
        < page.index("Handled thing")
    )
    assert "Rang him back at once" in page and "Acknowledged by Cleo Clinician" in page
    assert "2 open alerts" in page
    assert "Someone else" not in page


def test_the_inbox_view_is_audited_once_per_client(cast, as_user, alerts):
    as_user(cast.clinician).get(reverse("safety:inbox"))
    assert (
        AuditEvent.objects.filter(
            actor=cast.clinician, client=cast.client, what="risk alerts"
        ).count()
        == 1
    )


@pytest.mark.parametrize("who", ["other_clinician", "foreign_clinician"])
def test_other_clinicians_see_none_of_these_alerts(cast, as_user, alerts, who):
    page = as_user(cast.role(who)).get(reverse("safety:inbox")).content.decode()
    assert "open thing" not in page and "Handled thing" not in page
    if who == "foreign_clinician":
        assert "Someone else&#x27;s thing" in page


def test_acknowledging_from_the_inbox(cast, as_user, alerts):
    browser = as_user(cast.clinician)
    url = reverse("safety:acknowledge", args=[alerts["older"].pk])
    response = browser.post(url, {"note": "Spoke with him; safe tonight."})
    assert response.status_code == 302 and response["Location"] == reverse("safety:inbox")
    alerts["older"].refresh_from_db()
    assert alerts["older"].note == "Spoke with him; safe tonight."


def test_acknowledging_without_a_note_or_twice_says_why_and_changes_nothing(cast, as_user, alerts):
    browser = as_user(cast.clinician)
    empty = browser.post(reverse("safety:acknowledge", args=[alerts["older"].pk]), {"note": " "})
    assert empty.status_code == 400
    assert "Please write a short note" in empty.content.decode()
    assert RiskAlert.objects.get(pk=alerts["older"].pk).is_open
    twice = browser.post(reverse("safety:acknowledge", args=[alerts["done"].pk]), {"note": "Again"})
    assert twice.status_code == 400
    assert "already acknowledged by Cleo Clinician" in twice.content.decode()
    assert RiskAlert.objects.get(pk=alerts["done"].pk).note == "Rang him back at once"


def test_after_acknowledging_from_the_record_you_go_back_there_but_never_elsewhere(
    cast, as_user, alerts
):
    browser = as_user(cast.clinician)
    record = reverse("caseload:record", args=[cast.enrollment.pk])
    back = browser.post(
        reverse("safety:acknowledge", args=[alerts["older"].pk]), {"note": "Ok", "next": record}
    )
    assert back["Location"] == record
    away = browser.post(
        reverse("safety:acknowledge", args=[alerts["newer"].pk]),
        {"note": "Ok", "next": "https://elsewhere.example/"},
    )
    assert away["Location"] == reverse("safety:inbox")


@pytest.mark.parametrize("who", ["other_clinician", "foreign_clinician", "admin", "client"])
def test_nobody_else_can_acknowledge_by_post(cast, as_user, alerts, who):
    response = as_user(cast.role(who)).post(
        reverse("safety:acknowledge", args=[alerts["older"].pk]), {"note": "Not mine"}
    )
    assert response.status_code in (403, 404)
    assert RiskAlert.objects.get(pk=alerts["older"].pk).is_open


def test_the_clinic_inbox_shows_who_and_how_long_but_no_clinical_text(cast, as_user, alerts):
    page = as_user(cast.admin).get(reverse("safety:clinic_risk", args=["north"])).content.decode()
    # then names, clinician and waiting time are there
    assert "Sam Client" in page and "Cleo Clinician" in page
    assert "2 open alerts" in page and "5\xa0days" in page
    # and no summary, source or note
    for clinical in ("open thing", "Handled thing", "Rang him back", "PHQ"):
        assert clinical not in page
    # and not another clinic's alerts
    assert "Fay Faraway" not in page
    assert AuditEvent.objects.filter(actor=cast.admin, what="risk alert status").count() == 1


def test_an_admin_cannot_open_another_clinics_risk_overview(cast, as_user):
    response = as_user(cast.admin).get(reverse("safety:clinic_risk", args=["south"]))
    assert response.status_code == 403
    assert (
        as_user(cast.admin).get(reverse("safety:clinic_risk", args=["nowhere"])).status_code == 404
    )


def test_the_nav_shows_the_open_count_to_the_clinician_and_the_overview_to_the_admin(
    cast, as_user, alerts
):
    page = as_user(cast.clinician).get(reverse("caseload:list")).content.decode()
    assert 'Risk inbox&nbsp;<span class="badge">2<span class="visually-hidden"> open' in page
    other = as_user(cast.other_clinician).get(reverse("caseload:list")).content.decode()
    assert "Risk inbox</a>" in other
    admin = as_user(cast.admin).get(reverse("clinics:manage_index")).content.decode()
    assert reverse("safety:clinic_risk", args=["north"]) in admin
    client_page = as_user(cast.client).get(reverse("program:today")).content.decode()
    assert "Risk inbox" not in client_page and "Risk overview" not in client_page
