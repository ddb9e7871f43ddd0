"""The client fills in a questionnaire on the web: one question a screen, kept, reviewed, sent."""

from __future__ import annotations

from datetime import timedelta

import pytest
from django.db import connection
from django.urls import reverse
from django.utils import timezone

from tests.assessments.helpers import (
    PHQ9_8,
    answer,
    answer_all,
    assign,
    open_form,
    page,
    question_url,
    sign_in,
)
from waypost.assessments.models import Administration
from waypost.core.models import TimelineEvent

pytestmark = pytest.mark.django_db


@pytest.fixture
def form(cast):
    """PHQ-9, assigned once, waiting for the client."""
    return open_form(cast, "phq-9")


@pytest.fixture
def browser(cast, client):
    return sign_in(client, cast.client)


def _fresh(form) -> Administration:
    return Administration.objects.get(pk=form.pk)


# --- one question a screen -------------------------------------------------------------


def test_question_one_shows_the_stem_the_text_radio_options_and_progress(form, browser):
    # when the client opens question 1
    html = page(browser.get(question_url(form, 1)))
    # then the stem and the question are the fieldset's legend
    assert "Over the last 2 weeks, how often have you been bothered" in html
    assert (
        '<h1 class="item-text" id="question-heading" tabindex="-1" data-step-focus>'
        "Little interest or pleasure in doing things</h1>"
    ) in html
    assert "<legend>" in html and "<fieldset>" in html
    # and each option is a radio button carrying its score, with its words
    for score, words in enumerate(
        ["Not at all", "Several days", "More than half the days", "Nearly every day"]
    ):
        assert f'<input type="radio" name="answer" value="{score}" required>' in html
        assert f"<span>{words}</span>" in html
    assert "checked" not in html
    # and a labelled progress element says where they are
    assert '<progress id="progress" max="9" value="1">' in html
    assert '<label class="progress-label" for="progress">Question 1 of 9</label>' in html
    assert "<title>Question 1 of 9" in html
    # and there is no Back on the first question, but a way to stop for now
    assert ">Back<" not in html
    assert "Stop for now" in html


def test_the_page_title_is_discreet(form, browser):
    html = page(browser.get(question_url(form, 9)))
    title = html[html.index("<title>") : html.index("</title>")]
    assert "PHQ" not in title and "depress" not in title.lower()


def test_answering_saves_and_goes_to_the_next_question(cast, form, browser):
    # when the client chooses "More than half the days" on question 1
    response = answer(browser, form, 1, "2")
    # then it is kept and question 2 follows
    assert response.status_code == 302
    assert response["Location"] == question_url(form, 2)
    saved = _fresh(form)
    assert saved.answers == {"phq9-1": 2}
    assert saved.status == Administration.Status.IN_PROGRESS
    assert saved.started_at is not None


def test_question_two_has_a_back_link_and_shows_a_kept_answer_checked(form, browser):
    # given question 1 answered
    answer(browser, form, 1, "2")
    # then question 2 links back to question 1
    second = page(browser.get(question_url(form, 2)))
    assert f'href="{question_url(form, 1)}">Back</a>' in second
    assert '<progress id="progress" max="9" value="2">' in second
    # and going back shows the answer given, checked
    first = page(browser.get(question_url(form, 1)))
    assert '<input type="radio" name="answer" value="2" checked required>' in first
    assert first.count("checked") == 1


def test_changing_an_answer_keeps_only_the_new_one(form, browser):
    answer(browser, form, 1, "3")
    answer(browser, form, 1, "0")
    assert _fresh(form).answers == {"phq9-1": 0}


def test_the_last_question_leads_to_the_review(form, browser):
    # given every question but the last answered
    answer_all(browser, form, PHQ9_8[:8])
    last = page(browser.get(question_url(form, 9)))
    assert "Review answers" in last
    # when the last one is answered
    response = answer(browser, form, 9, "0")
    # then the review comes next
    assert response["Location"] == reverse("assessments:review", args=[form.pk])


# --- kept when interrupted -------------------------------------------------------------


def test_coming_back_later_starts_at_the_first_unanswered_question(cast, form, client):
    # given the client answered questions 1, 2 and 4, then left
    browser = sign_in(client, cast.client)
    answer(browser, form, 1, "1")
    answer(browser, form, 2, "2")
    answer(browser, form, 4, "3")
    browser.logout()
    # when they sign in again and press Continue on their questionnaires page
    browser = sign_in(client, cast.client)
    listing = page(browser.get(reverse("assessments:measures")))
    assert "Continue" in listing and "started, your answers are kept" in listing
    response = browser.get(reverse("assessments:start", args=[form.pk]))
    # then they land on question 3, the first one not answered, with the answers kept
    assert response.status_code == 302
    assert response["Location"] == question_url(form, 3)
    assert _fresh(form).answers == {"phq9-1": 1, "phq9-2": 2, "phq9-4": 3}


