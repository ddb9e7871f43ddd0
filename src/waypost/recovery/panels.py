"""The recovery app's cards: the day counter on the client's Today and on the clinician's record.

Today's check-in itself is a next step (``next_steps.py``), not a panel.
"""

from __future__ import annotations

from typing import Any

from django.http import HttpRequest

from waypost.access.policy import Action, can
from waypost.core import events, panels
from waypost.program.models import Enrollment
from waypost.recovery import selectors

STYLESHEET = "recovery/recovery.css"


def today_context(request: HttpRequest, enrollment: Enrollment) -> dict[str, Any] | None:
    """The client's own counter, from Stage 2 on (shares its one query with the next step)."""
    if not can(request.user, Action.CHECK_IN, enrollment):
        return None
    state = selectors.today_state_for(request, enrollment)
    return None if state is None else {"state": state}


def record_context(request: HttpRequest, enrollment: Enrollment) -> dict[str, Any] | None:
    """The clinician's card: the counter, check-in adherence and the last fortnight; audited."""
    if not can(request.user, Action.VIEW_RECORD, enrollment):
        return None
    summary = selectors.record_summary(enrollment)
    if summary is None:
        return None
    # Always audited when shown (the counter is made from the check-ins), so the record
    # makes the same queries whatever the history.
    events.record_view(
        actor=request.user, enrollment=enrollment, what="check-ins", path=request.path
    )
    return {"summary": summary, "recent_days": selectors.RECENT_DAYS}


def register() -> None:
    panels.register(
        panels.Panel(
            slot="client_today",
            key="recovery.day_count_today",
            template="recovery/panels/today.html",
            context=today_context,
            order=10,
            stylesheet=STYLESHEET,
        )
    )
    panels.register(
        panels.Panel(
            slot="client_record_side",
            key="recovery.day_count_record",
            template="recovery/panels/record_side.html",
            context=record_context,
            order=5,
            stylesheet=STYLESHEET,
        )
    )
