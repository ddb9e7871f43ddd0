"""What early warnings write on a client's timeline: raised and resolved, by rule name."""

from __future__ import annotations

from collections.abc import Mapping
from typing import Any

from django.utils.translation import gettext_lazy as _

from waypost.core import events
from waypost.core.events import EventKind

RAISED = "early_warnings.raised"
RESOLVED = "early_warnings.resolved"
NOTED = "early_warnings.noted"


def _rule(data: Mapping[str, Any]) -> dict[str, Any]:
    from waypost.recovery.warnings import rules

    rule = rules.get(data["rule"])
    return {"rule": rule.label if rule is not None else data["rule"]}


def register_all() -> None:
    events.register(
        EventKind(RAISED, label=_("Early warning"), text=_("Early warning: %(rule)s"), params=_rule)
    )
    events.register(
        EventKind(
            RESOLVED,
            label=_("Early warning resolved"),
            text=_("Early warning no longer seen: %(rule)s"),
            params=_rule,
        )
    )
    events.register(
        EventKind(
            NOTED,
            label=_("Early warning noted"),
            text=_("Noted the early warning: %(rule)s"),
            params=_rule,
        )
    )
