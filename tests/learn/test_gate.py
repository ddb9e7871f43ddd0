"""Stage 1 gate: "Core modules read", with how many are read and, optionally, how many needed."""

from __future__ import annotations

import pytest

from waypost.learn.content import library
from waypost.learn.services import mark_read
from waypost.program import gates

pytestmark = pytest.mark.django_db


def _check(enrollment):
    [check] = [
        c for c in gates.checklist(enrollment, stage=1) if c.criterion.key == "core_modules_read"
    ]
    return check


def _read(enrollment, count: int) -> None:
    for module in library().core[:count]:
        mark_read(enrollment=enrollment, module=module)


def test_the_criterion_is_registered_for_stage_1():
    criterion = gates._registry["core_modules_read"]
    assert criterion.stage == 1
    assert criterion.defaults == {"modules": 0}


def test_nothing_read_is_not_met(cast):
    check = _check(cast.enrollment)
    assert check.label == "Core modules read"
    assert not check.result.met
    assert check.result.detail == "0 of 5 read"


def test_some_read_shows_how_many(cast):
    _read(cast.enrollment, 3)
    check = _check(cast.enrollment)
    assert not check.result.met
    assert check.result.detail == "3 of 5 read"


def test_all_core_modules_read_is_met(cast):
    _read(cast.enrollment, 5)
    check = _check(cast.enrollment)
    assert check.result.met
    assert check.result.detail == "5 of 5 read"


def test_reading_other_modules_does_not_count(cast):
    for module in library():
        if not module.core:
            mark_read(enrollment=cast.enrollment, module=module)
    assert _check(cast.enrollment).result.detail == "0 of 5 read"


def test_a_clinic_can_ask_for_fewer(cast):
    # Given a clinic that needs only 3 of the core modules
    cast.clinic.gate_settings = {"1": {"core_modules_read": {"modules": 3}}}
    cast.clinic.save(update_fields=["gate_settings"])
    cast.enrollment.refresh_from_db()
    _read(cast.enrollment, 3)
    # Then 3 read is enough, and the detail says so
    check = _check(cast.enrollment)
    assert check.result.met
    assert check.result.detail == "3 of 5 read; 3 needed"


def test_asking_for_more_than_there_are_means_all(cast):
    cast.clinic.gate_settings = {"1": {"core_modules_read": {"modules": 40}}}
    cast.clinic.save(update_fields=["gate_settings"])
    cast.enrollment.refresh_from_db()
    _read(cast.enrollment, 5)
    assert _check(cast.enrollment).result.met


def test_the_checklist_shows_it_on_a_stage_1_record(cast, client):
    from django.urls import reverse

    enrollment = cast.foreign_enrollment  # a new client, in stage 1
    _read(enrollment, 2)
    client.force_login(cast.foreign_clinician)
    page = client.get(reverse("caseload:record", args=[enrollment.pk])).content.decode()
    assert "Core modules read" in page
    assert "2 of 5 read" in page
