"""The timeline and audit trail are append-only; access by others is audited."""

from __future__ import annotations

import pytest
from django.urls import reverse

from waypost.core.models import AppendOnlyError, AuditEvent, TimelineEvent


def test_timeline_events_cannot_be_changed_or_deleted(cast):
    event = cast.enrollment.timeline.first()
    event.data = {"rewritten": True}
    with pytest.raises(AppendOnlyError):
        event.save()
    with pytest.raises(AppendOnlyError):
        event.delete()
    with pytest.raises(AppendOnlyError):
        TimelineEvent.objects.filter(pk=event.pk).update(data={})
    with pytest.raises(AppendOnlyError):
        TimelineEvent.objects.filter(pk=event.pk).delete()


def test_stage_changes_appear_on_the_timeline_with_the_reason_encrypted(cast):
    event = cast.enrollment.timeline.filter(kind="program.stage_changed").get()
    assert "stage 2" in event.summary
    assert "Ready" not in event.summary  # the reason is only in the encrypted detail
    assert event.detail == "Ready to commit to a plan."
    assert event.actor == cast.clinician


def test_a_clinician_opening_the_record_is_audited(client, cast):
    client.force_login(cast.clinician)
    client.get(reverse("caseload:record", args=[cast.enrollment.pk]))
    event = AuditEvent.objects.get(actor=cast.clinician, action="view", what="client record")
    assert event.client == cast.client
    assert event.clinic == cast.clinic
    assert event.path == f"/clients/{cast.enrollment.pk}/"


def test_a_client_viewing_their_own_journey_is_not_audited(client, cast):
    client.force_login(cast.client)
    client.get(reverse("program:journey"))
    assert not AuditEvent.objects.filter(actor=cast.client).exists()


def test_audit_rows_cannot_be_erased(cast):
    event = AuditEvent.objects.filter(client=cast.client).first()
    assert event is not None  # the stage change in the cast was audited
    with pytest.raises(AppendOnlyError):
        event.delete()
