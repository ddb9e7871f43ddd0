"""No contradicting labels: a client with a critical answer or an open risk alert is never
shown only as "Recovered" — not on the clinician's measures chart, not on the caseload."""

from __future__ import annotations

from datetime import timedelta

import pytest
from django.urls import reverse
from django.utils import timezone

from tests.assessments.helpers import PHQ9_17, PHQ9_LOW, completed, page, sign_in
from tests.caseload.test_columns import _row
from waypost.safety.models import RiskAlert

pytestmark = pytest.mark.django_db

PHQ9_17_CRITICAL = [3, 3, 3, 2, 2, 1, 1, 1, 1]  # 17, question 9 "Several days"
PHQ9_3_CRITICAL = [1, 1, 0, 0, 0, 0, 0, 0, 1]  # 3, "Recovered" from 17, question 9 still 1


@pytest.fixture
def recovered_with_an_open_alert(cast):
    """17 six weeks ago, 3 now (recovered), question 9 above zero on both."""
    now = timezone.now()
    completed(cast, PHQ9_17_CRITICAL, at=now - timedelta(weeks=6), notify=False)
    completed(cast, PHQ9_3_CRITICAL, at=now - timedelta(days=1), notify=False)
    assert RiskAlert.objects.filter(status=RiskAlert.Status.OPEN).count() == 2


def test_the_clinicians_chart_marks_every_form_with_a_critical_answer(
    cast, client, recovered_with_an_open_alert
):
    # when the clinician opens the client's measures
    browser = sign_in(client, cast.clinician)
    html = page(browser.get(reverse("assessments:clinician_measures", args=[cast.enrollment.pk])))
    # then the chart rings both forms and its description names them
    assert html.count('class="critical-ring"') == 2
    assert "2 forms with a critical answer" in html
    # and the verdict never stands alone: the critical answers and the open alert are beside it
    verdict = html.index("now outside the clinical range")
    line = html[verdict : html.index("</p>", verdict)]
    assert "critical answers on 2 forms" in line and "risk alert open" in line
    assert "2 risk alerts are open for this client." in html
    # and the table marks them too, in words for screen readers
    assert html.count('<span class="visually-hidden">critical answer</span>') == 2


def test_a_form_without_a_critical_answer_is_not_marked(cast, client):
    now = timezone.now()
    completed(cast, PHQ9_17, at=now - timedelta(weeks=6), notify=False)
    completed(cast, PHQ9_LOW, at=now - timedelta(days=1), notify=False)
    browser = sign_in(client, cast.clinician)
    html = page(browser.get(reverse("assessments:clinician_measures", args=[cast.enrollment.pk])))
    assert "critical-ring" not in html and "risk alert" not in html.lower().split("<main")[1]


def test_the_clients_own_chart_has_no_such_marks(cast, client, recovered_with_an_open_alert):
    browser = sign_in(client, cast.client)
    html = page(browser.get(reverse("assessments:measures")))
    assert "critical-ring" not in html and "critical answer" not in html


def test_the_caseload_shows_the_alert_beside_the_verdict(
    cast, client, recovered_with_an_open_alert
):
    # when the clinician opens the caseload
    browser = sign_in(client, cast.clinician)
    row = _row(page(browser.get(reverse("caseload:list"))), cast.client.name)
    # then the score column has the recovery, the critical answer and the open alert together
    assert "PHQ-9 3↓!" in row
    assert "risk alert open" in row
    assert "PHQ-9: Reliable improvement, now outside the clinical range" in row
    assert "PHQ-9: critical answer on the latest form" in row
