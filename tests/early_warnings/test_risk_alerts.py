"""Recovery's entries in the risk inbox: the client's lapses and long silences."""

from __future__ import annotations

import uuid
from datetime import timedelta

import pytest
import time_machine

from tests.early_warnings.helpers import NOW, TODAY, check_in, counting_since
from waypost.core.models import TimelineEvent
from waypost.program.models import Enrollment
from waypost.recovery.models import CheckIn
from waypost.recovery.services.lapses import log_lapse
from waypost.recovery.warnings import risk
from waypost.safety.models import RiskAlert

pytestmark = pytest.mark.django_db


@pytest.fixture
def enrollment(cast):
    with time_machine.travel(NOW, tick=False):
        counting_since(cast.enrollment)
        yield cast.enrollment


def _alerts(enrollment, kind):
    return list(RiskAlert.objects.filter(enrollment=enrollment, kind=kind))


def test_a_lapse_the_client_logs_reaches_the_inbox_once(
    cast, enrollment, django_capture_on_commit_callbacks
):
    with django_capture_on_commit_callbacks(execute=True):
        log_lapse(
            enrollment=enrollment,
            by=cast.client,
            day=TODAY - timedelta(days=1),
            client_uuid=uuid.uuid4(),
        )
    (alert,) = _alerts(enrollment, risk.LAPSE_KIND)
    assert alert.is_open and alert.severity == risk.LAPSE_SEVERITY
    assert "19 March 2025" in alert.summary
    assert alert.source_url == f"/clients/{enrollment.pk}/lapses/"
    # the same event again (a retried listener) adds nothing
    event = TimelineEvent.objects.get(enrollment=enrollment, kind="recovery.lapse_logged")
    risk.alert_on_lapse(event)
    assert len(_alerts(enrollment, risk.LAPSE_KIND)) == 1


def test_a_lapse_written_down_by_the_clinician_raises_nothing(cast, enrollment):
    event = TimelineEvent(
        enrollment=enrollment,
        kind="recovery.lapse_logged",
        actor=cast.clinician,
        data={"day": "2025-03-19"},
        created_at=NOW,
    )
    risk.alert_on_lapse(event)
    assert _alerts(enrollment, risk.LAPSE_KIND) == []


def test_a_week_without_a_check_in_raises_one_alert_per_silence(enrollment):
    check_in(enrollment, 1)  # created at NOW
    assert risk.raise_missed_check_in_alerts(NOW + timedelta(days=6, hours=23)) == 0
    later = NOW + timedelta(days=7)
    assert risk.raise_missed_check_in_alerts(later) == 1
    (alert,) = _alerts(enrollment, risk.MISSED_KIND)
    assert alert.summary == "No check-in for 7 days."
    assert alert.severity == risk.MISSED_SEVERITY
    # the same silence is not raised again, hour after hour
    assert risk.raise_missed_check_in_alerts(later + timedelta(days=3)) == 0
    # a check-in ends the silence; the next long one is a new alert
    back = check_in(enrollment, 0)
    CheckIn.objects.filter(pk=back.pk).update(created_at=later + timedelta(days=4))
    assert risk.raise_missed_check_in_alerts(later + timedelta(days=10)) == 0
    assert risk.raise_missed_check_in_alerts(later + timedelta(days=11)) == 1
    assert len(_alerts(enrollment, risk.MISSED_KIND)) == 2


def test_no_check_in_yet_counts_from_the_start_of_the_stage(enrollment):
    # Stage 2 began 60 days before NOW and there is no check-in at all
    assert risk.raise_missed_check_in_alerts(NOW) == 1
    (alert,) = _alerts(enrollment, risk.MISSED_KIND)
    assert alert.summary == "No check-in yet, 60 days into the stage."


@pytest.mark.parametrize("stage", [1, 4])
def test_only_stages_with_a_daily_check_in_count(enrollment, stage):
    Enrollment.objects.filter(pk=enrollment.pk).update(stage=stage)
    assert risk.raise_missed_check_in_alerts(NOW) == 0


def test_the_query_count_does_not_grow_with_clients(
    cast, enrollment, django_assert_max_num_queries
):
    check_in(enrollment, 1)
    # nobody is silent: a fixed, small number of queries, whoever is enrolled
    with django_assert_max_num_queries(1):
        assert risk.raise_missed_check_in_alerts(NOW + timedelta(days=1)) == 0
