"""Stage 4 on the client's Today: the goals card, the alumni card, and "review due" steps.

All of it comes from ``core.facts`` (read once for every app, in one query), so Today
makes no query of its own for Stage 4.
"""

from __future__ import annotations

from typing import TYPE_CHECKING, Any

from django.db.models import OuterRef
from django.urls import reverse
from django.utils import formats, timezone
from django.utils.translation import gettext as _

from waypost.access.policy import Action, can
from waypost.core import facts, next_steps, panels
from waypost.flourish import domains, selectors
from waypost.flourish.models import Goal, Graduation
from waypost.program.models import Stage

if TYPE_CHECKING:
    from django.http import HttpRequest

    from waypost.program.models import Enrollment

GOALS = "flourish.goals"
GRADUATION = "flourish.graduation"
RHYTHM = "flourish.rhythm"
STYLESHEET = "flourish/flourish.css"


def _goals(enrollment: Enrollment, now: Any) -> facts.Rows:
    return facts.Rows(
        Goal.objects.filter(enrollment=OuterRef("pk"), status=Goal.Status.ACTIVE),
        ["id", "enrollment_id", "domain", "title", "review_on", "status", "created_at"],
        extra=selectors.step_counts(),
    )


def _graduation(enrollment: Enrollment, now: Any) -> facts.Rows:
    return facts.Rows(
        Graduation.objects.filter(enrollment=OuterRef("pk")),
        ["id", "enrollment_id", "graduated_at", "stepped_back_at"],
    )


def active_goals(request: HttpRequest, enrollment: Enrollment) -> list[Goal]:
    """The client's active goals, oldest first, each with ``progress``; from the facts."""
    today = timezone.localdate()
    goals = sorted(facts.facts_for(request, enrollment)[GOALS], key=lambda g: (g.created_at, g.pk))
    for goal in goals:
        goal.domain_info = domains.get(goal.domain)
        goal.progress = selectors.progress(
            goal,
            today,
            done=int(getattr(goal, "steps_done", 0) or 0),
            total=int(getattr(goal, "steps_total", 0) or 0),
        )
    return goals


def alumni_since(request: HttpRequest, enrollment: Enrollment) -> Any:
    """When the client graduated, if they are an alumnus now (Stage 4); else None."""
    if enrollment.stage != Stage.FLOURISHING:
        return None
    for graduation in facts.facts_for(request, enrollment)[GRADUATION]:
        if graduation.stepped_back_at is None:
            return graduation.graduated_at
    return None


def goals_card(request: HttpRequest, enrollment: Enrollment) -> dict[str, Any] | None:
    """Stage 4's card on Today: each active goal's progress and the next review."""
    if enrollment.stage < Stage.FLOURISHING or not can(request.user, Action.VIEW_OWN, enrollment):
        return None
    goals = active_goals(request, enrollment)
    if not goals:
        return None  # the first goal is a next step instead
    reviews = [g.review_on for g in goals if g.review_on is not None]
    return {
        "goals": goals[:4],
        "more": max(0, len(goals) - 4),
        "next_review": min(reviews) if reviews else None,
    }


def alumni_card(request: HttpRequest, enrollment: Enrollment) -> dict[str, Any] | None:
    """A warm card at the top of an alumnus's Today."""
    if not can(request.user, Action.VIEW_OWN, enrollment):
        return None
    since = alumni_since(request, enrollment)
    if since is None:
        return None
    return {"since": since}


def steps(request: HttpRequest, enrollment: Enrollment) -> list[next_steps.NextStep]:
    """A "review due" step per goal whose review day has come; the first goal, if none yet."""
    if not can(request.user, Action.EDIT_GOALS, enrollment):
        return []
    goals = active_goals(request, enrollment)
    if not goals:
        return [
            next_steps.NextStep(
                key="flourish.first_goal",
                priority=next_steps.START,
                title=_("A long-term goal"),
                description=_(
                    "Choose something you want your life to hold, and the first steps toward it."
                ),
                url=reverse("flourish:goal_new"),
                verb=_("Set a goal"),
            )
        ]
    found = []
    for goal in goals:
        if not goal.progress.review_due or goal.review_on is None:  # type: ignore[attr-defined]
            continue
        found.append(
            next_steps.NextStep(
                key=f"flourish.review.{goal.pk}",
                priority=next_steps.CONTINUE,
                title=_("Time to look at a goal again"),
                description=_("%(goal)s: review planned for %(date)s.")
                % {"goal": goal.title, "date": formats.date_format(goal.review_on, "j M")},
                url=reverse("flourish:goal", args=[goal.pk]) + "#review",
                verb=_("Review"),
            )
        )
    return found


def register() -> None:
    facts.register(GOALS, _goals)
    facts.register(GRADUATION, _graduation)
    facts.register(RHYTHM, lambda enrollment, now: selectors.rhythm_expression())
    next_steps.register("flourish.goals", steps)
    panels.register(
        panels.Panel(
            slot="client_today_lead",
            key="flourish.alumni",
            template="flourish/panels/alumni.html",
            context=alumni_card,
            order=5,
            stylesheet=STYLESHEET,
        )
    )
    panels.register(
        panels.Panel(
            slot="client_today",
            key="flourish.goals_today",
            template="flourish/panels/today_goals.html",
            context=goals_card,
            order=30,
            stylesheet=STYLESHEET,
        )
    )
