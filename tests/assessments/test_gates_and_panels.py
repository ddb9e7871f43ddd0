"""Stage 1 gate criteria from the measures, and the waiting-questionnaire card on Today."""

from __future__ import annotations

from datetime import UTC, datetime, timedelta

import pytest
from django.urls import reverse
from django.utils import timezone

from tests.assessments.helpers import PHQ9_8, answer, assign, completed, page, sign_in
from tests.program import scenarios
from waypost.assessments import services
from waypost.assessments.models import Administration
from waypost.program.gates import checklist

pytestmark = pytest.mark.django_db


def _check(enrollment, key: str):
    """The stage 1 gate check ``key`` (the cast's client is in stage 2; the gate is stage 1's)."""
    checks = {check.criterion.key: check for check in checklist(enrollment, stage=1)}
    return checks[key].result


# --- gates -----------------------------------------------------------------------------


def test_baseline_measures_are_not_complete_before_anything_is_assigned(cast):
    result = _check(cast.enrollment, "baseline_measures_complete")
    assert (result.met, result.detail) == (False, "No questionnaires assigned yet")


def test_baseline_measures_count_each_assigned_questionnaire_done(cast):
    # given PHQ-9 and GAD-7 assigned
    phq = assign(cast, "phq-9").forms.get()
    assign(cast, "gad-7")
    result = _check(cast.enrollment, "baseline_measures_complete")
    assert (result.met, result.detail) == (False, "0 of 2 questionnaires done")
    # when PHQ-9 is completed
    for position, value in enumerate(PHQ9_8, start=1):
        services.record_answer(form=phq, link_id=f"phq9-{position}", value=value, by=cast.client)
    services.submit(form=phq, by=cast.client)
    result = _check(cast.enrollment, "baseline_measures_complete")
    assert (result.met, result.detail) == (False, "1 of 2 questionnaires done")
    # and GAD-7 too
    completed(cast, [0] * 7, instrument_id="gad-7")
    result = _check(cast.enrollment, "baseline_measures_complete")
    assert (result.met, result.detail) == (True, "2 of 2 questionnaires done")


def test_baseline_with_one_questionnaire_says_it_in_the_singular(cast):
    assign(cast, "who-5")
    result = _check(cast.enrollment, "baseline_measures_complete")
    assert result.detail == "0 of 1 questionnaire done"


def test_an_expired_form_does_not_count_as_done(cast):
    now = timezone.now()
    assign(cast, "phq-9", window_days=1, at=now - timedelta(days=2))
    services.expire_closed_forms(now=now)
    assert _check(cast.enrollment, "baseline_measures_complete").met is False


def test_another_clients_forms_do_not_count(cast):
    assign(cast, "phq-9")
    services.record_completed(
        enrollment=cast.foreign_enrollment,
        instrument_id="phq-9",
        answers=PHQ9_8,
        at=timezone.now() - timedelta(days=1),
    )
    assert _check(cast.enrollment, "baseline_measures_complete").met is False


def test_readiness_is_recorded_by_a_completed_readiness_ruler(cast):
    # given nothing yet
    result = _check(cast.enrollment, "readiness_recorded")
    assert (result.met, result.detail) == (False, "Not recorded yet")
    # when the client completes the readiness ruler twice, 4 then 7 (at noon UTC, a date
    # that is the same in the clinic's time zone)
    noon = datetime(2026, 3, 10, 12, 0, tzinfo=UTC)
    completed(cast, [4], instrument_id="readiness-ruler", at=noon - timedelta(days=9))
    completed(cast, [7], instrument_id="readiness-ruler", at=noon)
    # then the latest one is what the checklist shows
    result = _check(cast.enrollment, "readiness_recorded")
    assert (result.met, result.detail) == (True, "Latest 7 out of 10 on 10 Mar 2026")


def test_an_unfinished_readiness_ruler_is_not_recorded(cast):
    assign(cast, "readiness-ruler")
    assert _check(cast.enrollment, "readiness_recorded").met is False


def test_both_criteria_are_on_the_stage_1_checklist_with_their_labels(cast):
    labels = {str(check.criterion.label) for check in checklist(cast.enrollment, stage=1)}
    assert "Baseline questionnaires completed" in labels
    assert "Readiness to change recorded" in labels


