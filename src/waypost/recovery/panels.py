"""The recovery app's cards: the day counter on the client's Today and on the clinician's record.

Today's check-in itself is a next step (``next_steps.py``), not a panel.
"""

from __future__ import annotations

from typing import Any

from django.http import HttpRequest

from waypost.access.policy import Action, can
from waypost.core import events, panels
from waypost.program.models import Enrollment
from waypost.recovery import days, selectors

STYLESHEET = "recovery/recovery.css"


def today_context(request: HttpRequest, enrollment: Enrollment) -> dict[str, Any] | None:
    """The client's own counter, from Stage 2 on (shares its one query with the next step)."""
    if not can(request.user, Action.CHECK_IN, enrollment):
        return None
    state = selectors.today_state_for(request, enrollment)
    if state is None:
        return None
    # A milestone is marked on the day it is reached, once today counts (checked in):
    # a streak has each length on one day only, so each is marked once per streak.
    streak = state.counter.current_streak
    reached = state.checked_in_today and streak > 0 and days.is_milestone(streak)
    return {"state": state, "milestone": streak if reached else None}


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
            slot="client_today_lead",
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
    # The plans and recent lapses with their chains, in the record's main column.
    from waypost.recovery import plan_selectors

    panels.register(
        panels.Panel(
            slot="client_record",
            key="recovery.plans_and_lapses",
            template="recovery/plans/record_card.html",
            context=plan_selectors.record_card,
            order=20,
            stylesheet="recovery/plans.css",
        )
    )
