"""The clinician's record shows the factors side by side, with no score, and the view is audited."""

from __future__ import annotations

import re

import pytest
from django.urls import reverse

from tests.intake.helpers import COMPLETE_ANSWERS, fill_intake
from waypost.core.models import AuditEvent
from waypost.intake import services
from waypost.intake.summary import summary_rows

pytestmark = pytest.mark.django_db


def record(cast, as_user) -> str:
    url = reverse("caseload:record", args=[cast.enrollment.pk])
    return as_user(cast.clinician).get(url).content.decode()


def text_of(html: str) -> str:
    return re.sub(r"\s+", " ", re.sub(r"<[^>]+>", " ", html))


def panel(html: str) -> str:
    """Only this app's card on the record (other apps have their own)."""
    start = html.index('aria-labelledby="intake-summary-heading"')
    return html[start : html.index("</section>", start)]


def test_rows_put_each_answer_in_words_beside_its_rule():
    rows = {row.key: row for row in summary_rows(COMPLETE_ANSWERS)}
    assert rows["early_exposure"].answer == "at 11"
    assert str(rows["early_exposure"].rule) == "before age 13"
    assert rows["long_duration"].answer == "12 years"
    assert rows["high_hours"].answer == "12.5 hours a week, 6 sessions"
    assert (
        rows["escalation"].answer == "Yes: more time · No: more extreme or novel content · "
        "Not sure: content against their values"
    )
    assert rows["several_attempts"].answer == "2"
    assert rows["co_occurring"].answer == "Depression or long spells of low mood"
    assert rows["serious_impairment"].answer == "Some: work or study · Serious: relationships"
    assert rows["night_private_access"].answer == "Using late at night or in bed"
    assert rows["high_moral_incongruence"].answer == (
        "moral or religious 2/10 · loss of control 9/10"
    )


def test_the_record_shows_the_facts_links_to_the_intake_and_audits_the_view(cast, as_user):
    # given a complete intake
    fill_intake(cast.enrollment, cast.client)
    services.complete_intake(enrollment=cast.enrollment, by=cast.client)
    # when the clinician opens the client record
    page = panel(record(cast, as_user))
    words = text_of(page)
    # then the factors are there, side by side, with the answers behind them
    assert "Factors that make a longer recovery likely" in words
    assert "Early first exposure before age 13 at 11 Present" in words
    assert "High moral incongruence moral or religious share 7 or more out of 10" in words
    assert "moral or religious 2/10 · loss of control 9/10 Not present" in words
    assert reverse("intake:record_intake", kwargs={"enrollment_id": cast.enrollment.pk}) in page
    # and no invented score, count or risk level: only the statement that there is none
    assert "They are not added up and imply no score or risk level" in words
    assert not re.search(r"risk level:|score:|\b\d+ (of|/) 9\b|prognosis", words, re.IGNORECASE)
    # and the view is in the audit trail
    assert AuditEvent.objects.filter(
        actor=cast.clinician, client=cast.client, what="history intake summary"
    ).exists()


def test_mainly_moral_distress_brings_a_plain_note(cast, as_user):
    answers = {**COMPLETE_ANSWERS, "moral": {"moral_distress": 9, "control_distress": 3}}
    fill_intake(cast.enrollment, cast.client, answers)
    words = text_of(record(cast, as_user))
    assert "Distress seems to come mainly from moral or religious disapproval." in words
    assert "CSBD may not be the right frame" in words
    assert "values-focused work" in words


def test_no_note_when_loss_of_control_weighs_more(cast, as_user):
    fill_intake(cast.enrollment, cast.client)
    assert "CSBD may not be the right frame" not in record(cast, as_user)


def test_a_half_done_intake_shows_what_is_known(cast, as_user):
    fill_intake(cast.enrollment, cast.client, only={"first_exposure", "duration"})
    words = text_of(record(cast, as_user))
    assert "in progress: 2 of 10 topics saved" in words
    assert "Early first exposure before age 13 at 11 Present" in words
    assert words.count("Not answered yet") == 7


def test_not_started(cast, as_user):
    words = text_of(record(cast, as_user))
    assert "The client has not started the history intake yet." in words
    assert not AuditEvent.objects.filter(what="history intake summary").exists()
