"""What the clinic's own work writes on a client's timeline."""

from __future__ import annotations

from django.utils.translation import gettext_lazy as _

from waypost.core import events
from waypost.core.events import EventKind

# The key predates this app owning it; stored rows keep it.
CLINICIAN_CHANGED = "program.clinician_changed"


def register_all() -> None:
    events.register(
        EventKind(
            CLINICIAN_CHANGED,
            label=_("Clinician changed"),
            text=_("New clinician: %(name)s"),
            audit="primary clinician",
        )
    )
