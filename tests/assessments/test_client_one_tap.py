"""One tap per question: the questionnaire script asks for the next step alone and swaps it in.

The pages keep working without JavaScript (test_answering.py); these tests are about the
requests the script makes (``X-Waypost-Fragment: 1``) and what it is told in return.
"""

from __future__ import annotations

import re
from pathlib import Path

import pytest
from django.conf import settings
from django.contrib.staticfiles import finders
from django.urls import reverse
from django.utils import timezone

from tests.assessments.helpers import PHQ9_8, answer_all, open_form, page, question_url, sign_in
from waypost.assessments.models import Administration
from waypost.safety.models import RiskAlert

pytestmark = pytest.mark.django_db

FRAGMENT = {"headers": {"X-Waypost-Fragment": "1"}}


@pytest.fixture
def form(cast):
    return open_form(cast, "phq-9")


@pytest.fixture
def browser(cast, client):
    return sign_in(client, cast.client)


def _fresh(form) -> Administration:
    return Administration.objects.get(pk=form.pk)


def _review_url(form) -> str:
    return reverse("assessments:review", args=[form.pk])


# --- the step alone -----------------------------------------------------------------------


def test_a_fragment_request_gets_the_question_alone_with_its_address(form, browser):
    response = browser.get(question_url(form, 1), **FRAGMENT)
    assert response.status_code == 200
    html = page(response)
    # then only the step comes back: no page around it
    assert "<html" not in html and "<body" not in html and "site-header" not in html
    assert html.lstrip().startswith('<div id="step"')
    assert "Little interest or pleasure in doing things" in html
    assert 'data-title="Question 1 of 9 · Waypost"' in html
    assert 'data-progress="Question 1 of 9"' in html
    # and it says it is a fragment, where it belongs, and that caches must tell them apart
    assert response["X-Waypost-Fragment"] == "1"
    assert response["X-Waypost-Url"] == question_url(form, 1)
    assert "X-Waypost-Fragment" in response["Vary"]


def test_the_full_page_includes_the_same_step_and_the_script(form, browser):
    response = browser.get(question_url(form, 1))
    html = page(response)
    fragment = page(browser.get(question_url(form, 1), **FRAGMENT))
    # one template: the page's content is the fragment (its CSRF token aside)
    token = re.compile(r'name="csrfmiddlewaretoken" value="[^"]+"')
    assert token.sub("", fragment.strip()) in token.sub("", html)
    assert "X-Waypost-Fragment" in response["Vary"]
    assert "X-Waypost-Url" not in response
    # and the script is a local static file, deferred (no inline script, for the CSP)
    assert re.search(r'<script src="/static/assessments/questionnaire[^"]*\.js" defer>', html)
    assert "<script>" not in html


def test_tapping_an_answer_saves_it_and_brings_the_next_question_in_one_response(form, browser):
    # when the script posts the answer to question 1
    response = browser.post(question_url(form, 1), {"answer": "2"}, **FRAGMENT)
    # then it is kept, as without the script
    assert _fresh(form).answers == {"phq9-1": 2}
    # and question 2 comes back at once, with its address for the browser's history
    assert response.status_code == 200
    assert response["X-Waypost-Url"] == question_url(form, 2)
    html = page(response)
    assert "Question 2 of 9" in html and "Feeling down, depressed, or hopeless" in html
    assert f'data-step-link href="{question_url(form, 1)}">Back</a>' in html


def test_back_brings_the_previous_question_with_its_answer_chosen(form, browser):
    browser.post(question_url(form, 1), {"answer": "2"}, **FRAGMENT)
    html = page(browser.get(question_url(form, 1), **FRAGMENT))
    assert '<input type="radio" name="answer" value="2" checked required>' in html
    assert html.count("checked") == 1


def test_the_last_answer_brings_the_review(form, browser):
    answer_all(browser, form, PHQ9_8[:8])
    response = browser.post(question_url(form, 9), {"answer": "0"}, **FRAGMENT)
    assert response.status_code == 200
    assert response["X-Waypost-Url"] == _review_url(form)
    html = page(response)
    assert "Check your answers" in html and 'data-title="Check your answers · Waypost"' in html
    assert "9 of 9 questions answered" in html
    assert html.count('<span class="item-text">') == 9


def test_changing_an_answer_from_the_review_goes_back_to_the_review(form, browser):
    answer_all(browser, form, PHQ9_8)
    step = page(browser.get(question_url(form, 3) + "?from=review", **FRAGMENT))
    assert '<input type="hidden" name="then" value="review">' in step
    assert "Review answers" in step
    response = browser.post(question_url(form, 3), {"answer": "3", "then": "review"}, **FRAGMENT)
    assert response["X-Waypost-Url"] == _review_url(form)
    assert _fresh(form).answers["phq9-3"] == 3


def test_the_review_alone_for_a_change_link(form, browser):
    answer_all(browser, form, PHQ9_8)
    response = browser.get(_review_url(form), **FRAGMENT)
    assert response["X-Waypost-Fragment"] == "1"
    html = page(response)
    assert "<html" not in html
    link = f'data-step-link href="{question_url(form, 1)}?from=review">Change'
    assert link in html


