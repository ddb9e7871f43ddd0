"""Gate criteria come from a registry, are evaluated from data and configured per clinic."""

from __future__ import annotations

from datetime import timedelta

import pytest
import time_machine
from django.utils import timezone

from waypost.program import gates


def _by_key(enrollment):
    return {check.criterion.key: check for check in gates.checklist(enrollment)}


def test_the_checklist_evaluates_the_current_stage_from_data(cast):
    # the cast client moved to stage 2 just now
    checks = _by_key(cast.enrollment)
    assert set(checks) == {
        "time_in_stage_2",
        # Stage 2's own (recovery app): the plans, the devices, the check-ins
        "recovery_plan_agreed",
        "prevention_plan_reviewed",
        "devices_hardened",
        "check_in_days",
    }
    assert checks["time_in_stage_2"].result.met is False
    assert checks["time_in_stage_2"].label == "At least 40 days in this stage"
    with time_machine.travel(timezone.now() + timedelta(days=41)):
        assert _by_key(cast.enrollment)["time_in_stage_2"].result.met is True


def test_a_clinic_tunes_parameters_and_switches_criteria(cast):
    clinic = cast.clinic
    clinic.gate_settings = {"2": {"time_in_stage_2": {"enabled": True, "days": 0}}}
    clinic.save()
    cast.enrollment.refresh_from_db()
    check = _by_key(cast.enrollment)["time_in_stage_2"]
    assert check.result.met is True
    assert check.label == "At least 0 days in this stage"
    clinic.gate_settings = {
        "2": {
            key: {"enabled": False}
            for key in (
                "time_in_stage_2",
                "recovery_plan_agreed",
                "prevention_plan_reviewed",
                "devices_hardened",
                "check_in_days",
            )
        }
    }
    clinic.save()
    cast.enrollment.refresh_from_db()
    assert _by_key(cast.enrollment) == {}


def test_an_optional_criterion_can_be_switched_on(cast):
    optional = gates.GateCriterion(
        key="test_optional_criterion",
        stage=3,
        label="Optional",
        evaluate=lambda enrollment, params: gates.GateResult(True),
        enabled_by_default=False,
    )
    gates.register(optional)
    try:
        assert "test_optional_criterion" not in {
            c.criterion.key for c in gates.checklist(cast.enrollment, stage=3)
        }
        cast.clinic.gate_settings = {"3": {"test_optional_criterion": {"enabled": True}}}
        cast.clinic.save()
        cast.enrollment.refresh_from_db()
        checks = {c.criterion.key: c for c in gates.checklist(cast.enrollment, stage=3)}
        assert checks["test_optional_criterion"].result.met is True
    finally:
        gates._registry.pop("test_optional_criterion")


def test_other_apps_register_criteria_and_duplicates_are_refused():
    criterion = gates.GateCriterion(
        key="test_only_criterion",
        stage=1,
        label="Test",
        evaluate=lambda enrollment, params: gates.GateResult(True),
    )
    gates.register(criterion)
    try:
        assert criterion in gates.criteria_for(1)
        with pytest.raises(ValueError, match="already registered"):
            gates.register(
                gates.GateCriterion(key="test_only_criterion", stage=1, label="x", evaluate=print)
            )
    finally:
        gates._registry.pop("test_only_criterion")


def test_a_criterion_belongs_to_a_real_stage():
    with pytest.raises(ValueError):
        gates.register(gates.GateCriterion(key="bad", stage=5, label="x", evaluate=print))