def test_start_on_a_fresh_form_goes_to_question_one(form, browser):
    response = browser.get(reverse("assessments:start", args=[form.pk]))
    assert response["Location"] == question_url(form, 1)


def test_start_with_every_question_answered_goes_to_the_review(form, browser):
    answer_all(browser, form, PHQ9_8)
    response = browser.get(reverse("assessments:start", args=[form.pk]))
    assert response["Location"] == reverse("assessments:review", args=[form.pk])


def test_answers_are_encrypted_at_rest(form, browser):
    answer(browser, form, 1, "3")
    with connection.cursor() as cursor:
        cursor.execute(
            "SELECT answers_data FROM assessments_administration WHERE id = %s", [form.pk]
        )
        raw = cursor.fetchone()[0]
    assert raw.startswith("fernet:") and "phq9-1" not in raw


# --- answers that cannot be kept -------------------------------------------------------


@pytest.mark.parametrize(
    "data",
    [
        {},
        {"answer": ""},
        {"answer": "often"},
        {"answer": "4"},
        {"answer": "-1"},
        {"answer": "1.5"},
        {"answer": "nan"},
        {"answer": "inf"},
        {"answer": "1e400"},
    ],
)
def test_a_missing_or_impossible_answer_is_a_400_with_a_message(form, browser, data):
    # when the client sends nothing, or something that is not one of the options
    response = browser.post(question_url(form, 1), data)
    # then the question is shown again with a plain message, and nothing was kept
    assert response.status_code == 400
    html = page(response)
    assert '<p class="errorlist" role="alert">Please choose one of the answers.</p>' in html
    assert "Little interest or pleasure in doing things" in html
    saved = _fresh(form)
    assert saved.answers == {} and saved.status == Administration.Status.OPEN


def test_a_bad_answer_keeps_the_earlier_answers_untouched(form, browser):
    answer(browser, form, 1, "2")
    response = answer(browser, form, 2, "9")
    assert response.status_code == 400
    assert _fresh(form).answers == {"phq9-1": 2}


@pytest.mark.parametrize("position", [0, 10, 99])
def test_a_question_that_does_not_exist_is_404(form, browser, position):
    assert browser.get(question_url(form, position)).status_code == 404
    assert browser.post(question_url(form, position), {"answer": "1"}).status_code == 404


# --- review and submit -----------------------------------------------------------------


def test_the_review_lists_every_answer_with_a_change_link(form, browser):
    # given every question answered
    answer_all(browser, form, [0, 1, 2, 3, 0, 1, 2, 3, 0])
    # when the client reviews
    html = page(browser.get(reverse("assessments:review", args=[form.pk])))
    # then every question is listed with the answer given and a link to change it
    assert html.count('<span class="item-text">') == 9
    assert html.count("<strong>Nearly every day</strong>") == 2
    for position in range(1, 10):
        link = f'href="{question_url(form, position)}?from=review">Change'
        assert link in html
    assert "Not answered yet" not in html
    assert '<button type="submit" class="primary">Send</button>' in html


def test_changing_from_the_review_comes_back_to_the_review(form, browser):
    # given a fully answered form
    answer_all(browser, form, PHQ9_8)
    # when the client follows "Change" for question 3
    changing = page(browser.get(question_url(form, 3) + "?from=review"))
    assert '<input type="hidden" name="then" value="review">' in changing
    assert "Review answers" in changing
    response = answer(browser, form, 3, "3", then="review")
    # then they are back on the review with the new answer kept
    assert response["Location"] == reverse("assessments:review", args=[form.pk])
    assert _fresh(form).answers["phq9-3"] == 3


def test_the_review_of_an_unfinished_form_says_what_is_missing(form, browser):
    # given questions 1, 2 and 4 to 8 answered
    for position in (1, 2, 4, 5, 6, 7, 8):
        answer(browser, form, position, "1")
    html = page(browser.get(reverse("assessments:review", args=[form.pk])))
    # then the missing ones say so and the Send button is off
    assert html.count("Not answered yet") == 2
    assert f'href="{question_url(form, 3)}?from=review">Answer' in html
    assert '<button type="submit" class="primary" disabled>' in html


