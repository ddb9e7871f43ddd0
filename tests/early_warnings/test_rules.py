"""Each rule, at its edges: it fires at its threshold and not just below it."""

from __future__ import annotations

from datetime import timedelta

import pytest
import time_machine

from tests.early_warnings.helpers import NOW, check_in, counting_since, urge
from waypost.recovery.warnings import recovery_rules
from waypost.recovery.warnings.recovery_rules import (
    CHECK_INS_MISSED,
    SLEEP_MOOD_FALLING,
    URGE_RISING,
)

pytestmark = pytest.mark.django_db


@pytest.fixture
def enrollment(cast):
    with time_machine.travel(NOW, tick=False):
        counting_since(cast.enrollment)
        yield cast.enrollment


def _run(rule, enrollment, **params):
    enrollment.__dict__.pop("_early_warning_days", None)  # read afresh
    return rule.evaluate(enrollment, rule.tuned(params), NOW)


def _weeks(enrollment, *, earlier, recent, field="urge", **fixed):
    """Seven check-ins in the earlier week with ``earlier``, seven recent with ``recent``."""
    for n in range(7):
        check_in(enrollment, n, **{field: recent}, **fixed)
        check_in(enrollment, n + 7, **{field: earlier}, **fixed)


def test_urges_rising_by_exactly_the_rise_fires_with_its_numbers(enrollment):
    _weeks(enrollment, earlier=2, recent=4)
    finding = _run(URGE_RISING, enrollment)
    assert finding is not None
    assert finding.numbers == {
        "recent_average": 4.0,
        "earlier_average": 2.0,
        "rise": 2.0,
        "recent_days": 7,
        "earlier_days": 7,
        "window_days": 7,
    }


def test_urges_rising_by_less_than_the_rise_does_not_fire(enrollment):
    _weeks(enrollment, earlier=2, recent=3)
    assert _run(URGE_RISING, enrollment) is None


def test_a_logged_urge_stronger_than_the_check_in_counts_for_its_day(enrollment):
    _weeks(enrollment, earlier=2, recent=3)
    for n in range(7):
        urge(enrollment, n, 4)  # the day's strongest is now 4
    finding = _run(URGE_RISING, enrollment)
    assert finding is not None and finding.numbers["recent_average"] == 4.0


def test_urges_rising_needs_enough_days_in_both_windows(enrollment):
    for n in range(7):
        check_in(enrollment, n, urge=8)
    for n in (7, 8):  # two earlier days: fewer than the three needed
        check_in(enrollment, n, urge=1)
    assert _run(URGE_RISING, enrollment) is None
    assert _run(URGE_RISING, enrollment, min_days=2) is not None


def test_tuning_the_rise_changes_the_outcome(enrollment):
    _weeks(enrollment, earlier=2, recent=3)
    assert _run(URGE_RISING, enrollment) is None
    assert _run(URGE_RISING, enrollment, rise=1) is not None


def test_mood_falling_by_the_drop_fires_and_names_mood(enrollment):
    _weeks(enrollment, earlier=4, recent=3, field="mood")
    finding = _run(SLEEP_MOOD_FALLING, enrollment)
    assert finding is not None
    assert finding.numbers["falling"] == "mood"
    assert (finding.numbers["mood_earlier"], finding.numbers["mood_recent"]) == (4.0, 3.0)


def test_mood_falling_by_less_than_the_drop_does_not_fire(enrollment):
    for n in range(7):
        check_in(enrollment, n, mood=3 if n % 2 else 4)  # recent average 3.6 (or 3.4)
        check_in(enrollment, n + 7, mood=4)
    finding = _run(SLEEP_MOOD_FALLING, enrollment)
    assert finding is None


def test_sleep_falling_by_the_hours_fires_and_not_below(enrollment):
    _weeks(enrollment, earlier=7.5, recent=6.0, field="sleep")
    finding = _run(SLEEP_MOOD_FALLING, enrollment)
    assert finding is not None and finding.numbers["falling"] == "sleep"
    assert finding.numbers["sleep_drop"] == 1.5
    assert _run(SLEEP_MOOD_FALLING, enrollment, sleep_drop=1.6) is None


def test_days_without_sleep_answers_are_left_out(enrollment):
    _weeks(enrollment, earlier=7.5, recent=None, field="sleep")
    assert _run(SLEEP_MOOD_FALLING, enrollment) is None


def test_three_missed_days_of_the_last_seven_fire(enrollment):
    for n in (1, 2, 3, 4):  # 5, 6, 7 days ago missed
        check_in(enrollment, n)
    finding = _run(CHECK_INS_MISSED, enrollment)
    assert finding is not None
    assert finding.numbers["missed"] == 3 and finding.numbers["days_considered"] == 7
    assert finding.numbers["last_check_in"] == "2025-03-19"


def test_two_missed_days_do_not_fire_and_today_is_not_yet_missed(enrollment):
    for n in (1, 2, 3, 4, 5):  # today, 6 and 7 days ago without one
        check_in(enrollment, n)
    assert _run(CHECK_INS_MISSED, enrollment) is None
    assert _run(CHECK_INS_MISSED, enrollment, missed_days=2) is not None


def test_days_before_counting_began_are_not_missed(enrollment):
    counting_since(enrollment, days=2)  # stage 2 began two days ago
    assert _run(CHECK_INS_MISSED, enrollment) is None  # two days looked at, both missed
    finding = _run(CHECK_INS_MISSED, enrollment, missed_days=2)
    assert finding is not None and finding.numbers["days_considered"] == 2


def test_parameters_are_kept_within_their_range():
    assert URGE_RISING.tuned({"window_days": 99, "rise": "x"}) == {
        "window_days": recovery_rules.MAX_WINDOW_DAYS,
        "rise": 2.0,
        "min_days": 3,
    }


def test_a_quiet_shield_device_fires_after_the_hours_and_not_at_them(enrollment):
    from waypost.recovery.models import Device
    from waypost.shield.early_warning import DEVICE_QUIET
    from waypost.shield.models import ShieldDevice

    device = Device.objects.create(
        enrollment=enrollment, client_uuid="0" * 32, name="Phone", kind="phone", created_at=NOW
    )
    shield = ShieldDevice.objects.create(
        device=device, created_at=NOW - timedelta(days=3), last_seen_at=NOW - timedelta(hours=12)
    )

    def run(**params):
        enrollment.__dict__.pop("_early_warning_shield", None)
        return DEVICE_QUIET.evaluate(enrollment, DEVICE_QUIET.tuned(params), NOW)

    assert run() is None  # exactly 12 hours: not yet
    ShieldDevice.objects.filter(pk=shield.pk).update(
        last_seen_at=NOW - timedelta(hours=12, minutes=6)
    )
    finding = run()
    assert finding is not None
    assert finding.numbers == {
        "quiet_devices": 1,
        "devices_on_shield": 1,
        "longest_quiet_hours": 12.1,
        "quiet_hours": 12.0,
    }
    assert run(quiet_hours=13) is None
    ShieldDevice.objects.filter(pk=shield.pk).update(revoked_at=NOW)
    assert run() is None  # a device taken off Shield is not watched
