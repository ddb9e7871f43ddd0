"""The maintenance plan: versions, the rhythm, agreement with the clinician."""

from __future__ import annotations

import pytest
from django.core.exceptions import PermissionDenied

from waypost.core.models import TimelineEvent
from waypost.flourish import selectors, services
from waypost.flourish.models import MaintenanceAgreement, MaintenancePlan
from waypost.flourish.services import MaintenanceError

pytestmark = pytest.mark.django_db


def _save(cast, by=None, **extra):
    fields = {
        "rhythm": "several",
        "warning_signs": "Sleeping badly\n\nKeeping secrets",
        "if_they_appear": ["Tell my ally", "Daily check-ins again"],
    }
    fields.update(extra)
    return services.save_maintenance_plan(
        enrollment=cast.enrollment, by=by or cast.client, **fields
    )


def test_each_save_is_a_new_version_and_a_repeat_is_not(stage4):
    first = _save(stage4)
    assert first.version == 1
    assert _save(stage4).pk == first.pk  # the same plan again: a retry
    second = _save(stage4, rhythm="weekly")
    assert second.version == 2
    found = selectors.maintenance_of(stage4.enrollment)
    assert found.plan.pk == second.pk
    assert found.content["warning_signs"] == ["Sleeping badly", "Keeping secrets"]
    assert selectors.check_in_rhythm(stage4.enrollment) == "weekly"


def test_the_clinician_saves_in_session_and_agrees_the_newest_version(stage4):
    plan = _save(stage4, by=stage4.clinician)
    assert plan.in_session
    with pytest.raises(MaintenanceError, match="changed since"):
        services.agree_maintenance_plan(
            enrollment=stage4.enrollment, by=stage4.clinician, version=2
        )
    services.agree_maintenance_plan(enrollment=stage4.enrollment, by=stage4.clinician, version=1)
    services.agree_maintenance_plan(enrollment=stage4.enrollment, by=stage4.clinician, version=1)
    assert MaintenanceAgreement.objects.count() == 1
    assert selectors.maintenance_of(stage4.enrollment).agreed_at is not None
    assert selectors.record_summary(stage4.enrollment).plan_agreed
    # a new version is not agreed until agreed again
    _save(stage4, rhythm="daily")
    assert not selectors.record_summary(stage4.enrollment).plan_agreed
    assert TimelineEvent.objects.filter(kind="flourish.maintenance_agreed").count() == 1


def test_the_client_cannot_agree_their_own_plan(stage4):
    _save(stage4)
    with pytest.raises(PermissionDenied):
        services.agree_maintenance_plan(enrollment=stage4.enrollment, by=stage4.client, version=1)


def test_a_plan_without_warning_signs_or_rhythm_is_refused(stage4):
    with pytest.raises(MaintenanceError, match="at least one sign"):
        _save(stage4, warning_signs="")
    with pytest.raises(MaintenanceError, match="how often"):
        _save(stage4, rhythm="hourly")
    assert not MaintenancePlan.objects.exists()


def test_no_plan_means_no_rhythm(stage4):
    assert selectors.check_in_rhythm(stage4.enrollment) is None
