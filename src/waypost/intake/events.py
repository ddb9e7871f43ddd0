"""What the history intake and the client's story write on the timeline."""

from __future__ import annotations

from collections.abc import Mapping
from typing import Any

from django.utils.translation import gettext_lazy as _

from waypost.core import events
from waypost.core.events import EventKind

INTAKE_COMPLETED = "intake.completed"
STORY_SHARED = "intake.story_shared"
STORY_UNSHARED = "intake.story_unshared"


def _story_shared(data: Mapping[str, Any]) -> Any:
    if data.get("again"):
        return _("Shared a new version of their story")
    return _("Shared their story with their clinician")


def register_all() -> None:
    for kind in (
        EventKind(
            INTAKE_COMPLETED,
            label=_("History intake completed"),
            text=_("Sent their history intake to their clinician"),
            in_session=_("History intake completed together in session"),
            audit="history intake completed",
        ),
        EventKind(STORY_SHARED, label=_("Story shared"), text=_story_shared),
        EventKind(
            STORY_UNSHARED, label=_("Story no longer shared"), text=_("Stopped sharing their story")
        ),
    ):
        events.register(kind)
