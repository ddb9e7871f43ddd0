"""The risk inbox triages: the most severe answer first, then the longest waiting; each
card says how long it has been open, marks it overdue past the clinic's limit, and offers
a call to the client's phone."""

from __future__ import annotations

from datetime import timedelta

import pytest
import time_machine
from django.urls import reverse
from django.utils import timezone

from tests.assessments.helpers import open_form
from waypost.assessments import services as measures
from waypost.safety import services
from waypost.safety.models import RiskAlert
from waypost.safety.templatetags.safety_tags import waiting_words

pytestmark = pytest.mark.django_db


def _raise(enrollment, summary, *, hours_ago, severity):
    return services.raise_alert(
        enrollment=enrollment,
        kind="critical_item",
        summary=summary,
        source_label="PHQ-9",
        at=timezone.now() - timedelta(hours=hours_ago),
        notify=False,
        severity=severity,
    )


def _order(page: str, *summaries: str) -> list[int]:
    return [page.index(s) for s in summaries]


def test_the_most_severe_answer_comes_first_then_the_longest_waiting(cast, as_user):
    # given four open alerts: mild and old, most severe and new, middling twice
    _raise(cast.enrollment, "Mild but old", hours_ago=72, severity=33)
    _raise(cast.enrollment, "Worst and new", hours_ago=1, severity=100)
    _raise(cast.enrollment, "Middling newer", hours_ago=5, severity=67)
    _raise(cast.enrollment, "Middling older", hours_ago=30, severity=67)
    # when the clinician opens the inbox
    page = as_user(cast.clinician).get(reverse("safety:inbox")).content.decode()
    # then the most severe is on top, and equal severities wait in line, oldest first
    positions = _order(page, "Worst and new", "Middling older", "Middling newer", "Mild but old")
    assert positions == sorted(positions)
    assert "The most severe answer the question allows." in page


def test_an_alert_without_a_scored_answer_is_treated_as_the_most_severe(cast, as_user):
    # given a scored alert at the top of the scale and one nobody scored, newer
    _raise(cast.enrollment, "Scored worst", hours_ago=10, severity=100)
    _raise(cast.enrollment, "Not scored", hours_ago=2, severity=None)
    _raise(cast.enrollment, "Scored mild", hours_ago=20, severity=33)
    # when the inbox is opened
    page = as_user(cast.clinician).get(reverse("safety:inbox")).content.decode()
    # then the unscored one is not buried: it stands with the most severe
    positions = _order(page, "Not scored", "Scored worst", "Scored mild")
    assert positions == sorted(positions)
    assert "Not from a scored answer" in page


@pytest.mark.parametrize(("answer", "severity"), [(1, 33), (2, 67), (3, 100)])
def test_a_critical_answer_raises_an_alert_as_severe_as_the_answer(cast, answer, severity):
    # given an open PHQ-9
    form = open_form(cast, "phq-9")
    # when the client answers question 9 above zero
    measures.record_answer(form=form, link_id="phq9-9", value=answer, by=cast.client)
    # then the alert's severity is where the answer lies on the question's 0-3 scale
    assert RiskAlert.objects.get().severity == severity


def test_each_card_says_how_long_it_has_been_open_and_offers_a_call(cast, as_user):
    # given a client with a phone number and two alerts: three hours and two days old
    cast.client.phone = "+65 (9123) 4567"
    cast.client.save(update_fields=["phone"])
    _raise(cast.enrollment, "Three hours", hours_ago=3.2, severity=100)
    _raise(cast.enrollment, "Two days", hours_ago=50, severity=33)
    # when the clinician opens the inbox
    page = as_user(cast.clinician).get(reverse("safety:inbox")).content.decode()
    # then each card says how long, in short words
    assert "open 3 h" in page and "open 2 days" in page
    # and each offers a call to the client's number
    assert page.count('href="tel:+6591234567"') == 2
    assert "Call Sam Client: +65 (9123) 4567" in page


def test_without_a_phone_number_the_card_says_so(cast, as_user):
    _raise(cast.enrollment, "No phone", hours_ago=1, severity=100)
    page = as_user(cast.clinician).get(reverse("safety:inbox")).content.decode()
    assert "tel:" not in page
    assert "No phone number in the client's profile." in page


def test_an_alert_past_the_clinics_limit_is_overdue_and_the_limit_is_the_clinics_own(cast, as_user):
    # given the default limit (24 h), an alert 25 hours old and one 23 hours old
    _raise(cast.enrollment, "Late one", hours_ago=25, severity=33)
    _raise(cast.enrollment, "Recent one", hours_ago=23, severity=33)
    browser = as_user(cast.clinician)
    # when the clinician opens the inbox
    page = browser.get(reverse("safety:inbox")).content.decode()
    # then only the late one is marked overdue
    assert page.count(">overdue<") == 1
    late = page[page.index("Late one") - 1500 : page.index("Late one")]
    assert ">overdue<" in late
    # when the clinic allows 48 hours
    cast.clinic.alert_overdue_hours = 48
    cast.clinic.save(update_fields=["alert_overdue_hours"])
    # then neither is overdue
    assert ">overdue<" not in browser.get(reverse("safety:inbox")).content.decode()


def test_an_acknowledged_alert_is_never_overdue(cast):
    alert = _raise(cast.enrollment, "Done", hours_ago=100, severity=100)
    services.acknowledge(alert=alert, by=cast.clinician, note="Called.")
    alert.refresh_from_db()
    assert not alert.overdue(24)


@pytest.mark.parametrize(
    ("duration", "words"),
    [
        (timedelta(seconds=20), "open under a minute"),
        (timedelta(minutes=25), "open 25 min"),
        (timedelta(hours=3, minutes=59), "open 3 h"),
        (timedelta(hours=47), "open 47 h"),
        (timedelta(hours=48), "open 2 days"),
        (timedelta(days=1, hours=1), "open 25 h"),
        (timedelta(days=9, hours=23), "open 9 days"),
    ],
)
def test_waiting_words(duration, words):
    assert waiting_words(duration) == words


def test_the_waiting_time_moves_with_the_clock(cast, as_user):
    # given an alert raised two days and an hour ago, by the clock of that moment
    with time_machine.travel(timezone.now() - timedelta(days=2, hours=1)):
        _raise(cast.enrollment, "Moving", hours_ago=0, severity=100)
    # when the clinician opens the inbox now
    page = as_user(cast.clinician).get(reverse("safety:inbox")).content.decode()
    # then it reads two days, and overdue
    assert "open 2 days" in page and ">overdue<" in page
