"""What the safety app puts on the client's Today: a safety plan, until there is one.

Never pressing (a low priority): "Get help now" is in the header of every page
whatever this says, and leads to the plan once it is written.
"""

from __future__ import annotations

from typing import TYPE_CHECKING

from django.db.models import Exists, OuterRef
from django.urls import reverse
from django.utils.translation import gettext as _

from waypost.access.policy import Action, can
from waypost.core import facts, next_steps
from waypost.safety.models import SafetyPlan

if TYPE_CHECKING:
    from django.http import HttpRequest

    from waypost.program.models import Enrollment


def plan(request: HttpRequest, enrollment: Enrollment) -> list[next_steps.NextStep]:
    if not can(request.user, Action.VIEW_OWN, enrollment):
        return []
    if facts.facts_for(request, enrollment)["safety.has_plan"]:
        return []
    return [
        next_steps.NextStep(
            key="safety.plan",
            priority=next_steps.SOMEDAY,
            title=_("Your safety plan"),
            description=_(
                "A short list of what helps and who to reach when things get hard. You can "
                "write it with your clinician in a session, or start it yourself now."
            ),
            url=reverse("safety:my_plan_edit"),
            verb=_("Start"),
        )
    ]


def register_all() -> None:
    facts.register(
        "safety.has_plan",
        lambda enrollment, now: Exists(SafetyPlan.objects.filter(enrollment=OuterRef("pk"))),
    )
    next_steps.register("safety.plan", plan)
