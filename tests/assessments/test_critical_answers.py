"""A critical answer (PHQ-9 question 9 above zero): support at once, one alert for the clinician."""

from __future__ import annotations

import pytest
from django.urls import reverse
from django.utils import timezone

from tests.assessments.helpers import PHQ9_8, answer, answer_all, open_form, page, sign_in
from waypost.assessments import services
from waypost.assessments.models import Administration
from waypost.core.models import TimelineEvent
from waypost.program.models import Enrollment
from waypost.safety import services as safety
from waypost.safety.models import RiskAlert

pytestmark = pytest.mark.django_db

QUESTION_9 = "Thoughts that you would be better off dead or of hurting yourself in some way"


@pytest.fixture
def form(cast):
    return open_form(cast, "phq-9")


@pytest.fixture
def browser(cast, client):
    return sign_in(client, cast.client)


def _support(form) -> str:
    return reverse("assessments:support", args=[form.pk])


@pytest.mark.parametrize(("value", "words"), [("1", "Several days"), ("3", "Nearly every day")])
def test_question_9_above_zero_goes_straight_to_support_and_alerts_once(
    cast, form, browser, value, words
):
    # given the first eight questions answered
    answer_all(browser, form, PHQ9_8[:8])
    # when the client answers question 9 with anything above "Not at all"
    response = answer(browser, form, 9, value)
    # then the support page comes at once, instead of the review
    assert response.status_code == 302 and response["Location"] == _support(form)
    # and one open alert waits in the clinician's inbox, naming the question and the answer
    alert = RiskAlert.objects.get()
    assert alert.enrollment == cast.enrollment
    assert alert.kind == "critical_item" and alert.status == RiskAlert.Status.OPEN
    assert alert.summary == f'PHQ-9 question 9 ("{QUESTION_9}"): answered "{words}"'
    assert alert.source_label.startswith("PHQ-9, ")
    assert alert.source_url == reverse(
        "assessments:clinician_form", args=[cast.enrollment.pk, form.pk]
    )
    saved = Administration.objects.get(pk=form.pk)
    assert saved.alert_raised_at is not None and saved.answers["phq9-9"] == int(value)


def test_zero_on_question_9_raises_nothing(form, browser):
    response = answer(browser, form, 9, "0")
    assert response["Location"] != _support(form)
    assert not RiskAlert.objects.exists()
    assert Administration.objects.get(pk=form.pk).alert_raised_at is None


def test_changing_and_re_answering_question_9_raises_no_second_alert(form, browser):
    # given question 9 answered "Several days" (one alert)
    answer(browser, form, 9, "1")
    # when the client changes it, to "Not at all" and back up to "Nearly every day"
    answer(browser, form, 9, "0")
    again = answer(browser, form, 9, "3")
    # then they see support again, but the clinician still has exactly one alert
    assert again["Location"] == _support(form)
    assert RiskAlert.objects.count() == 1
    # and sending the finished form raises none either
    answer_all(browser, form, PHQ9_8[:8])
    browser.post(reverse("assessments:review", args=[form.pk]))
    saved = Administration.objects.get(pk=form.pk)
    assert saved.status == Administration.Status.COMPLETED
    assert "critical:phq9-9" in saved.flags
    assert RiskAlert.objects.count() == 1


def test_the_alert_stands_even_if_the_answer_is_taken_back(form, browser):
    # a critical answer reaches the clinician whatever comes next
    answer(browser, form, 9, "2")
    answer(browser, form, 9, "0")
    assert RiskAlert.objects.get().status == RiskAlert.Status.OPEN


def test_the_support_page_shows_the_clinics_lines_the_plan_and_a_way_on(cast, form, browser):
    # given question 9 answered first, before the rest
    answer(browser, form, 9, "1")
    # when the support page shows
    html = page(browser.get(_support(form)))
    # then it lists this clinic's crisis lines with tap-to-call, not another clinic's
    assert "People you can call now (North Clinic)" in html
    assert "North crisis line" in html and 'href="tel:1767"' in html
    assert "South crisis line" not in html
    # and the safety plan section invites them to write one
    assert "Your safety plan" in html
    assert reverse("safety:my_plan_edit") in html
    # and they can carry on with question 1, the first one still unanswered, or stop
    carry_on = reverse("assessments:question", args=[form.pk, 1])
    assert f'href="{carry_on}">Carry on with the questionnaire</a>' in html
    assert f'href="{reverse("program:today")}">Stop here for now</a>' in html
    title = html[html.index("<title>") : html.index("</title>")]
    assert "PHQ" not in title


def test_the_support_page_shows_the_clients_own_safety_plan(cast, form, browser):
    # given the client wrote a safety plan
    safety.save_plan(
        enrollment=cast.enrollment,
        content={"reasons": ["My daughter's laugh"], "coping": ["Walk round the block"]},
        by=cast.client,
    )
    # when question 9 brings up the support page
    answer(browser, form, 9, "2")
    html = page(browser.get(_support(form)))
    # then their own words are there, with a link to the whole plan
    assert "My daughter&#x27;s laugh" in html and "Walk round the block" in html
    assert reverse("safety:my_plan") in html


def test_carry_on_goes_to_the_review_when_question_9_was_the_last_one(form, browser):
    answer_all(browser, form, PHQ9_8[:8])
    answer(browser, form, 9, "1")
    html = page(browser.get(_support(form)))
    assert f'href="{reverse("assessments:review", args=[form.pk])}">Carry on' in html


