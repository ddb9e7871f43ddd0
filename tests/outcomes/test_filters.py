"""The filters: presets, chosen days, and input that cannot be used (said, defaulted, no error)."""

from __future__ import annotations

from datetime import date

import pytest
import time_machine
from django.http import QueryDict

from tests.outcomes.helpers import NOW, TODAY, outcomes_url
from waypost.caseload.outcomes.forms import read_filters
from waypost.caseload.outcomes.scope import Period, preset_period

pytestmark = pytest.mark.django_db


@pytest.fixture(autouse=True)
def _frozen():
    with time_machine.travel(NOW, tick=False):
        yield


def _read(query: str, clinicians=(), own=None, today=TODAY):
    return read_filters(
        QueryDict(query), clinicians=list(clinicians), own_profile_id=own, today=today
    )[1]


def test_the_presets_end_today_and_the_default_is_the_last_90_days():
    assert preset_period("90d", TODAY) == Period(date(2025, 12, 3), TODAY, "90d")
    assert preset_period("12m", TODAY) == Period(date(2025, 3, 3), TODAY, "12m")
    assert preset_period("all", TODAY) == Period(None, TODAY, "all")
    assert preset_period("12m", date(2028, 2, 29)).start == date(2027, 3, 1)
    assert _read("").period == preset_period("90d", TODAY)
    assert _read("period=all").period.start is None


def test_chosen_days_win_over_a_preset_and_an_end_to_come_is_today():
    filters = _read("period=all&start=2026-01-01&end=2026-12-31")
    assert filters.period == Period(date(2026, 1, 1), TODAY, "")
    assert filters.problems == []
    assert _read("end=2026-01-31").period == Period(None, date(2026, 1, 31), "")


@pytest.mark.parametrize(
    ("query", "said"),
    [
        ("start=2026-13-45", "The first day is not a date we can read."),
        ("end=yesterday", "The last day is not a date we can read."),
        ("start=2026-02-10&end=2026-02-01", "The last day is before the first day."),
        ("start=2026-03-05", "The first day is still to come."),
        ("start=1066-10-14", "Please choose a first day from 2000 on."),
        ("end=0001-01-01", "Please choose a last day from 2000 on."),
        ("period=forever", "That period is not one on offer."),
    ],
)
def test_what_cannot_be_used_is_said_and_the_last_90_days_shown(query, said):
    filters = _read(query)
    assert said in filters.problems
    assert "So the figures are for the last 90 days." in filters.problems
    assert filters.period == preset_period("90d", TODAY)


def test_a_clinician_not_on_offer_is_said_and_the_whole_clinic_shown_keeping_the_period(cast):
    filters = _read("period=all&clinician=999999", clinicians=[cast.clinician_profile])
    assert filters.clinician is None
    assert filters.period.preset == "all"
    assert len(filters.problems) == 1 and "whole clinic" in filters.problems[0]
    mine = _read(f"clinician={cast.clinician_profile.pk}", clinicians=[cast.clinician_profile])
    assert mine.clinician == cast.clinician_profile and mine.problems == []


@pytest.mark.parametrize(
    "query",
    [
        {"start": "2026-02-30"},
        {"start": "x" * 5000},
        {"end": "9999-12-31"},
        {"clinician": "abc"},
        {"clinician": "-1"},
        {"clinician": "1" * 40},
        {"period": "<script>"},
    ],
)
def test_the_page_never_fails_on_its_filters(cast, client, query):
    client.force_login(cast.admin)
    response = client.get(outcomes_url(cast, **query))
    assert response.status_code == 200
    assert response.content.decode().count('class="card outcome"') == 6  # every figure


def test_a_problem_is_said_at_the_top_of_the_page(cast, client):
    client.force_login(cast.admin)
    html = client.get(outcomes_url(cast, start="soon")).content.decode()
    assert 'role="alert"' in html
    assert "The first day is not a date we can read." in html
    assert 'value="2025-12-03"' in html  # the period shown is the one counted
