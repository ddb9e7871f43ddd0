"""The hourly evaluation: one open warning per rule, resolved when no longer true."""

from __future__ import annotations

from datetime import timedelta

import pytest
import time_machine

from tests.early_warnings.helpers import NOW, check_in, counting_since
from waypost.core.models import TimelineEvent
from waypost.recovery.warnings import services
from waypost.recovery.warnings.models import EarlyWarning
from waypost.recovery.warnings.tasks import evaluate_all

pytestmark = pytest.mark.django_db


@pytest.fixture
def enrollment(cast):
    with time_machine.travel(NOW, tick=False):
        counting_since(cast.enrollment)
        yield cast.enrollment


def test_a_firing_rule_raises_one_warning_with_a_timeline_event(enrollment):
    for n in (1, 2, 3, 4):
        check_in(enrollment, n)
    assert evaluate_all()["raised"] == 1
    warning = EarlyWarning.objects.get(enrollment=enrollment)
    assert warning.rule == "recovery.check_ins_missed"
    assert warning.numbers["missed"] == 3 and warning.resolved_at is None
    event = TimelineEvent.objects.get(enrollment=enrollment, kind="early_warnings.raised")
    assert "Check-ins missed" in event.summary


def test_evaluating_again_keeps_one_open_warning_per_rule(enrollment):
    for n in (1, 2, 3, 4):
        check_in(enrollment, n)
    services.evaluate()
    with time_machine.travel(NOW + timedelta(hours=1), tick=False):
        again = services.evaluate()
    assert again.raised == []
    assert EarlyWarning.objects.filter(enrollment=enrollment, resolved_at=None).count() == 1


def test_a_warning_resolves_when_the_rule_no_longer_fires(enrollment):
    for n in (1, 2, 3, 4):
        check_in(enrollment, n)
    services.evaluate()
    for n in (5, 6):
        check_in(enrollment, n)
    result = services.evaluate()
    assert result.resolved == 1
    assert EarlyWarning.objects.get(enrollment=enrollment).resolved_at == NOW
    assert TimelineEvent.objects.filter(kind="early_warnings.resolved").count() == 1


def test_switching_a_rule_off_resolves_it_and_tuning_changes_the_outcome(cast, enrollment):
    for n in (1, 2, 3, 4):
        check_in(enrollment, n)
    services.evaluate()
    services.save_clinic_choices(
        clinic=cast.clinic,
        by=cast.admin,
        choices={"recovery.check_ins_missed": (True, {"window_days": 7, "missed_days": 4})},
    )
    assert services.evaluate().resolved == 1
    services.save_clinic_choices(
        clinic=cast.clinic,
        by=cast.admin,
        choices={"recovery.check_ins_missed": (False, {"missed_days": 1})},
    )
    assert services.evaluate().raised == []


def test_evaluation_queries_do_not_grow_with_the_number_of_clients(
    cast, enrollment, django_assert_max_num_queries
):
    from django.db import connection
    from django.test.utils import CaptureQueriesContext

    from tests.cast import make_user
    from waypost.program.models import Enrollment
    from waypost.program.services import enroll_client

    def count() -> int:
        with CaptureQueriesContext(connection) as seen:
            services.evaluate()
        return len(seen.captured_queries)

    for n in range(7):
        check_in(enrollment, n)  # nothing fires: no writes
    few = count()
    for i in range(5):
        client = make_user(f"more{i}@north.test", f"More {i}")
        other = enroll_client(
            client=client, clinician_profile=cast.clinician_profile, by=cast.clinician
        )
        Enrollment.objects.filter(pk=other.pk).update(stage=2, stage_entered_at=NOW)
        check_in(other, 0)
    assert count() == few
