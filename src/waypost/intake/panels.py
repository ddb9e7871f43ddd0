"""Cards on the clinician's client record.

On the client's Today, the history and the story are next steps (``next_steps.py``).
"""

from __future__ import annotations

from typing import Any

from django.http import HttpRequest

from waypost.access.policy import Action, can
from waypost.core import events, panels
from waypost.intake import factors, services
from waypost.intake.summary import summary_rows
from waypost.program.models import Enrollment


def record_summary(request: HttpRequest, enrollment: Enrollment) -> dict[str, Any] | None:
    """Factors that make a longer recovery likely, side by side; the view is audited."""
    if not can(request.user, Action.VIEW_RECORD, enrollment):
        return None
    intake = services.intake_of(enrollment)
    progress = services.intake_progress(intake)
    if progress.count:
        events.record_view(
            actor=request.user,
            enrollment=enrollment,
            what="history intake summary",
            path=request.path,
        )
    answers = intake.answers
    return {
        "progress": progress,
        "rows": summary_rows(answers) if progress.count else [],
        "mainly_moral": factors.mainly_moral(answers),
    }


def record_story(request: HttpRequest, enrollment: Enrollment) -> dict[str, Any] | None:
    """Whether the client has shared their story (never anything about a draft)."""
    if not can(request.user, Action.VIEW_RECORD, enrollment):
        return None
    return {"shared_at": services.story_of(enrollment).shared_at}


def register() -> None:
    panels.register(
        panels.Panel(
            slot="client_record",
            key="intake.record_summary",
            template="intake/panels/record_summary.html",
            context=record_summary,
            order=40,
            stylesheet="intake/intake.css",
        )
    )
    panels.register(
        panels.Panel(
            slot="client_record_side",
            key="intake.record_story",
            template="intake/panels/record_story.html",
            context=record_story,
            order=40,
        )
    )
