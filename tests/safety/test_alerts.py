"""raise_alert fills the clinician's inbox and tells them discreetly; acknowledge closes it."""

from __future__ import annotations

from datetime import timedelta

import pytest
from django.core import mail
from django.core.exceptions import PermissionDenied
from django.utils import timezone

from tests.safety.conftest import raw_column
from waypost.core.models import AuditEvent
from waypost.safety import services
from waypost.safety.models import RiskAlert

pytestmark = pytest.mark.django_db

SUMMARY = "PHQ-9 item 9 answered 'More than half the days'"


def _raise(cast, **extra):
    kwargs = {
        "enrollment": cast.enrollment,
        "kind": "critical_item",
        "summary": SUMMARY,
        "source_label": "PHQ-9, 3 May",
        "source_url": "/measures/responses/7/",
        **extra,
    }
    return services.raise_alert(**kwargs)


def test_raising_an_alert_records_it_and_a_discreet_timeline_line(
    cast, django_capture_on_commit_callbacks
):
    # when an alert is raised for the client
    with django_capture_on_commit_callbacks(execute=True):
        alert = _raise(cast)
    # then it is open, with its text encrypted at rest
    alert = RiskAlert.objects.get(pk=alert.pk)
    assert alert.is_open and alert.kind == "critical_item"
    assert alert.summary == SUMMARY and alert.source_url == "/measures/responses/7/"
    for column in ("summary", "source_label"):
        raw = raw_column("safety_riskalert", column, alert.pk)
        assert raw.startswith("fernet:") and "PHQ" not in raw
    # and the timeline says only that an alert was raised
    event = cast.enrollment.timeline.filter(kind="safety.alert_raised").get()
    assert "PHQ" not in event.summary and event.detail == SUMMARY


def test_the_clinician_gets_an_email_that_says_nothing_clinical(
    cast, django_capture_on_commit_callbacks
):
    # when an alert is raised (the task queue runs at once in tests)
    with django_capture_on_commit_callbacks(execute=True):
        _raise(cast)
    # then exactly one e-mail went to the primary clinician, with only a link
    assert len(mail.outbox) == 1
    message = mail.outbox[0]
    assert message.to == [cast.clinician.email]
    assert message.subject == "Waypost: something needs your attention"
    assert message.body.strip().endswith("/risk/")
    words = (message.subject + message.body).lower()
    for secret in ("sam", "client", "phq", "item 9", "alert", "harm", "suicid", "crisis"):
        assert secret not in words


def test_no_email_before_the_transaction_commits_or_when_asked_not_to(
    cast, django_capture_on_commit_callbacks
):
    with django_capture_on_commit_callbacks(execute=False) as callbacks:
        _raise(cast)
    assert len(callbacks) == 1 and mail.outbox == []
    with django_capture_on_commit_callbacks(execute=True):
        _raise(cast, notify=False)
    assert mail.outbox == []


def test_a_link_out_of_waypost_is_dropped(cast):
    for url in ("https://elsewhere.example/x", "//elsewhere.example/x", "javascript:alert(1)"):
        assert _raise(cast, source_url=url, notify=False).source_url == ""


def test_an_alert_needs_a_summary(cast):
    with pytest.raises(ValueError, match="summary"):
        _raise(cast, summary="  ", notify=False)
    assert not RiskAlert.objects.exists()


def test_acknowledging_records_who_when_and_the_note(cast):
    # given an open alert
    alert = _raise(cast, notify=False)
    # when the primary clinician acknowledges it with a note
    done = services.acknowledge(alert=alert, by=cast.clinician, note="  Called her; safe.  ")
    # then it is closed with who, when and the (encrypted) note
    assert done.status == RiskAlert.Status.ACKNOWLEDGED
    assert done.acknowledged_by == cast.clinician
    assert timezone.now() - done.acknowledged_at < timedelta(minutes=1)
    assert done.note == "Called her; safe."
    assert "Called" not in raw_column("safety_riskalert", "note", alert.pk)
    assert cast.enrollment.timeline.filter(kind="safety.alert_acknowledged").exists()
    assert AuditEvent.objects.filter(
        actor=cast.clinician, client=cast.client, action="change", what="risk alert"
    ).exists()


def test_an_empty_note_is_refused_and_nothing_changes(cast):
    alert = _raise(cast, notify=False)
    with pytest.raises(services.AlertError) as caught:
        services.acknowledge(alert=alert, by=cast.clinician, note=" \n ")
    assert caught.value.code == services.AlertErrorCode.NOTE_REQUIRED
    assert RiskAlert.objects.get(pk=alert.pk).is_open


def test_acknowledging_twice_is_refused_and_keeps_the_first_note(cast):
    alert = _raise(cast, notify=False)
    services.acknowledge(alert=alert, by=cast.clinician, note="First note")
    stale = RiskAlert.objects.get(pk=alert.pk)
    with pytest.raises(
        services.AlertError, match="already acknowledged by Cleo Clinician"
    ) as caught:
        services.acknowledge(alert=alert, by=cast.clinician, note="Second note")
    assert caught.value.code == services.AlertErrorCode.ALREADY_ACKNOWLEDGED
    alert.refresh_from_db()
    assert alert.note == "First note" and alert.acknowledged_at == stale.acknowledged_at
    assert cast.enrollment.timeline.filter(kind="safety.alert_acknowledged").count() == 1


@pytest.mark.parametrize("who", ["other_clinician", "foreign_clinician", "admin", "client"])
def test_only_the_primary_clinician_may_acknowledge(cast, who):
    alert = _raise(cast, notify=False)
    with pytest.raises(PermissionDenied):
        services.acknowledge(alert=alert, by=cast.role(who), note="Not mine to close")
    assert RiskAlert.objects.get(pk=alert.pk).is_open


def test_a_note_that_is_far_too_long_is_refused(cast):
    alert = _raise(cast, notify=False)
    with pytest.raises(services.AlertError) as caught:
        services.acknowledge(alert=alert, by=cast.clinician, note="x" * 5000)
    assert caught.value.code == services.AlertErrorCode.NOTE_TOO_LONG
    assert RiskAlert.objects.get(pk=alert.pk).is_open
