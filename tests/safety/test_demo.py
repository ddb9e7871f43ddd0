"""The demo shows safety plans and alerts with a believable history, nothing in the future."""

from __future__ import annotations

import pytest
from django.utils import timezone

from waypost.demo import load_demo
from waypost.program.models import Enrollment
from waypost.safety.models import RiskAlert, SafetyPlan

pytestmark = pytest.mark.django_db


def test_demo_plans_and_alerts(settings, tmp_path):
    settings.MEDIA_ROOT = tmp_path
    now = timezone.now()
    load_demo(now=now)
    by_n = {
        int(e.client.email[len("client")]): e for e in Enrollment.objects.select_related("client")
    }
    # plans for clients 2, 3 and 4; client 3's written with the clinician, twice
    assert not SafetyPlan.objects.filter(enrollment=by_n[1]).exists()
    assert SafetyPlan.objects.filter(enrollment=by_n[2]).count() == 1
    client3 = list(SafetyPlan.objects.filter(enrollment=by_n[3]).order_by("version"))
    assert [p.version for p in client3] == [1, 2] and all(p.in_session for p in client3)
    assert SafetyPlan.objects.filter(enrollment=by_n[4]).exists()
    # one open alert for client 3 a few days old, about a PHQ-9 answer
    # the critical answer's alert (the demo also has a Shield device gone quiet)
    open_alert = RiskAlert.objects.get(status=RiskAlert.Status.OPEN, kind="critical_item")
    assert open_alert.enrollment == by_n[3] and open_alert.kind == "critical_item"
    assert "PHQ-9" in open_alert.source_label
    assert 1 <= (now - open_alert.created_at).days <= 7
    # and one acknowledged long ago for client 4, with a note
    done = RiskAlert.objects.get(status=RiskAlert.Status.ACKNOWLEDGED)
    assert done.enrollment == by_n[4] and done.note
    assert (now - done.created_at).days > 90
    assert done.acknowledged_by == by_n[4].primary_clinician.user
    # nothing in the future
    for stamp in [
        *SafetyPlan.objects.values_list("created_at", flat=True),
        *RiskAlert.objects.values_list("created_at", flat=True),
        done.acknowledged_at,
    ]:
        assert stamp <= now
