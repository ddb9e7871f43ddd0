"""Times are stored in UTC and shown in the viewer's time zone."""

from __future__ import annotations

from datetime import UTC, datetime

from django.urls import reverse

from waypost.clinics.middleware import language_for, time_zone_for
from waypost.program.models import StageChange


def test_people_see_their_clinics_time_zone_unless_they_chose_one(cast):
    assert time_zone_for(cast.client) == "Asia/Singapore"
    assert time_zone_for(cast.foreign_clinician) == "Europe/London"
    assert time_zone_for(cast.ally_all) == "Asia/Singapore"
    cast.client.time_zone = "Australia/Perth"
    assert time_zone_for(cast.client) == "Australia/Perth"
    assert time_zone_for(None) is None


def test_a_stage_change_time_is_shown_in_singapore_time(client, cast):
    change = cast.enrollment.stage_changes.filter(to_stage=2).get()
    StageChange.objects.filter(pk=change.pk).update(
        created_at=datetime(2026, 3, 1, 20, 30, tzinfo=UTC)
    )
    client.force_login(cast.clinician)
    page = client.get(reverse("caseload:record", args=[cast.enrollment.pk])).content.decode()
    assert "2 Mar 2026 04:30" in page  # UTC+8


def test_language_falls_back_to_the_clinic_default(cast):
    assert language_for(cast.client) == "en"
    cast.client.language = "xx"  # not offered: ignored
    assert language_for(cast.client) == "en"
