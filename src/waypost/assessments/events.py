"""What questionnaires write on a client's timeline.

The instrument's id is stored; its short name is looked up when read. No
score, band or answer is ever part of an event.
"""

from __future__ import annotations

from collections.abc import Mapping
from typing import Any

from django.utils.translation import gettext_lazy as _

from waypost.core import events
from waypost.core.events import EventKind

ASSIGNED = "assessments.assigned"
COMPLETED = "assessments.completed"


def _name(data: Mapping[str, Any]) -> dict[str, Any]:
    from waypost.assessments import catalog

    entry = catalog.get(data["instrument"])
    return {"name": entry.instrument.short_name if entry else data["instrument"]}


def register_all() -> None:
    for kind in (
        EventKind(
            ASSIGNED,
            label=_("Questionnaire assigned"),
            text=_("%(name)s was assigned"),
            params=_name,
            audit="measure assigned",
        ),
        EventKind(
            COMPLETED,
            label=_("Questionnaire completed"),
            text=_("%(name)s completed"),
            params=_name,
        ),
    ):
        events.register(kind)
