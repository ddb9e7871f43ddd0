"""The alert kinds connect registers itself: a lapse logged (scope ``lapses``).

The ``lapses`` consent scope is recovery's to register; until it is, no ally can
share it, and this kind raises nothing. Shield registers its own kind from
``waypost.shield.ally_alerts``; "I need support now" lives in ``support.py``.
"""

from __future__ import annotations

from collections.abc import Mapping
from datetime import date
from typing import Any

from django.utils.formats import date_format
from django.utils.translation import gettext_lazy

from waypost.connect.alerts import registry
from waypost.recovery import events as recovery_events

LAPSES_SCOPE = "lapses"


def _day_words(data: Mapping[str, Any]) -> dict[str, str]:
    return {"day": date_format(date.fromisoformat(str(data["day"])), "j F")}


LAPSE_ALERT = registry.AlertKind(
    key="recovery.lapse_logged",
    scope=LAPSES_SCOPE,
    event_kind=recovery_events.LAPSE_LOGGED,
    label=gettext_lazy("A lapse is logged"),
    text=gettext_lazy("%(name)s logged a lapse for %(day)s."),
    params=_day_words,
    hint=gettext_lazy(
        "Saying so openly is part of learning from it. Calm company helps more than "
        "questions about what happened; let them share what they want to."
    ),
)


def register() -> None:
    registry.register(LAPSE_ALERT)
