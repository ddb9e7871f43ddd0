"""What the program writes on a client's timeline."""

from __future__ import annotations

from collections.abc import Mapping
from typing import Any

from django.utils.translation import gettext
from django.utils.translation import gettext_lazy as _

from waypost.core import events
from waypost.core.events import EventKind

ENROLLED = "program.enrolled"
STAGE_CHANGED = "program.stage_changed"


def _stage_words(data: Mapping[str, Any]) -> dict[str, Any]:
    from waypost.program.models import Stage

    moved_on = data["to"] > (data.get("from") or 0)
    return {
        "verb": gettext("Moved on") if moved_on else gettext("Stepped back"),
        "stage": Stage(data["to"]).label,
    }


def register_all() -> None:
    events.register(
        EventKind(ENROLLED, label=_("Joined the program"), text=_("Joined the program"))
    )
    events.register(
        EventKind(
            STAGE_CHANGED,
            label=_("Stage changed"),
            text=_("%(verb)s to stage %(to)d: %(stage)s"),
            params=_stage_words,
            audit="stage",
        )
    )