def test_sending_an_unfinished_form_is_a_400_with_the_missing_numbers(form, browser):
    # given questions 3 and 9 not answered
    for position in (1, 2, 4, 5, 6, 7, 8):
        answer(browser, form, position, "1")
    # when the client sends anyway
    response = browser.post(reverse("assessments:review", args=[form.pk]))
    # then they are told which questions still need an answer, and nothing is scored
    assert response.status_code == 400
    assert "Some questions still need an answer: 3, 9." in page(response)
    saved = _fresh(form)
    assert saved.status == Administration.Status.IN_PROGRESS
    assert saved.total is None and saved.completed_at is None


def test_sending_scores_the_form_and_shows_the_result_with_its_band(cast, form, browser):
    # given every question answered (total 8)
    answer_all(browser, form, PHQ9_8)
    # when the client sends
    response = browser.post(reverse("assessments:review", args=[form.pk]))
    # then the form is scored and kept
    assert response.status_code == 302
    assert response["Location"] == reverse("assessments:result", args=[form.pk])
    saved = _fresh(form)
    assert saved.status == Administration.Status.COMPLETED
    assert (saved.total, saved.band, saved.flags) == (8, "Mild", [])
    assert saved.completed_at is not None
    # and the result page gives the score, the scale and the band
    html = page(browser.get(response["Location"]))
    assert '<span class="stat">8</span>' in html
    assert "on a scale from 0 to 27" in html
    assert "This is in the range called <strong>Mild</strong>." in html
    assert "not a verdict on you" in html
    # and the timeline notes it, without the score
    line = TimelineEvent.objects.get(enrollment=cast.enrollment, kind="assessments.completed")
    assert line.summary == "PHQ-9 completed"
    assert "8" not in line.summary


def test_a_completed_form_cannot_be_answered_again(form, browser):
    # given a completed form
    answer_all(browser, form, PHQ9_8)
    browser.post(reverse("assessments:review", args=[form.pk]))
    before = _fresh(form)
    # when the client tries to change an answer, or send it again
    changed = answer(browser, form, 1, "3")
    sent = browser.post(reverse("assessments:review", args=[form.pk]))
    # then they are taken to the result and nothing changed
    assert changed.status_code == 302
    assert browser.get(changed["Location"])["Location"] == reverse(
        "assessments:result", args=[form.pk]
    )
    assert sent["Location"] == reverse("assessments:result", args=[form.pk])
    after = _fresh(form)
    assert after.answers == before.answers
    assert (after.total, after.completed_at) == (before.total, before.completed_at)
    # and start leads to the result, too
    start = browser.get(reverse("assessments:start", args=[form.pk]))
    assert start["Location"] == reverse("assessments:result", args=[form.pk])


def test_an_expired_form_cannot_be_answered(form, browser):
    # given the form closed and was swept as expired
    Administration.objects.filter(pk=form.pk).update(status=Administration.Status.EXPIRED)
    # when the client opens it from an old link
    start = browser.get(reverse("assessments:start", args=[form.pk]), follow=True)
    # then they are told kindly it has closed, on their questionnaires page
    assert start.redirect_chain[-1][0] == reverse("assessments:measures")
    assert "That questionnaire has closed. There is nothing you need to do." in page(start)
    # and answering or sending leads away without keeping anything
    assert answer(browser, form, 1, "1").status_code == 302
    assert browser.post(reverse("assessments:review", args=[form.pk])).status_code == 302
    assert _fresh(form).answers == {}


def test_a_form_past_its_closing_time_refuses_answers_before_the_sweep(form, browser):
    # given the form's closing time passed but the sweep has not marked it expired yet
    Administration.objects.filter(pk=form.pk).update(
        closes_at=timezone.now() - timedelta(minutes=1)
    )
    # when the client opens it, or sends an answer
    opened = browser.get(reverse("assessments:start", args=[form.pk]), follow=True)
    response = answer(browser, form, 1, "1")
    # then they are told kindly that it has closed, and nothing is kept
    assert "That questionnaire has closed. There is nothing you need to do." in page(opened)
    assert response.status_code == 302
    assert _fresh(form).answers == {}
    # and it is no longer listed as waiting
    listing = page(browser.get(reverse("assessments:measures")))
    assert reverse("assessments:start", args=[form.pk]) not in listing


