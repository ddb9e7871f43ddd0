"""What Stage 4 writes on a client's timeline, and the audit-trail subjects it uses.

A goal's words stay in the goal (encrypted); the timeline says only that a goal was
set, a step done, a note added, and which domain (kept private, with the encrypted
parameters).
"""

from __future__ import annotations

from collections.abc import Mapping
from typing import Any

from django.utils.translation import gettext_lazy as _

from waypost.core import audit
from waypost.core import events as core_events
from waypost.core.events import EventKind

GOAL_SET = "flourish.goal_set"
GOAL_CHANGED = "flourish.goal_changed"
GOAL_STEP = "flourish.goal_step"
GOAL_NOTE = "flourish.goal_note"
GOAL_REVIEWED = "flourish.goal_reviewed"
MAINTENANCE_SAVED = "flourish.maintenance_saved"
MAINTENANCE_AGREED = "flourish.maintenance_agreed"
GRADUATED = "flourish.graduated"
STEPPED_BACK_IN = "flourish.stepped_back_in"

# audit-trail subjects
GOALS = "goals"
MAINTENANCE = "maintenance plan"
GRADUATION = "graduation"


def _domain(data: Mapping[str, Any]) -> Mapping[str, Any]:
    from waypost.flourish import domains

    found = domains.get(str(data.get("domain", "")))
    return {"domain": found.name if found else _("a goal")}


def _step_text(data: Mapping[str, Any]) -> Any:
    return _("A step toward a goal done") if data.get("done") else _("A step marked not done yet")


def register_all() -> None:
    kinds = (
        EventKind(
            GOAL_SET,
            label=_("Goal set"),
            text=_("A long-term goal set (%(domain)s)"),
            params=_domain,
            audit=GOALS,
            private=("domain",),
        ),
        EventKind(
            GOAL_CHANGED,
            label=_("Goal changed"),
            text=_("A long-term goal changed (%(domain)s)"),
            params=_domain,
            audit=GOALS,
            private=("domain",),
        ),
        EventKind(GOAL_STEP, label=_("Goal step"), text=_step_text, audit=GOALS),
        EventKind(
            GOAL_NOTE, label=_("Goal note"), text=_("A progress note on a goal"), audit=GOALS
        ),
        EventKind(
            GOAL_REVIEWED,
            label=_("Goal reviewed"),
            text=_("A goal reviewed, next review %(next)s"),
            audit=GOALS,
        ),
        core_events_version(),
        EventKind(
            MAINTENANCE_AGREED,
            label=_("Maintenance plan agreed"),
            text=_("Maintenance plan agreed with the clinician (version %(version)s)"),
            audit=MAINTENANCE,
        ),
        EventKind(
            GRADUATED,
            label=_("Graduated"),
            text=_("Graduated to alumni"),
            audit=GRADUATION,
        ),
        EventKind(
            STEPPED_BACK_IN,
            label=_("Stepped back in"),
            text=_("Stepped back in from alumni"),
            audit=GRADUATION,
        ),
    )
    for kind in kinds:
        core_events.register(kind)
    audit.register_subject(GOALS, _("Long-term goals"))
    audit.register_subject(MAINTENANCE, _("Maintenance plan"))
    audit.register_subject(GRADUATION, _("Graduation"))


def core_events_version() -> EventKind:
    from waypost.core import documents

    return documents.version_event(
        key=MAINTENANCE_SAVED,
        label=_("Maintenance plan saved"),
        first=_("Maintenance plan written"),
        later=_("Maintenance plan updated (version %(n)d)"),
        audit=MAINTENANCE,
    )
