"""Stage 4's card on the clinician's client record: goals, maintenance plan, graduation.

Three queries at most (the goals with their step counts, the plan and graduation in
one, and the audit row), and none for a client before Stage 4 with no goals.
"""

from __future__ import annotations

from typing import Any

from django.http import HttpRequest
from django.utils import timezone

from waypost.access.policy import Action, can
from waypost.core import events as core_events
from waypost.core import panels
from waypost.flourish import events, selectors
from waypost.flourish.today import STYLESHEET
from waypost.program.models import Enrollment, Stage


def record_context(request: HttpRequest, enrollment: Enrollment) -> dict[str, Any] | None:
    """The record's "Goals and maintenance" card, from Stage 4 on; audited."""
    if enrollment.stage < Stage.FLOURISHING:
        return None
    if not can(request.user, Action.VIEW_RECORD, enrollment):
        return None
    today = timezone.localdate()
    goals = selectors.goal_rows(enrollment)
    for goal in goals:
        goal.progress = selectors.progress(  # type: ignore[attr-defined]
            goal,
            today,
            done=goal.steps_done,  # type: ignore[attr-defined]
            total=goal.steps_total,  # type: ignore[attr-defined]
        )
    summary = selectors.record_summary(enrollment)
    core_events.record_view(
        actor=request.user, enrollment=enrollment, what=events.GOALS, path=request.path
    )
    return {"goals": goals, "summary": summary}


def register() -> None:
    panels.register(
        panels.Panel(
            slot="client_record",
            key="flourish.record",
            template="flourish/panels/record.html",
            context=record_context,
            order=15,
            stylesheet=STYLESHEET,
        )
    )
