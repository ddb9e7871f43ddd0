"""What the motivation tools write on a client's timeline, and what the audit trail calls them.

The keys keep the ``learn.`` prefix they were stored with when these tools
lived in the learn app: they are names in stored rows, not imports, and
keeping them means every earlier event still reads as it did.
"""

from __future__ import annotations

from collections.abc import Mapping
from typing import Any

from django.utils.translation import gettext
from django.utils.translation import gettext_lazy as _

from waypost.core import documents, events
from waypost.core.audit import register_subject
from waypost.core.events import EventKind

BALANCE_SAVED = "learn.balance_saved"
VALUES_SORTED = "learn.values_sorted"
VALUES_TOP_CHOSEN = "learn.values_top_chosen"
VALUES_NOTES_WRITTEN = "learn.values_notes_written"
STAGE_OF_CHANGE = "learn.stage_of_change"
ASKED = "learn.motivation_asked"
WITHDRAWN = "learn.motivation_withdrawn"

# audit-trail subjects (the "what" of an audit entry)
OVERVIEW = "motivation tools"
READINESS = "readiness ruler"
BALANCE = "decisional balance"
BALANCE_VERSION = "decisional balance version"
VALUES = "values card sort"
VALUES_VERSION = "values card sort version"
STAGE = "stage of change"
REQUEST = "motivation request"


def _tool_label(data: Mapping[str, Any]) -> dict[str, Any]:
    from waypost.motivation.models import MotivationRequest

    tool = data.get("tool", "")
    try:
        return {"tool": MotivationRequest.Tool(tool).label}
    except ValueError:
        return {"tool": tool}


def _stage_words(data: Mapping[str, Any]) -> dict[str, Any]:
    if data.get("view") == "clinician":
        return {"what": gettext("Clinician's view of the stage of change recorded")}
    return {"what": gettext("Stage of change recorded")}


KINDS = (
    documents.version_event(
        key=BALANCE_SAVED,
        label=_("Decisional balance saved"),
        first=_("Decisional balance written"),
        later=_("Decisional balance updated (version %(n)d)"),
        audit=BALANCE,
    ),
    documents.version_event(
        key=VALUES_SORTED,
        label=_("Values card sort done"),
        first=_("Values card sort done"),
        later=_("Values card sort done again (version %(n)d)"),
        audit=VALUES,
    ),
    EventKind(
        key=VALUES_TOP_CHOSEN,
        label=_("Top values chosen"),
        text=_("Top values chosen"),
        in_session=_("Top values chosen in session"),
        audit=VALUES,
    ),
    EventKind(
        key=VALUES_NOTES_WRITTEN,
        label=_("Notes on top values written"),
        text=_("Notes on top values written"),
        in_session=_("Notes on top values written in session"),
        audit=VALUES,
    ),
    EventKind(
        key=STAGE_OF_CHANGE,
        label=_("Stage of change recorded"),
        text="%(what)s",
        in_session=_("%(what)s in session"),
        params=_stage_words,
        audit=STAGE,
    ),
    EventKind(
        key=ASKED,
        label=_("Asked to use a motivation tool"),
        text=_("Asked to use a motivation tool: %(tool)s"),
        params=_tool_label,
        audit=REQUEST,
    ),
    EventKind(
        key=WITHDRAWN,
        label=_("Request to use a motivation tool taken back"),
        text=_("Request to use a motivation tool taken back: %(tool)s"),
        params=_tool_label,
        audit=REQUEST,
    ),
)


def register_all() -> None:
    """Declare the timeline kinds and audit subjects (from ``AppConfig.ready()``)."""
    for kind in KINDS:
        events.register(kind)
    register_subject(OVERVIEW, _("Motivation tools (overview)"))
    register_subject(READINESS, _("Readiness ruler"))
    register_subject(BALANCE, _("Decisional balance"))
    register_subject(BALANCE_VERSION, _("Decisional balance, an earlier version"))
    register_subject(VALUES, _("Values card sort"))
    register_subject(VALUES_VERSION, _("Values card sort, an earlier version"))
    register_subject(STAGE, _("Stage of change"))
    register_subject(REQUEST, _("A request to use a motivation tool"))
