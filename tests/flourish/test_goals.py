"""Long-term goals: set, change, steps, notes and reviews, by whom and when."""

from __future__ import annotations

from datetime import date, timedelta
from uuid import uuid4

import pytest
import time_machine
from django.core.exceptions import PermissionDenied
from django.utils import timezone

from tests.flourish.helpers import a_goal
from waypost.core.models import AuditEvent, TimelineEvent
from waypost.flourish import services
from waypost.flourish.models import Goal, GoalNote
from waypost.flourish.services import GoalError

pytestmark = pytest.mark.django_db


def test_a_client_in_stage_four_sets_a_goal_with_steps(stage4):
    goal = a_goal(stage4, why="Fresh air helps me.")
    assert goal.domain == "self_care"
    assert [s.text for s in goal.steps.all()] == ["Find a route", "Buy good shoes"]
    event = TimelineEvent.objects.get(kind="flourish.goal_set")
    assert event.summary == "A long-term goal set (Everyday rewards)"
    # the domain is kept with the encrypted parameters, never in clear
    assert "domain" not in event.data
    assert not AuditEvent.objects.filter(what="goals").exists()  # the client's own step


def test_the_same_goal_sent_twice_is_kept_once(stage4):
    key = uuid4()
    first = a_goal(stage4, client_uuid=key)
    again = a_goal(stage4, client_uuid=key)
    assert first.pk == again.pk
    assert Goal.objects.count() == 1


def test_a_client_before_stage_four_cannot_set_goals(cast):
    with pytest.raises(PermissionDenied):
        a_goal(cast)


@pytest.mark.parametrize("who", ["other_clinician", "foreign_clinician", "admin", "ally_all"])
def test_nobody_else_may_set_goals(stage4, who):
    with pytest.raises(PermissionDenied):
        services.create_goal(
            enrollment=stage4.enrollment, by=getattr(stage4, who), domain="insight", title="X"
        )


@pytest.mark.parametrize(
    ("fields", "message"),
    [
        ({"domain": "nowhere"}, "area of life"),
        ({"title": "   "}, "a few words"),
        ({"title": "x" * 201}, "200 characters"),
        ({"steps": ["a step"] * 21}, "up to 20 steps"),
        ({"review_on": date(2020, 1, 1)}, "from today on"),
    ],
)
def test_bad_goals_are_refused_kindly_and_change_nothing(stage4, fields, message):
    with pytest.raises(GoalError, match=message):
        a_goal(stage4, **fields)
    assert not Goal.objects.exists()
    assert not TimelineEvent.objects.filter(kind__startswith="flourish.").exists()


def test_steps_are_added_and_marked_done_and_undone(stage4):
    goal = a_goal(stage4)
    step = services.add_step(goal=goal, by=stage4.client, text="Ask a friend along")
    assert step.position == 2
    services.set_step_done(step=step, by=stage4.client, done=True)
    step.refresh_from_db()
    assert step.is_done
    # marking it as it already is writes nothing
    count = TimelineEvent.objects.count()
    services.set_step_done(step=step, by=stage4.client, done=True)
    assert TimelineEvent.objects.count() == count
    services.set_step_done(step=step, by=stage4.client, done=False)
    step.refresh_from_db()
    assert not step.is_done


def test_the_clinician_comments_with_a_note_and_it_is_audited(stage4):
    goal = a_goal(stage4)
    note = services.add_note(goal=goal, by=stage4.clinician, text="Good start. Keep going.")
    assert note.written_by == stage4.clinician
    assert AuditEvent.objects.filter(
        actor=stage4.clinician, what="goals", action=AuditEvent.Action.CHANGE
    ).exists()


def test_an_empty_note_is_refused(stage4):
    goal = a_goal(stage4)
    with pytest.raises(GoalError):
        services.add_note(goal=goal, by=stage4.client, text="  ")
    assert not GoalNote.objects.exists()


def test_a_goal_is_changed_and_can_rest_or_be_reached(stage4):
    goal = a_goal(stage4)
    services.update_goal(
        goal=goal, by=stage4.client, domain="meaning", title="Volunteer", status="reached"
    )
    goal.refresh_from_db()
    assert (goal.domain, goal.title, goal.status) == ("meaning", "Volunteer", "reached")


def test_a_review_sets_the_next_date_and_keeps_the_note(stage4):
    with time_machine.travel("2025-03-10 09:00Z", tick=False):
        goal = a_goal(stage4, review_on=date(2025, 3, 12))
    with time_machine.travel("2025-03-14 09:00Z", tick=False):
        with pytest.raises(GoalError, match="after today"):
            services.review_goal(goal=goal, by=stage4.client, next_review_on=date(2025, 3, 14))
        services.review_goal(
            goal=goal, by=stage4.client, next_review_on=date(2025, 6, 1), note="Going well."
        )
    goal.refresh_from_db()
    assert goal.review_on == date(2025, 6, 1)
    assert goal.notes.get().text == "Going well."
    event = TimelineEvent.objects.filter(kind="flourish.goal_reviewed").get()
    assert event.data["next"] == "2025-06-01"


def test_a_review_date_far_ahead_is_refused(stage4):
    goal = a_goal(stage4)
    with pytest.raises(GoalError, match="two years"):
        services.review_goal(
            goal=goal, by=stage4.client, next_review_on=timezone.localdate() + timedelta(days=800)
        )