def test_the_result_of_a_flagged_form_links_back_to_support(form, browser):
    answer_all(browser, form, [*PHQ9_8[:8], 1])
    browser.post(reverse("assessments:review", args=[form.pk]))
    html = page(browser.get(reverse("assessments:result", args=[form.pk])))
    assert f'href="{_support(form)}">People you can call, and your safety plan</a>' in html


def test_the_timeline_line_is_discreet(cast, form, browser):
    answer(browser, form, 9, "1")
    line = TimelineEvent.objects.get(enrollment=cast.enrollment, kind="safety.alert_raised")
    assert line.summary == "A risk alert was raised for the clinician"
    assert "dead" not in line.summary


def test_the_clinician_is_told_discreetly_by_e_mail(
    cast, form, browser, mailoutbox, django_capture_on_commit_callbacks
):
    # when the critical answer is kept (and its transaction commits)
    with django_capture_on_commit_callbacks(execute=True):
        answer(browser, form, 9, "1")
    # then the primary clinician gets one e-mail that says nothing clinical
    assert [m.to for m in mailoutbox] == [[cast.clinician.email]]
    mail = mailoutbox[0]
    assert mail.subject == "Waypost: something needs your attention"
    for word in ("PHQ", "dead", "hurting", "Sam", "question"):
        assert word not in mail.subject + mail.body


def test_the_clinician_sees_it_in_the_inbox_and_acknowledges_it_with_a_note(
    cast, form, browser, client
):
    # given the client answered question 9 "Several days"
    answer(browser, form, 9, "1")
    alert = RiskAlert.objects.get()
    # when the clinician opens their risk inbox
    clinician = sign_in(client, cast.clinician)
    inbox = page(clinician.get(reverse("safety:inbox")))
    # then the alert is there, with the question and the answer
    assert "1 open alert" in inbox
    assert "PHQ-9 question 9" in inbox and QUESTION_9 in inbox
    assert reverse("safety:acknowledge", args=[alert.pk]) in inbox
    # and the link to the form shows the flagged answer
    detail = page(clinician.get(alert.source_url))
    assert "needs attention" in detail and QUESTION_9 in detail
    # when they acknowledge it with a note
    response = clinician.post(
        reverse("safety:acknowledge", args=[alert.pk]), {"note": "Called Sam; safe tonight."}
    )
    # then it is acknowledged by them, with the note
    assert response.status_code == 302
    alert.refresh_from_db()
    assert alert.status == RiskAlert.Status.ACKNOWLEDGED
    assert alert.acknowledged_by == cast.clinician
    assert alert.note == "Called Sam; safe tonight."
    assert "0 open alerts" in page(clinician.get(reverse("safety:inbox")))


def test_an_alert_without_a_note_is_not_acknowledged(cast, form, browser, client):
    answer(browser, form, 9, "1")
    alert = RiskAlert.objects.get()
    clinician = sign_in(client, cast.clinician)
    response = clinician.post(reverse("safety:acknowledge", args=[alert.pk]), {"note": "  "})
    assert response.status_code == 400
    alert.refresh_from_db()
    assert alert.status == RiskAlert.Status.OPEN


def test_other_clinicians_do_not_see_the_alert(cast, form, browser, client):
    answer(browser, form, 9, "1")
    other = sign_in(client, cast.other_clinician)
    assert "PHQ-9 question 9" not in page(other.get(reverse("safety:inbox")))


def test_a_critical_answer_through_the_service_directly_says_so(cast, form):
    # the service tells its caller, so any front end (API, app) can show support at once
    outcome = services.record_answer(form=form, link_id="phq9-9", value=2, by=cast.client)
    assert outcome.critical is not None and outcome.critical.link_id == "phq9-9"
    calm = services.record_answer(form=form, link_id="phq9-1", value=3, by=cast.client)
    assert calm.critical is None
    assert RiskAlert.objects.count() == 1


def test_a_critical_answer_in_a_completed_history_raises_one_alert(cast):
    # a form recorded complete (an import) with question 9 above zero still alerts, once
    form = services.record_completed(
        enrollment=cast.enrollment,
        instrument_id="phq-9",
        answers=[*PHQ9_8[:8], 2],
        at=timezone.now(),
    )
    alert = RiskAlert.objects.get()
    assert "More than half the days" in alert.summary
    assert form.alert_raised_at is not None


@pytest.mark.parametrize("stage", [1, 2, 3, 4])
def test_a_critical_answer_brings_support_and_an_alert_in_every_stage(cast, client, stage):
    # given the client in this stage (the cast's client starts in stage 2)
    Enrollment.objects.filter(pk=cast.enrollment.pk).update(stage=stage)
    form = open_form(cast, "phq-9")
    browser = sign_in(client, cast.client)
    answer_all(browser, form, PHQ9_8[:8])
    # when question 9 is answered "Several days"
    response = answer(browser, form, 9, "1")
    # then support comes at once and the clinician's inbox has the alert
    assert response["Location"] == _support(form)
    support = page(browser.get(_support(form)))
    assert "Thank you for telling us" in support
    alert = RiskAlert.objects.get(enrollment=cast.enrollment)
    assert alert.status == RiskAlert.Status.OPEN
    inbox = page(sign_in(client, cast.clinician).get(reverse("safety:inbox")))
    assert "PHQ-9 question 9" in inbox
    assert reverse("safety:acknowledge", args=[alert.pk]) in inbox
