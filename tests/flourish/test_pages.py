"""Stage 4's pages, Today's cards and the record card, through the test browser."""

from __future__ import annotations

from datetime import date

import pytest
import time_machine
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse

from tests.flourish.helpers import a_goal
from waypost.core.models import AuditEvent
from waypost.flourish import services
from waypost.flourish.models import Goal

pytestmark = pytest.mark.django_db


def _as(browser, user):
    browser.logout()
    browser.force_login(user)
    return browser


def test_a_client_sets_a_goal_through_the_form(stage4, client):
    browser = _as(client, stage4.client)
    page = browser.get(reverse("flourish:goal_new"))
    assert page.status_code == 200
    response = browser.post(
        reverse("flourish:goal_new"),
        {
            "domain": "social_skills",
            "title": "See a friend every week",
            "steps": "Message Jun\nBook the café",
            "client_uuid": page.context["form"].initial["client_uuid"],
        },
    )
    goal = Goal.objects.get()
    assert response.status_code == 302
    assert response["Location"] == reverse("flourish:goal", args=[goal.pk])
    detail = browser.get(response["Location"]).content.decode()
    assert "See a friend every week" in detail and "Book the café" in detail


def test_a_bad_goal_form_shows_why_and_saves_nothing(stage4, client):
    browser = _as(client, stage4.client)
    response = browser.post(reverse("flourish:goal_new"), {"domain": "insight", "title": ""})
    assert response.status_code == 400
    assert not Goal.objects.exists()


def test_a_stage_two_client_reads_but_cannot_set_goals(cast, client):
    browser = _as(client, cast.client)
    page = browser.get(reverse("flourish:goals")).content.decode()
    assert "last stage of the program" in page
    assert browser.get(reverse("flourish:goal_new")).status_code == 403


def test_today_shows_the_goals_card_and_a_review_due(stage4, client):
    with time_machine.travel("2025-05-01 02:00Z", tick=False):
        goal = a_goal(stage4, review_on=date(2025, 5, 3))
        services.set_step_done(step=goal.steps.first(), by=stage4.client, done=True)
    with time_machine.travel("2025-05-04 02:00Z", tick=False):
        browser = _as(client, stage4.client)
        page = browser.get(reverse("program:today")).content.decode()
    assert "Your goals" in page
    assert "1 of 2 steps done" in page
    assert "Time to look at a goal again" in page


def test_today_offers_the_first_goal_in_stage_four(stage4, client):
    page = _as(client, stage4.client).get(reverse("program:today")).content.decode()
    assert "Set a goal" in page
    assert "You graduated" not in page


def test_an_alumnus_sees_the_warm_card_on_today(stage4, client):
    services.graduate(enrollment=stage4.enrollment, by=stage4.clinician, note="Proud.")
    page = _as(client, stage4.client).get(reverse("program:today")).content.decode()
    assert "You graduated" in page
    assert "your toolbox, your safety plan and your goals" in page


@pytest.mark.parametrize("n", [1, 12])
def test_today_makes_no_more_queries_with_goals(stage4, client, n):
    for i in range(n):
        goal = a_goal(stage4, title=f"Goal {i}")
        services.add_note(goal=goal, by=stage4.client, text=f"Note {i}")
    services.graduate(enrollment=stage4.enrollment, by=stage4.clinician, note="Proud.")
    browser = _as(client, stage4.client)
    browser.get(reverse("program:today"))
    with CaptureQueriesContext(connection) as captured:
        assert browser.get(reverse("program:today")).status_code == 200
    assert len(captured.captured_queries) <= 8


def test_the_record_card_shows_goals_cheaply_and_is_audited(stage4, client):
    from waypost.flourish.panels import record_context

    for i in range(5):
        a_goal(stage4, title=f"Goal {i}")
    browser = _as(client, stage4.clinician)
    page = browser.get(reverse("caseload:record", args=[stage4.enrollment.pk])).content.decode()
    assert "Goals and maintenance" in page and "Goal 4" in page
    assert AuditEvent.objects.filter(actor=stage4.clinician, what="goals").exists()
    request = browser.get(reverse("caseload:record", args=[stage4.enrollment.pk])).wsgi_request
    with CaptureQueriesContext(connection) as captured:
        record_context(request, stage4.enrollment)
    assert len(captured.captured_queries) <= 3


def test_the_clinician_comments_and_graduates_from_their_page(stage4, client):
    goal = a_goal(stage4)
    browser = _as(client, stage4.clinician)
    url = reverse("flourish:client_goal_note", args=[stage4.enrollment.pk, goal.pk])
    assert browser.post(url, {"text": "Nice work."}).status_code == 302
    assert goal.notes.get().written_by == stage4.clinician
    response = browser.post(
        reverse("flourish:graduate", args=[stage4.enrollment.pk]), {"note": "Well done."}
    )
    assert response.status_code == 302
    page = browser.get(reverse("flourish:client_goals", args=[stage4.enrollment.pk]))
    assert "Step back in" in page.content.decode()


def test_a_client_writes_the_maintenance_plan(stage4, client):
    browser = _as(client, stage4.client)
    response = browser.post(
        reverse("flourish:maintenance_edit"),
        {"rhythm": "weekly", "warning_signs": "Sleeping badly", "if_they_appear": "Call Jun"},
    )
    assert response.status_code == 302
    page = browser.get(reverse("flourish:maintenance")).content.decode()
    assert "Once a week" in page and "Sleeping badly" in page
    assert "step back a stage" in page
