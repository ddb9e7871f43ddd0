"""Looking never writes: the client's Today and questionnaires pages only read.

Forms fall due in the background task and on the POST that starts one; the
pages show what is due, computed from the schedules, without making rows.
"""

from __future__ import annotations

from datetime import timedelta

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse
from django.utils import timezone

from tests.assessments.helpers import assign, page, sign_in
from waypost.assessments import services
from waypost.assessments.models import Administration

pytestmark = pytest.mark.django_db

WRITES = ("INSERT", "UPDATE", "DELETE", "REPLACE")
# The sign-in session's expiry slides forward on every request
# (SESSION_SAVE_EVERY_REQUEST): the sign-in's bookkeeping, not the page's.
SESSION_TABLE = '"django_session"'


def _writes(queries) -> list[str]:
    return [
        q["sql"]
        for q in queries
        if q["sql"].lstrip().upper().startswith(WRITES) and SESSION_TABLE not in q["sql"]
    ]


def _fell_due_since_the_sweep(cast) -> None:
    """Weekly GAD-7 whose second week began an hour ago; PHQ-9 before tomorrow's session."""
    start = timezone.now() - timedelta(weeks=1, hours=1)
    assign(cast, "phq-9", schedule="session", at=start)
    services.plan_session(
        enrollment=cast.enrollment,
        starts_at=timezone.now() + timedelta(days=3),
        by=cast.clinician,
    )
    # the session moves to tomorrow, so its form fell due, and nobody swept since
    cast.enrollment.planned_sessions.update(starts_at=timezone.now() + timedelta(days=1))
    # (assigning opens what is due at ``start``: the first week's GAD-7, closed since)
    assign(cast, "gad-7", schedule="weeks", every_weeks=1, window_days=3, at=start)
    assert not Administration.objects.filter(instrument_id="phq-9").exists()
    assert Administration.objects.filter(instrument_id="gad-7").count() == 1


@pytest.mark.parametrize("url_name", ["program:today", "assessments:measures"])
def test_a_get_of_the_clients_pages_writes_nothing(cast, client, url_name):
    # given forms already open, and others that fell due since the last sweep
    assign(cast, "who-5")
    _fell_due_since_the_sweep(cast)
    browser = sign_in(client, cast.client)
    forms_before = Administration.objects.count()
    # when the client opens the page
    with CaptureQueriesContext(connection) as captured:
        response = browser.get(reverse(url_name))
    # then every waiting questionnaire shows, and nothing was written
    assert response.status_code == 200
    html = page(response)
    # (named in plain words: client pages never show the codes)
    for name in ("Wellbeing questionnaire", "Worry questionnaire", "Mood questionnaire"):
        # (on Today the first is the next step's heading, the rest are listed below it)
        assert f"<strong>{name}</strong>" in html or f'id="next-step-heading">{name}<' in html
    assert _writes(captured.captured_queries) == []
    assert Administration.objects.count() == forms_before


def test_the_sweep_then_opens_what_the_pages_showed(cast, client):
    # given forms that fell due and were shown, unopened
    _fell_due_since_the_sweep(cast)
    sign_in(client, cast.client).get(reverse("program:today"))
    # when the background task runs
    opened = services.open_due_forms()
    # then it opens them, and the Today page links to the opened forms
    assert sorted(f.instrument_id for f in opened) == ["gad-7", "phq-9"]
    html = page(client.get(reverse("program:today")))
    for form in opened:
        assert reverse("assessments:start", args=[form.pk]) in html
