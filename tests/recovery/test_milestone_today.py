"""Today marks a milestone on the day the streak reaches it, once today is checked in."""

from __future__ import annotations

from datetime import timedelta

import pytest
from django.urls import reverse
from django.utils import timezone

from tests.assessments.helpers import sign_in
from tests.recovery.helpers import keep

pytestmark = pytest.mark.django_db

MARK = "days in a row — a milestone"


def _counting_for(cast, n: int) -> None:
    """Counting began ``n`` days before today (today is day n + 1)."""
    cast.enrollment.stage_entered_at = timezone.now() - timedelta(days=n)
    cast.enrollment.save(update_fields=["stage_entered_at"])


def _today(client, cast) -> str:
    return sign_in(client, cast.client).get(reverse("program:today")).content.decode()


def test_day_seven_is_marked_once_checked_in(cast, client):
    _counting_for(cast, 6)
    assert MARK not in _today(client, cast)  # today does not count until checked in
    keep(cast)
    page = _today(client, cast)
    assert "7 " + MARK in page


def test_an_ordinary_day_is_not_marked(cast, client):
    _counting_for(cast, 7)
    keep(cast)
    assert MARK not in _today(client, cast)


def test_a_lapse_today_marks_nothing(cast, client):
    _counting_for(cast, 6)
    keep(cast, sober=False)
    assert MARK not in _today(client, cast)
