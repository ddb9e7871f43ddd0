"""Today reads the questionnaires waiting from its facts: the same forms the questionnaires
page finds with its own queries, whatever the schedules."""

from __future__ import annotations

from datetime import timedelta

import pytest
from django.urls import reverse
from django.utils import timezone

from tests.assessments.helpers import assign, sign_in
from waypost.assessments import selectors
from waypost.assessments.models import Session
from waypost.core import facts
from waypost.core.next_steps import next_steps

pytestmark = pytest.mark.django_db


def _both(cast, now):
    from waypost.assessments.next_steps import _known

    by_queries = selectors.waiting_forms(cast.enrollment, now)
    by_facts = selectors.waiting_forms(
        cast.enrollment, now, _known(facts.read(cast.enrollment, now))
    )
    return (
        [(f.pk, f.instrument_id, f.opens_at, f.closes_at) for f in by_queries],
        [(f.pk, f.instrument_id, f.opens_at, f.closes_at) for f in by_facts],
    )


def test_the_facts_find_the_same_forms_as_the_queries(cast):
    now = timezone.now()
    # given a form open now, a weekly schedule, and forms before each session
    assign(cast, "gad-7")  # once: its form is open
    assign(cast, "phq-9", schedule="weeks", every_weeks=2, at=now - timedelta(days=15))
    assign(cast, "who-5", schedule="session", at=now - timedelta(days=30))
    # sessions written straight in, as if the sweep had not run since: no forms made yet
    soon = now + timedelta(days=1)
    for starts_at, cancelled in (
        (soon, None),  # within two days: its form has fallen due
        (now + timedelta(hours=30), now),  # called off: nothing
        (now + timedelta(days=5), None),  # too far ahead: nothing yet
    ):
        Session.objects.create(
            enrollment=cast.enrollment,
            starts_at=starts_at,
            created_by=cast.clinician,
            cancelled_at=cancelled,
        )
    # when both ways read what is waiting (the queries' own "now" is a moment later)
    by_queries, by_facts = _both(cast, timezone.now())
    # then they agree, form by form, soonest closing first
    assert by_facts == by_queries
    assert len(by_facts) == 3
    assert ("who-5", soon) in {(instrument, closes) for _pk, instrument, _o, closes in by_facts}


def test_a_once_form_already_made_and_closed_is_not_offered_again(cast):
    assignment = assign(cast, "gad-7")
    assignment.forms.update(closes_at=timezone.now() - timedelta(minutes=1))
    by_queries, by_facts = _both(cast, timezone.now())
    assert by_facts == by_queries == []


def test_today_shows_the_form_that_fell_due_with_a_start_button_that_posts(cast, client):
    # given "before each session", and a session tomorrow written straight in: its form
    # has fallen due, and the sweep has not run since
    now = timezone.now()
    assignment = assign(cast, "phq-9", schedule="session", at=now - timedelta(days=1))
    Session.objects.create(
        enrollment=cast.enrollment, starts_at=now + timedelta(days=1), created_by=cast.clinician
    )
    assert not assignment.forms.exists()
    # when the client opens Today
    browser = sign_in(client, cast.client)
    response = browser.get(reverse("program:today"))
    # then the questionnaire is a step whose button opens it by a POST
    steps = [s for s in next_steps(response.wsgi_request, cast.enrollment)]
    (due,) = [s for s in steps if s.key == f"assessments.due.{assignment.pk}"]
    assert due.post == (("assignment", str(assignment.pk)),)
    assert str(due.title) in response.content.decode()
