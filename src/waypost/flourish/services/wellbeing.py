"""Stage 4's wellbeing questionnaire on a schedule: WHO-5, every four weeks.

When a client moves into Stage 4, the clinician who moved them is taken to have asked
for the wellbeing questionnaire every :data:`EVERY_WEEKS` weeks, as the maintenance
phase's lighter rhythm of measurement. It is an ordinary assignment: it shows on the
client's Today when due, on the measures page, and the clinician changes or ends it
there like any other. Nothing is added when the client already has WHO-5 on a
schedule, or when the clinic does not offer it.
"""

from __future__ import annotations

from typing import TYPE_CHECKING

from waypost.access.policy import Action, can
from waypost.assessments.models import Assignment
from waypost.assessments.services.assigning import assign_measure
from waypost.assessments.services.common import MeasureError
from waypost.program.models import Stage

if TYPE_CHECKING:
    from waypost.core.models import TimelineEvent

INSTRUMENT = "who-5"
EVERY_WEEKS = 4


def schedule_wellbeing_on_entering(event: TimelineEvent) -> None:
    """Listens to stage changes: a move into Stage 4 starts WHO-5 every four weeks."""
    data = event.data
    entering = int(data.get("to", 0)) == Stage.FLOURISHING
    if not entering or int(data.get("from") or 0) >= Stage.FLOURISHING:
        return
    actor, enrollment = event.actor, event.enrollment
    if actor is None or not can(actor, Action.ASSIGN_WORK, enrollment):
        return
    if (
        Assignment.objects.filter(
            enrollment=enrollment, instrument_id=INSTRUMENT, ended_at__isnull=True
        )
        .exclude(schedule=Assignment.Schedule.ONCE)
        .exists()
    ):
        return
    try:
        assign_measure(
            enrollment=enrollment,
            instrument_id=INSTRUMENT,
            by=actor,
            schedule=Assignment.Schedule.EVERY_N_WEEKS,
            every_weeks=EVERY_WEEKS,
            at=event.created_at,
        )
    except MeasureError:
        # The clinic does not offer WHO-5 (or it is already waiting): nothing to schedule.
        return