# --- told to load a page instead ----------------------------------------------------------


def test_a_critical_answer_raises_the_alert_at_once_and_sends_the_client_to_support(
    cast, form, browser
):
    answer_all(browser, form, PHQ9_8[:8])
    # when the script posts a critical answer to question 9
    response = browser.post(question_url(form, 9), {"answer": "2"}, **FRAGMENT)
    # then the clinician's alert is raised now, once
    assert RiskAlert.objects.filter(enrollment=cast.enrollment).count() == 1
    assert _fresh(form).alert_raised_at is not None
    # and the script is told to load the support page as a whole page
    assert response.status_code == 204
    assert response["X-Waypost-Navigate"] == reverse("assessments:support", args=[form.pk])
    # and answering it again raises no second alert
    browser.post(question_url(form, 9), {"answer": "3"}, **FRAGMENT)
    assert RiskAlert.objects.filter(enrollment=cast.enrollment).count() == 1


def test_a_form_that_closed_meanwhile_is_a_whole_page_load(form, browser):
    Administration.objects.filter(pk=form.pk).update(closes_at=timezone.now())
    response = browser.post(question_url(form, 2), {"answer": "1"}, **FRAGMENT)
    assert response.status_code == 204
    assert response["X-Waypost-Navigate"] == reverse("assessments:start", args=[form.pk])
    assert _fresh(form).answers == {}
    # so the normal page tells them it closed
    followed = browser.get(response["X-Waypost-Navigate"], follow=True)
    assert "That questionnaire has closed" in page(followed)


def test_sending_from_the_review_goes_to_the_result_page(form, browser):
    answer_all(browser, form, PHQ9_8)
    response = browser.post(_review_url(form), **FRAGMENT)
    assert response["X-Waypost-Navigate"] == reverse("assessments:result", args=[form.pk])
    assert _fresh(form).status == Administration.Status.COMPLETED


# --- not a fragment: the script falls back to a normal page load ----------------------------


def test_no_answer_is_an_error_the_script_does_not_swap_in(form, browser):
    response = browser.post(question_url(form, 1), {}, **FRAGMENT)
    assert response.status_code == 400
    assert "Please choose one of the answers." in page(response)
    assert _fresh(form).answers == {}


def test_a_signed_out_request_goes_to_sign_in_not_to_a_fragment(form, client):
    client.logout()
    response = client.post(question_url(form, 1), {"answer": "1"}, **FRAGMENT)
    assert response.status_code == 302
    assert response["Location"].startswith(settings.LOGIN_URL)
    assert "X-Waypost-Fragment" not in response
    assert _fresh(form).answers == {}


def test_another_clients_form_is_not_found_as_a_fragment_either(cast, form, client):
    other = sign_in(client, cast.foreign_client)
    assert other.get(question_url(form, 1), **FRAGMENT).status_code == 404
    assert other.post(question_url(form, 1), {"answer": "1"}, **FRAGMENT).status_code == 404
    assert _fresh(form).answers == {}


def test_a_post_without_the_csrf_token_is_refused(form, cast):
    from django.test import Client

    strict = Client(enforce_csrf_checks=True)
    strict.force_login(cast.client)
    response = strict.post(question_url(form, 1), {"answer": "1"}, **FRAGMENT)
    assert response.status_code == 403
    assert _fresh(form).answers == {}


# --- the script -----------------------------------------------------------------------------


def _script() -> str:
    found = finders.find("assessments/questionnaire.js")
    assert found, "assessments/questionnaire.js is missing"
    return Path(str(found)).read_text(encoding="utf-8")


def test_the_script_is_small_and_loads_nothing_from_elsewhere():
    script = _script()
    assert len(script.encode()) < 4096
    assert "http://" not in script and "https://" not in script and "import " not in script
    assert "eval(" not in script and "innerHTML" not in script


def test_the_script_sends_on_a_tap_but_never_on_arrow_keys():
    script = _script()
    # a radio "click" counts only after a pointer went down on that answer's row …
    assert 'addEventListener("pointerdown"' in script
    # … and any key forgets it, so arrows and Space only choose
    assert 'addEventListener("keydown", function () { down = null; }' in script


def test_the_result_page_no_longer_links_the_file_downloads(cast, form, browser):
    answer_all(browser, form, PHQ9_8)
    browser.post(_review_url(form))
    html = page(browser.get(reverse("assessments:result", args=[form.pk])))
    assert reverse("assessments:export_response", args=[form.pk]) not in html
    assert reverse("assessments:export_observation", args=[form.pk]) not in html
    assert "FHIR" not in html
    assert f'You can download your answers from <a href="{reverse("accounts:account")}">Me</a>' in (
        html
    )
    # the downloads themselves still work, for the data page under Me
    export = browser.get(reverse("assessments:export_response", args=[form.pk]))
    assert export.status_code == 200
