"""The caseload stays flat: as many queries for 5N clients as for N, for a long history as a short.

The clients are in every stage, with weeks of check-ins, urges, lapses, questionnaires,
alerts, early warnings, Shield devices, messages and appointments (tests/caseload/history.py,
the benchmark's own data), half of them with something open that needs a look.
"""

from __future__ import annotations

from datetime import timedelta

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse
from django.utils import timezone

from tests.caseload.history import clients_with_history as _clients
from waypost.assessments.columns import first_and_latest
from waypost.assessments.models import Administration
from waypost.core import columns
from waypost.program.models import Enrollment

pytestmark = pytest.mark.django_db

N = 2


def _count(browser, **params) -> int:
    url = reverse("caseload:list")
    browser.get(url, params)  # the first page after signing in saves the session
    with CaptureQueriesContext(connection) as captured:
        response = browser.get(url, params)
    assert response.status_code == 200
    return len(captured.captured_queries)


@pytest.mark.parametrize(
    "params",
    [{}, {"sort": "assessments.scores"}, {"show": "attention", "q": "client", "sort": "name"}],
)
def test_five_times_the_clients_take_the_same_queries(cast, client, params):
    client.force_login(cast.clinician)
    _clients(cast, 0, N, days=30)
    few = _count(client, **params)
    _clients(cast, N, 5 * N, days=30)
    assert _count(client, **params) == few


def test_a_long_history_takes_the_same_queries_as_a_short_one(cast, client):
    client.force_login(cast.clinician)
    short = _clients(cast, 0, 4, days=3)
    few = _count(client)
    # the same clients' history, a few months deeper
    Enrollment.objects.filter(pk__in=[e.pk for e in short]).delete()
    _clients(cast, 4, 8, days=120)
    assert _count(client) == few


def test_the_caseload_shows_every_column_for_a_client_with_history(cast, client):
    # given a Stage 2 client with a month of history and something open everywhere
    [enrollment] = _clients(cast, 5, 6, days=30, worried=True)
    assert enrollment.stage == 2
    client.force_login(cast.clinician)
    html = client.get(reverse("caseload:list")).content.decode()
    start = html.index("Client 005")
    row = html[start : html.index("</tr>", start)]
    # then each thing the dashboard promises is on the row
    assert "days in stage" in row
    assert "days in all" in row  # total sober days beside the streak
    assert "checked in yesterday" in row
    assert "PHQ-9 " in row and "GAD-7 " in row
    assert "missed GAD-7" in row and "PHQ-9 open" in row
    assert "1 open · overdue" in row  # the open risk alert
    assert "Check-ins missed" in row  # the early warning
    assert "1 unread" in row
    assert "2 on Shield · 1 silent" in row
    assert "needs attention" in row
    assert reverse("appointments:for_client", args=[enrollment.pk]) in row


def test_latest_scores_read_only_the_first_and_latest_form_of_each_questionnaire(cast):
    # given a client with a long run of PHQ-9s and a single GAD-7
    now = timezone.now()
    forms = [
        Administration(
            enrollment=cast.enrollment,
            instrument_id="phq-9",
            status=Administration.Status.COMPLETED,
            opens_at=now - timedelta(days=100 - n),
            closes_at=now - timedelta(days=93 - n),
            completed_at=now - timedelta(days=100 - n),
            total=20 - n // 5,
        )
        for n in range(0, 100, 5)
    ]
    forms.append(
        Administration(
            enrollment=cast.enrollment,
            instrument_id="gad-7",
            status=Administration.Status.COMPLETED,
            opens_at=now - timedelta(days=3),
            closes_at=now + timedelta(days=4),
            completed_at=now - timedelta(days=3),
            total=9,
        )
    )
    Administration.objects.bulk_create(forms)
    # when the column reads them
    with CaptureQueriesContext(connection) as captured:
        pairs = first_and_latest([cast.enrollment.pk])[cast.enrollment.pk]
    # then two queries bring the first and the latest of each: when they were completed,
    # then the forms completed at those moments only, nothing between
    assert len(captured.captured_queries) == 2
    assert "MIN(" in captured.captured_queries[0]["sql"].upper()
    first, latest = pairs["phq-9"]
    assert (first.total, latest.total) == (20, 1)
    only = pairs["gad-7"]
    assert only[0].pk == only[1].pk
    cells = columns.rows([cast.enrollment])[1][0].cells
    assert any(cell is not None and "PHQ-9 1↓" in cell.text for cell in cells)


def test_of_forms_completed_at_the_same_moment_the_first_is_the_lowest_id(cast):
    # given three PHQ-9s, two of them completed at the very same moment, and the last alone
    now = timezone.now()
    at = now - timedelta(days=30)
    Administration.objects.bulk_create(
        Administration(
            enrollment=cast.enrollment,
            instrument_id="phq-9",
            status=Administration.Status.COMPLETED,
            opens_at=moment,
            closes_at=moment + timedelta(days=7),
            completed_at=moment,
            total=total,
        )
        for moment, total in ((at, 15), (at, 14), (now - timedelta(days=2), 6))
    )
    # when the column reads the first and the latest
    first, latest = first_and_latest([cast.enrollment.pk])[cast.enrollment.pk]["phq-9"]
    # then the first is the earlier-made of the two at the same moment, the latest the last
    ids = sorted(Administration.objects.filter(total__in=(15, 14)).values_list("pk", flat=True))
    assert (first.pk, first.total) == (ids[0], 15)
    assert latest.total == 6


def test_questionnaires_missed_long_ago_are_neither_loaded_nor_shown(cast):
    from waypost.assessments.columns import due

    now = timezone.now()
    for days_ago in (40, 200):
        Administration.objects.create(
            enrollment=cast.enrollment,
            instrument_id="gad-7",
            status=Administration.Status.EXPIRED,
            opens_at=now - timedelta(days=days_ago + 7),
            closes_at=now - timedelta(days=days_ago),
        )
    assert due([cast.enrollment]) == {}
    Administration.objects.create(
        enrollment=cast.enrollment,
        instrument_id="phq-9",
        status=Administration.Status.EXPIRED,
        opens_at=now - timedelta(days=9),
        closes_at=now - timedelta(days=2),
    )
    cell = due([cast.enrollment])[cast.enrollment.pk]
    assert cell.text == "missed PHQ-9" and cell.attention and cell.sort == (1, 0, 0)
