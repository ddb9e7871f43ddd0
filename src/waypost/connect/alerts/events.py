"""What this app writes on a client's timeline: asking allies for support.

The message itself stays with the request (encrypted) and goes to the allies only;
the timeline, which the clinician reads too, keeps how many allies were asked.
"""

from __future__ import annotations

from collections.abc import Mapping
from typing import Any

from django.utils.translation import gettext_lazy as _
from django.utils.translation import ngettext

from waypost.core import events
from waypost.core.events import EventKind

SUPPORT_REQUESTED = "ally_alerts.support_requested"


def _support_text(data: Mapping[str, Any]) -> str:
    return ngettext(
        "Asked %(allies)d ally for support",
        "Asked %(allies)d allies for support",
        int(data["allies"]),
    )


def register_all() -> None:
    events.register(
        EventKind(
            SUPPORT_REQUESTED,
            label=_("Asked allies for support"),
            text=_support_text,
        )
    )