# --- on Today: a next step per waiting questionnaire ---------------------------------------


def _today(browser) -> str:
    return page(browser.get(reverse("program:today")))


def _step(html: str, key: str) -> str:
    """The markup of one next step on Today: the first one's card, or a row of the rest."""
    start = html.index(f'data-step="{key}"')
    ends = [i for i in (html.find("</li>", start), html.find("</section>", start)) if i != -1]
    return html[start : min(ends)]


def _has_questionnaire_steps(html: str) -> bool:
    return 'data-step="assessments.' in html


def test_today_shows_a_waiting_questionnaire_with_a_start_link(cast, client):
    # given PHQ-9 waiting, open for 5 days, and today's check-in done
    form = assign(cast, "phq-9", window_days=5).forms.get()
    scenarios.checked_in_today(cast)
    # when the client opens Today
    step = _step(_today(sign_in(client, cast.client)), f"assessments.form.{form.pk}")
    # then it is the next step, in plain words, with a Start link
    assert "Mood questionnaire" in step
    assert "PHQ-9" not in step
    assert "9 questions, a few minutes" in step
    start = reverse("assessments:start", args=[form.pk])
    assert f'<a class="button button-primary" href="{start}">Start' in step
    assert "Open until" in step


def test_today_says_continue_for_a_started_questionnaire(cast, client):
    form = assign(cast, "phq-9").forms.get()
    browser = sign_in(client, cast.client)
    answer(browser, form, 1, "1")
    step = _step(_today(browser), f"assessments.form.{form.pk}")
    assert f'href="{reverse("assessments:start", args=[form.pk])}">Continue' in step


def test_a_questionnaire_closing_soon_comes_first(cast, client):
    # given PHQ-9 open for a week, then GAD-7 open for a day, and today's check-in done
    scenarios.checked_in_today(cast)
    later = assign(cast, "phq-9", window_days=7).forms.get()
    sooner = assign(cast, "gad-7", window_days=1).forms.get()
    html = _today(sign_in(client, cast.client))
    # then GAD-7, closing first, leads Today, and PHQ-9 follows
    assert html.index(f'data-step="assessments.form.{sooner.pk}"') < html.index(
        f'data-step="assessments.form.{later.pk}"'
    )
    assert 'id="next-step-heading">Worry questionnaire<' in html


def test_today_shows_nothing_when_nothing_is_waiting(cast, client):
    browser = sign_in(client, cast.client)
    assert not _has_questionnaire_steps(_today(browser))
    # nor once the only form was completed
    completed(cast, PHQ9_8)
    assert not _has_questionnaire_steps(_today(browser))


def test_today_hides_a_form_whose_time_ran_out(cast, client):
    form = assign(cast, "phq-9").forms.get()
    Administration.objects.filter(pk=form.pk).update(
        closes_at=timezone.now() - timedelta(minutes=1)
    )
    assert not _has_questionnaire_steps(_today(sign_in(client, cast.client)))


def test_today_shows_a_scheduled_form_that_fell_due_with_a_start_button(cast, client):
    # given a weekly schedule whose second week began, with no sweep since
    start = timezone.now() - timedelta(weeks=1, hours=2)
    assignment = assign(cast, "gad-7", schedule="weeks", every_weeks=1, window_days=3, at=start)
    # when the client opens Today
    step = _step(_today(sign_in(client, cast.client)), f"assessments.due.{assignment.pk}")
    # then this week's questionnaire is there to start: a button whose POST opens it
    assert "Worry questionnaire" in step
    assert f'<form method="post" action="{reverse("assessments:measures")}">' in step
    assert f'name="assignment" value="{assignment.pk}"' in step
    assert "Start<span" in step
    # and looking made nothing
    assert not Administration.objects.filter(opens_at=start + timedelta(weeks=1)).exists()


def test_the_today_card_is_the_clients_only(cast, client):
    # given PHQ-9 waiting for the cast's client, another client sees no card
    assign(cast, "phq-9")
    other = sign_in(client, cast.foreign_client)
    assert not _has_questionnaire_steps(_today(other))
