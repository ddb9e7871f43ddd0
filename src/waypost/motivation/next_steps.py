"""What the motivation tools put on the client's Today: what the clinician asked for, and a
readiness number gone stale (stages 1 and 2)."""

from __future__ import annotations

from typing import TYPE_CHECKING

from django.urls import reverse
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from waypost.access.policy import Action, can
from waypost.core import facts, next_steps
from waypost.motivation import selectors

if TYPE_CHECKING:
    from django.http import HttpRequest

    from waypost.program.models import Enrollment

TITLES = {
    "readiness": gettext_lazy("Where are you today, from 0 to 10?"),
    "balance": gettext_lazy("Weighing it up"),
    "values": gettext_lazy("What matters to you"),
    "stage": gettext_lazy("Where are you with change?"),
}


def _step(nudge: selectors.TodayNudge) -> next_steps.NextStep:
    if nudge.asked is not None:
        priority = next_steps.ASKED
        description = _("%(name)s asked you to look at this before you next meet.") % {
            "name": selectors.asked_by(nudge.asked)
        }
    else:
        priority = next_steps.WHENEVER
        description = (
            _(
                "Whenever you are ready: one tap, one number for where you are today. "
                "Over time it helps to see how things move."
            )
            if nudge.first_time
            else _("It has been a while. One tap, one number: it helps to see how things move.")
        )
    return next_steps.NextStep(
        key=f"motivation.{nudge.tool}",
        priority=priority,
        title=TITLES.get(nudge.tool, TITLES["stage"]),
        description=description,
        url=reverse(f"motivation:{nudge.tool if nudge.tool in TITLES else 'overview'}"),
        verb=_("Start") if nudge.tool == "readiness" else _("Open"),
    )


def suggested(request: HttpRequest, enrollment: Enrollment) -> list[next_steps.NextStep]:
    if not can(request.user, Action.VIEW_OWN, enrollment):
        return []
    return [
        _step(nudge)
        for nudge in selectors.today_nudges(enrollment, facts.facts_for(request, enrollment))
    ]


def register_all() -> None:
    selectors.register_facts()
    next_steps.register("motivation.suggested", suggested)
