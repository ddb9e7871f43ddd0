"""What the recovery app puts on the client's Today: today's check-in, until it is done."""

from __future__ import annotations

from typing import TYPE_CHECKING

from django.urls import reverse
from django.utils.translation import gettext as _

from waypost.access.policy import Action, can
from waypost.core import next_steps
from waypost.recovery.selectors import register_facts, today_state_for

if TYPE_CHECKING:
    from django.http import HttpRequest

    from waypost.program.models import Enrollment


def todays_check_in(request: HttpRequest, enrollment: Enrollment) -> list[next_steps.NextStep]:
    """Today's check-in, from Stage 2 on, while the client's own date has none."""
    if not can(request.user, Action.CHECK_IN, enrollment):
        return []
    state = today_state_for(request, enrollment)
    if state is None or state.checked_in_today:
        return []
    return [
        next_steps.NextStep(
            key="recovery.check_in",
            priority=next_steps.NOW,
            title=_("Today's check-in"),
            description=_("A few quick questions about your day; under a minute."),
            url=reverse("recovery:checkin"),
            verb=_("Check in"),
        )
    ]


def register_all() -> None:
    register_facts()
    next_steps.register("recovery.check_in", todays_check_in)
    # The plans and the lapse log (plan_selectors.py): "Write your plan", "Look back at …".
    from waypost.recovery import plan_selectors

    next_steps.register("recovery.plan", plan_selectors.write_plan_step)
    next_steps.register("recovery.look_back", plan_selectors.look_back_steps)
    plan_selectors.register_look_back_fact()
