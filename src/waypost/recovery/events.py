"""What check-ins write on a client's timeline.

Only that a day was checked in, and which day: the answers and the note stay in the
check-in itself (``CheckIn``), so the timeline sentence never carries them.
"""

from __future__ import annotations

from collections.abc import Mapping
from datetime import date
from typing import Any

from django.utils import formats
from django.utils.translation import gettext_lazy as _

from waypost.core import events
from waypost.core.events import EventKind

CHECKED_IN = "recovery.checked_in"


def _day(data: Mapping[str, Any]) -> dict[str, Any]:
    return {"day": formats.date_format(date.fromisoformat(data["day"]), "j M Y")}


def _text(data: Mapping[str, Any]) -> Any:
    return _("Check-in for %(day)s changed") if data.get("updated") else _("Checked in for %(day)s")


def register_all() -> None:
    events.register(
        EventKind(CHECKED_IN, label=_("Daily check-in"), text=_text, params=_day),
    )
