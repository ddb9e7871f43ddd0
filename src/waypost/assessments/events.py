"""What questionnaires write on a client's timeline.

The instrument's id is stored (and, for a clinic's own questionnaire, the id
of the version used); its short name is looked up when read. No score, band or
answer is ever part of an event.
"""

from __future__ import annotations

from collections.abc import Mapping
from typing import TYPE_CHECKING, Any

from django.utils.translation import gettext_lazy as _

from waypost.core import events
from waypost.core.events import EventKind

if TYPE_CHECKING:
    from waypost.assessments.catalog import Entry

ASSIGNED = "assessments.assigned"
COMPLETED = "assessments.completed"


def data_for(entry: Entry, **ids: int | None) -> dict[str, Any]:
    """An event's data about a questionnaire: its id, and the version for a clinic's own."""
    data: dict[str, Any] = {**ids, "instrument": entry.id}
    if entry.upload_id is not None:
        data["version"] = str(entry.upload_id)
    return data


def _name(data: Mapping[str, Any]) -> dict[str, Any]:
    from waypost.assessments import instruments

    try:
        entry = instruments.entry_of(data["instrument"], _uuid(data.get("version")))
    except ValueError:
        entry = None
    return {"name": entry.instrument.short_name if entry else data["instrument"]}


def _uuid(value: Any) -> Any:
    from uuid import UUID

    return UUID(str(value)) if value else None


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
