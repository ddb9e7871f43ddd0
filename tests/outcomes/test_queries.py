"""The page costs the same number of queries for 5 clients as for 17, and for a short
history as for a long one (fewer than 5 clients cost fewer: their figures are held back
unread)."""

from __future__ import annotations

from datetime import timedelta

import pytest
import time_machine
from django.db import connection
from django.test.utils import CaptureQueriesContext

from tests.outcomes.helpers import (
    NOW,
    TODAY,
    a_client,
    an_alert,
    check_ins,
    days_ago,
    expired,
    outcomes_url,
    phq9,
)
from waypost.flourish import services as flourish

pytestmark = pytest.mark.django_db


@pytest.fixture(autouse=True)
def _frozen():
    with time_machine.travel(NOW, tick=False):
        yield


def _clients_with_history(cast, count: int, *, days: int) -> None:
    """``count`` clients, every third in Stage 4 with a plan and graduated, each with
    ``days`` days of check-ins, questionnaires, a missed one and two alerts."""
    for n in range(count):
        if n % 3 == 0:
            enrollment = a_client(cast, joined=days + 30, stages=((days, 2), (20, 3), (15, 4)))
            flourish.save_maintenance_plan(
                enrollment=enrollment,
                by=cast.clinician,
                rhythm="several",
                warning_signs=["Late nights"],
                if_they_appear=["Tell someone"],
                at=days_ago(12),
            )
            flourish.graduate(enrollment=enrollment, by=cast.clinician, note="Yes.", at=days_ago(3))
        else:
            enrollment = a_client(cast, joined=days + 30, stages=((days, 2),))
        check_ins(enrollment, [TODAY - timedelta(days=d) for d in range(1, days)])
        phq9(enrollment, *[(d, 18 - (d % 9)) for d in range(days, 0, -14)])
        expired(enrollment, "gad-7", days / 2)
        an_alert(enrollment, raised=days / 2, acknowledged_after=timedelta(hours=3))
        an_alert(enrollment, raised=1)


def _queries(client, url) -> int:
    with CaptureQueriesContext(connection) as context:
        response = client.get(url)
    assert response.status_code == 200
    return len(context.captured_queries)


@pytest.mark.parametrize(
    "query", [{}, {"period": "all"}, {"clinician": "mine"}], ids=["90 days", "all", "mine"]
)
def test_the_query_count_does_not_grow_with_clients_or_history(cast, client, query):
    client.force_login(cast.admin)
    if query.get("clinician") == "mine":
        query = {"clinician": cast.clinician_profile.pk, "period": "all"}
    url = outcomes_url(cast, **query)
    held_back = _queries(client, url)  # the cast's one client: only the stages figure
    _clients_with_history(cast, 4, days=40)  # five in all, each of them the cast clinician's
    few = _queries(client, url)
    _clients_with_history(cast, 12, days=120)
    many = _queries(client, url)
    assert few == many
    assert held_back < many <= 22
