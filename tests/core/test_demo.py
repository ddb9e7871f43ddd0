"""The demo clinic tells a plausible story: right stages, right people, nothing in the future."""

from __future__ import annotations

import pytest
from django.utils import timezone

from waypost.demo import load_demo
from waypost.program.models import Enrollment, StageChange

pytestmark = pytest.mark.django_db


def test_each_demo_client_is_in_their_stage_with_a_history_in_the_past(settings, tmp_path):
    settings.MEDIA_ROOT = tmp_path
    now = timezone.now()
    assert load_demo(now=now) is True
    enrollments = {e.client.email: e for e in Enrollment.objects.select_related("client")}
    for n in range(1, 5):
        enrollment = enrollments[f"client{n}@demo.waypost.test"]
        assert enrollment.stage == n
        assert enrollment.created_at <= enrollment.stage_entered_at <= now
    assert enrollments["client4@demo.waypost.test"].primary_clinician.user.email == (
        "clinician2@demo.waypost.test"
    )
    # every recorded change happened before today, in order
    for enrollment in enrollments.values():
        times = list(
            StageChange.objects.filter(enrollment=enrollment)
            .order_by("created_at")
            .values_list("created_at", flat=True)
        )
        assert times == sorted(times)
        assert all(t <= now for t in times)
    # loading again changes nothing
    assert load_demo(now=now) is False
    assert Enrollment.objects.count() == 4