def test_another_clients_form_is_not_found(cast, form, client):
    # given the form of the cast's client, and someone else's client signed in
    browser = sign_in(client, cast.foreign_client)
    for url in (
        reverse("assessments:start", args=[form.pk]),
        question_url(form, 1),
        reverse("assessments:review", args=[form.pk]),
        reverse("assessments:support", args=[form.pk]),
        reverse("assessments:result", args=[form.pk]),
        reverse("assessments:export_response", args=[form.pk]),
    ):
        assert browser.get(url).status_code == 404, url
    # then posting an answer to it is not found either, and nothing is kept
    assert answer(browser, form, 1, "3").status_code == 404
    assert browser.post(reverse("assessments:review", args=[form.pk])).status_code == 404
    assert _fresh(form).answers == {}


def test_the_questionnaires_page_lists_what_is_waiting_and_past_results(cast, form, browser):
    # given PHQ-9 waiting and a WHO-5 completed
    done = open_form(cast, "who-5")
    answer_all(browser, done, [3, 3, 3, 3, 3])
    browser.post(reverse("assessments:review", args=[done.pk]))
    # when the client opens their questionnaires
    html = page(browser.get(reverse("assessments:measures")))
    # then PHQ-9 is waiting with a Start button and WHO-5 is among the results
    assert f'href="{reverse("assessments:start", args=[form.pk])}">Start</a>' in html
    assert "9 questions" in html
    assert reverse("assessments:history", args=["who-5"]) in html
    assert "60 on" in html


def test_the_questionnaires_page_says_when_nothing_is_waiting(cast, browser):
    html = page(browser.get(reverse("assessments:measures")))
    assert "Nothing is waiting." in html


def test_a_scheduled_form_that_fell_due_is_shown_and_opened_when_the_client_starts_it(
    cast, browser
):
    # given a schedule whose second form fell due while nobody swept
    start = timezone.now() - timedelta(weeks=2, hours=1)
    assignment = assign(cast, "gad-7", schedule="weeks", every_weeks=2, window_days=3, at=start)
    assert Administration.objects.filter(status="open").count() == 1
    # when the client opens their questionnaires
    html = page(browser.get(reverse("assessments:measures")))
    # then the new one is there to start, and looking made nothing
    assert "<strong>Worry questionnaire</strong>" in html
    assert f'name="assignment" value="{assignment.pk}"' in html
    assert not Administration.objects.filter(opens_at=start + timedelta(weeks=2)).exists()
    # when they press Start
    response = browser.post(reverse("assessments:measures"), {"assignment": assignment.pk})
    # then the form opens now, for this fortnight, and they are on its way to question 1
    new = Administration.objects.get(opens_at=start + timedelta(weeks=2))
    assert new.is_open and new.assignment == assignment
    assert response["Location"] == reverse("assessments:start", args=[new.pk])
    assert browser.get(response["Location"])["Location"] == question_url(new, 1)


def test_pressing_start_twice_opens_one_form(cast, browser):
    start = timezone.now() - timedelta(weeks=1, hours=1)
    assignment = assign(cast, "gad-7", schedule="weeks", every_weeks=1, window_days=3, at=start)
    first = browser.post(reverse("assessments:measures"), {"assignment": assignment.pk})
    second = browser.post(reverse("assessments:measures"), {"assignment": assignment.pk})
    assert first["Location"] == second["Location"]
    assert Administration.objects.filter(assignment=assignment).count() == 2  # week 0, week 1


def test_start_for_a_form_no_longer_due_says_so_kindly(cast, browser):
    # given a weekly form that was open three days and closed yesterday
    start = timezone.now() - timedelta(days=4)
    assignment = assign(cast, "gad-7", schedule="weeks", every_weeks=1, window_days=3, at=start)
    # when the client presses an old Start button
    response = browser.post(
        reverse("assessments:measures"), {"assignment": assignment.pk}, follow=True
    )
    # then they are told, and nothing new was made
    assert "That questionnaire has closed. There is nothing you need to do." in page(response)
    assert Administration.objects.filter(assignment=assignment).count() == 1


@pytest.mark.parametrize("value", ["", "abc", "²", "999999"])
def test_start_with_no_such_assignment_is_not_found(cast, browser, value):
    response = browser.post(reverse("assessments:measures"), {"assignment": value})
    assert response.status_code == 404


def test_start_refuses_another_clients_assignment(cast, client):
    # given a schedule for the cast's client
    start = timezone.now() - timedelta(weeks=1, hours=1)
    assignment = assign(cast, "gad-7", schedule="weeks", every_weeks=1, at=start)
    # when another client posts its id
    other = sign_in(client, cast.foreign_client)
    response = other.post(reverse("assessments:measures"), {"assignment": assignment.pk})
    # then it is not found, and nothing opened
    assert response.status_code == 404
    assert Administration.objects.filter(assignment=assignment).count() == 1
