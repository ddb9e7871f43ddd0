"""The urge page ("I'm having an urge"): the door of "Get help now" that this app opens.

The page starts straight away with a 90-second exercise (riding the wave, with
breathing one tap away), then what the client wrote for this moment in their
relapse-prevention plan: their if–then plans, their reasons, the people to call with
one tap. Without a plan yet it still has the exercise, the safety plan and the
clinic's crisis lines. It is kept for use without a signal (``core.offline``).

Every client may open it, in any stage; logging the urge is offered from Stage 2.
"""

from __future__ import annotations

from typing import TYPE_CHECKING, Any

from django.contrib.auth.decorators import login_required
from django.http import HttpResponse
from django.shortcuts import render
from django.urls import NoReverseMatch, reverse
from django.views.decorators.http import require_safe

from waypost.access.policy import Action, can, own_enrollment
from waypost.clinics.models import CrisisLine
from waypost.recovery import selectors, skills, support
from waypost.recovery.views.toolbox import (
    BREATHING_EXERCISE,
    URGE_EXERCISE,
    practice_form,
    toolbox_text,
)
from waypost.safety.services import latest_plan

if TYPE_CHECKING:
    from waypost.accounts.http import AuthenticatedHttpRequest


def _url(name: str) -> str | None:
    try:
        return reverse(name)
    except NoReverseMatch:  # the urge log and the plans are other parts of Stage 2
        return None


@login_required
@require_safe
def urge_help(request: AuthenticatedHttpRequest) -> HttpResponse:
    enrollment = own_enrollment(request.user)
    box = skills.toolbox()
    exercise = box.get(URGE_EXERCISE) or next(iter(box.quick), None) or next(iter(box))
    plan = selectors.prevention_plan(enrollment)
    if_then = list(plan.get("if_then", [])) if plan else []
    reasons = list(plan.get("reasons", [])) if plan else []
    people = list(plan.get("people", [])) if plan else []
    from_safety_plan = False
    if not people:
        # No one named in the relapse-prevention plan: the safety plan's helpers, if any.
        safety_plan = latest_plan(enrollment)
        if safety_plan is not None:
            people = list(safety_plan.items("helpers"))
            from_safety_plan = bool(people)
    logs = can(request.user, Action.LOG_RECOVERY, enrollment)
    context: dict[str, Any] = {
        "enrollment": enrollment,
        "skill": exercise,
        "form": practice_form(request, enrollment, exercise),
        "toolbox_text": toolbox_text(),
        "breathing": box.get(BREATHING_EXERCISE),
        # Before Stage 2 there is no relapse-prevention plan to point to.
        "show_plan_hint": plan is None and logs,
        "if_then": if_then,
        "reasons": reasons,
        "people": people,
        "people_from_safety_plan": from_safety_plan,
        "support_actions": support.actions_for(request, enrollment),
        "urge_log_url": _url("recovery:urge_new") if logs else None,
        "prevention_url": (
            _url("recovery:prevention")
            if can(request.user, Action.EDIT_RECOVERY_PLAN, enrollment)
            else None
        ),
        "crisis_lines": list(CrisisLine.objects.filter(clinic_id=enrollment.clinic_id)),
    }
    return render(request, "recovery/toolbox/urge.html", context)
