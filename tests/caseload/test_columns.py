"""The caseload shows, per client, what needs attention: alerts, scores and questionnaires."""

from __future__ import annotations

from datetime import timedelta

import pytest
from django.urls import reverse
from django.utils import timezone

from waypost.assessments.models import Administration
from waypost.assessments.services import assign_measure, record_completed
from waypost.safety.services import raise_alert

pytestmark = pytest.mark.django_db


def _row(html: str, name: str) -> str:
    start = html.index(name)
    return html[html.rindex("<tr", 0, start) : html.index("</tr>", start)]


def test_alerts_scores_and_missed_questionnaires_show_on_the_clients_row(cast, client):
    # given a client with a reliable PHQ-9 improvement, a missed GAD-7 and an open alert
    now = timezone.now()
    for weeks, answers in ((8, [2, 2, 2, 2, 2, 2, 2, 2, 1]), (1, [1, 1, 1, 0, 0, 0, 0, 0, 0])):
        record_completed(
            enrollment=cast.enrollment,
            instrument_id="phq-9",
            answers=answers,
            at=now - timedelta(weeks=weeks),
            notify=False,
        )
    assign_measure(enrollment=cast.enrollment, instrument_id="gad-7", by=cast.clinician)
    Administration.objects.filter(instrument_id="gad-7").update(
        status=Administration.Status.EXPIRED, closes_at=now - timedelta(days=2)
    )
    # (the 17 -> 3 PHQ-9 had a critical first answer: that raised one alert already)
    raise_alert(
        enrollment=cast.enrollment,
        kind="critical_item",
        summary="test",
        source_label="test",
        notify=False,
    )
    # when their clinician opens the caseload
    client.force_login(cast.clinician)
    html = client.get(reverse("caseload:list")).content.decode()
    row = _row(html, cast.client.name)
    # then the row shows the open alerts, the score with its mark, and the missed form
    assert "2 open" in row
    assert "PHQ-9 3↓" in row
    assert "PHQ-9: Reliable improvement, now outside the clinical range" in row
    assert "missed GAD-7" in row
    assert "needs attention" in row
    # and nothing about any other clinician's clients
    assert cast.foreign_client.name not in html


def test_filters_narrow_the_list_to_who_needs_attention_or_a_stage(cast, client):
    client.force_login(cast.clinician)
    everyone = client.get(reverse("caseload:list")).content.decode()
    assert cast.client.name in everyone
    # nobody needs attention yet
    calm = client.get(reverse("caseload:list"), {"show": "attention"}).content.decode()
    assert cast.client.name not in calm
    assert "Nobody matches" in calm
    raise_alert(enrollment=cast.enrollment, kind="x", summary="s", source_label="s", notify=False)
    urgent = client.get(reverse("caseload:list"), {"show": "attention"}).content.decode()
    assert cast.client.name in urgent
    other_stage = 1 if cast.enrollment.stage != 1 else 2
    by_stage = client.get(reverse("caseload:list"), {"stage": other_stage}).content.decode()
    assert cast.client.name not in by_stage
    # a nonsense stage is ignored rather than an error
    assert client.get(reverse("caseload:list"), {"stage": "x"}).status_code == 200
