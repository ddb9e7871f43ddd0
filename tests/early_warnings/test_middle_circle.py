"""The middle-circle rule at its edges: days with a moment noted, within the window."""

from __future__ import annotations

import uuid
from datetime import timedelta

import pytest
import time_machine
from django.db import connection
from django.test.utils import CaptureQueriesContext

from tests.early_warnings.helpers import NOW, TODAY, counting_since
from waypost.recovery.models import MiddleCircleMoment
from waypost.recovery.warnings import recovery_rules, rules, services
from waypost.recovery.warnings.models import EarlyWarning
from waypost.recovery.warnings.recovery_rules import MIDDLE_CIRCLE

pytestmark = pytest.mark.django_db


@pytest.fixture
def enrollment(cast):
    with time_machine.travel(NOW, tick=False):
        counting_since(cast.enrollment)
        yield cast.enrollment


def moment(enrollment, days_ago: int, *, deleted: bool = False) -> MiddleCircleMoment:
    """One moment on slippery ground, noted ``days_ago`` days before the client's today."""
    return MiddleCircleMoment.objects.create(
        enrollment=enrollment,
        client_uuid=uuid.uuid4(),
        occurred_at=NOW - timedelta(days=days_ago),
        local_date=TODAY - timedelta(days=days_ago),
        local_hour=12,
        items="" if deleted else "Scrolling in bed",
        created_at=NOW,
        deleted_at=NOW if deleted else None,
    )


def _run(enrollment, **params):
    enrollment.__dict__.pop("_early_warning_days", None)  # read afresh
    return MIDDLE_CIRCLE.evaluate(enrollment, MIDDLE_CIRCLE.tuned(params), NOW)


def test_it_is_registered_with_its_defaults_and_numbers():
    assert rules.get("recovery.middle_circle") is MIDDLE_CIRCLE
    assert MIDDLE_CIRCLE.defaults() == {"window_days": 7, "min_days": 2}
    assert [n.key for n in MIDDLE_CIRCLE.numbers] == ["days_with_moments", "moments", "window_days"]


def test_two_days_with_moments_in_the_week_fire_with_their_numbers(enrollment):
    moment(enrollment, 0)
    moment(enrollment, 6)  # the seventh day of the window, counting today
    moment(enrollment, 6)

    finding = _run(enrollment)

    assert finding is not None
    assert finding.numbers == {"days_with_moments": 2, "moments": 3, "window_days": 7}


def test_a_day_just_outside_the_window_does_not_count(enrollment):
    moment(enrollment, 0)
    moment(enrollment, 7)  # eight days ago, counting today

    assert _run(enrollment) is None


def test_several_moments_on_one_day_are_one_day(enrollment):
    for _ in range(4):
        moment(enrollment, 2)

    assert _run(enrollment) is None
    finding = _run(enrollment, min_days=1)
    assert finding is not None and finding.numbers["moments"] == 4


def test_nothing_noted_does_not_fire(enrollment):
    assert _run(enrollment) is None
    assert _run(enrollment, min_days=1) is None


def test_a_deleted_moment_does_not_count(enrollment):
    moment(enrollment, 1)
    moment(enrollment, 3, deleted=True)

    assert _run(enrollment) is None


def test_moments_logged_in_the_future_of_the_clients_day_do_not_count(enrollment):
    # A moment after the client's today (a clock far ahead) is not in the window.
    moment(enrollment, 0)
    moment(enrollment, -1)

    assert _run(enrollment) is None


def test_clinic_tuned_window_and_days_change_the_outcome(enrollment):
    moment(enrollment, 1)
    moment(enrollment, 9)
    moment(enrollment, 12)

    assert _run(enrollment) is None  # one day in the last seven
    wider = _run(enrollment, window_days=14)
    assert wider is not None and wider.numbers == {
        "days_with_moments": 3,
        "moments": 3,
        "window_days": 14,
    }
    assert _run(enrollment, window_days=14, min_days=4) is None
    assert _run(enrollment, window_days=10) is not None  # 9 days ago is day 10 of 10


def test_parameters_are_kept_within_their_range():
    assert MIDDLE_CIRCLE.tuned({"window_days": 99, "min_days": 0}) == {
        "window_days": recovery_rules.MAX_WINDOW_DAYS,
        "min_days": 1,
    }


def test_the_clinics_choices_reach_the_hourly_evaluation(cast, enrollment):
    moment(enrollment, 0)
    moment(enrollment, 3)
    services.evaluate()
    warning = EarlyWarning.objects.get(enrollment=enrollment, rule="recovery.middle_circle")
    assert warning.numbers == {"days_with_moments": 2, "moments": 2, "window_days": 7}

    services.save_clinic_choices(
        clinic=cast.clinic,
        by=cast.admin,
        choices={"recovery.middle_circle": (True, {"window_days": 7, "min_days": 3})},
    )

    assert services.evaluate().resolved == 1
    warning.refresh_from_db()
    assert warning.resolved_at is not None


def test_the_nudge_is_kind_and_names_no_numbers():
    words = str(MIDDLE_CIRCLE.nudge({"days_with_moments": 3, "moments": 5, "window_days": 7}))
    assert "Noticing is the skill" in words
    assert not any(ch.isdigit() for ch in words)
    for word in ("failure", "relapse", "warning", "should"):
        assert word not in words.lower()


def test_prepare_reads_the_same_number_of_queries_however_many_clients(cast, enrollment):
    from tests.cast import make_user
    from waypost.program.models import Enrollment
    from waypost.program.services import enroll_client

    def count(enrollments) -> int:
        for e in enrollments:
            e.__dict__.pop("_early_warning_days", None)
        with CaptureQueriesContext(connection) as seen:
            recovery_rules.prepare(enrollments, NOW)
            for e in enrollments:
                MIDDLE_CIRCLE.evaluate(e, MIDDLE_CIRCLE.defaults(), NOW)
        return len(seen.captured_queries)

    moment(enrollment, 0)
    others = []
    for i in range(5):
        client = make_user(f"middle{i}@north.test", f"Middle {i}")
        other = enroll_client(
            client=client, clinician_profile=cast.clinician_profile, by=cast.clinician
        )
        Enrollment.objects.filter(pk=other.pk).update(stage=2, stage_entered_at=NOW)
        other.refresh_from_db()
        for n in range(i + 1):
            moment(other, n)
        others.append(other)
    everyone = Enrollment.objects.filter(
        pk__in=[enrollment.pk, *(o.pk for o in others)]
    ).select_related("client", "clinic")
    loaded = list(everyone)

    assert count(loaded) == count([loaded[0]]) == 4  # plans, check-ins, urges, moments
