"""The demo shows each stage of the intake and the story."""

from __future__ import annotations

import pytest
from django.utils import timezone

from waypost.demo import load_demo
from waypost.intake import factors, services
from waypost.program.models import Enrollment

pytestmark = pytest.mark.django_db


def test_demo_clients_are_at_believable_points(settings, tmp_path):
    settings.MEDIA_ROOT = tmp_path
    now = timezone.now()
    load_demo(now=now)
    clients = {
        int(e.client.email[6]): e
        for e in Enrollment.objects.select_related("client", "primary_clinician__user")
    }
    # client 1: half the intake, no story
    daniel = services.intake_of(clients[1])
    assert services.intake_progress(daniel).count == 5
    assert not daniel.is_complete
    assert services.story_of(clients[1]).pk is None
    # clients 2-4: complete intakes and shared stories; client 3 has edited since
    for n in (2, 3, 4):
        intake = services.intake_of(clients[n])
        story = services.story_of(clients[n])
        assert intake.is_complete and intake.completed_at <= now
        assert story.is_shared and story.shared_at <= now and story.draft_saved_at <= now
        assert story.edited_since_shared is (n == 3)
    # client 3 went through it in session with his clinician
    assert services.intake_of(clients[3]).completed_by == clients[3].primary_clinician.user
    # client 4: first exposure at 11, twelve years, depression, two previous attempts
    found = {f.key: f for f in factors.recovery_factors(services.intake_of(clients[4]).answers)}
    assert found["early_exposure"].value == 11
    assert found["long_duration"].value == 12
    assert found["co_occurring"].value == ["depression"]
    assert found["several_attempts"].value == 2
