"""What the safety app writes on a client's timeline, and what the audit trail calls it.

Nothing clinical goes into a timeline line: an alert's summary and a
clinician's note are the event's encrypted detail, never its sentence.
"""

from __future__ import annotations

from collections.abc import Mapping
from typing import Any

from django.utils.translation import gettext_lazy as _

from waypost.core import documents, events
from waypost.core.audit import register_subject
from waypost.core.events import EventKind

PLAN_SAVED = "safety.plan_saved"
ALERT_RAISED = "safety.alert_raised"
ALERT_ACKNOWLEDGED = "safety.alert_acknowledged"
ALERT_ESCALATED = "safety.alert_escalated"

# audit-trail subjects (the "what" of an audit entry)
PLAN = "safety plan"
PLAN_VERSION = "safety plan version"
ALERT = "risk alert"
ALERTS = "risk alerts"
ALERT_STATUS = "risk alert status"


def _escalated_text(data: Mapping[str, Any]) -> Any:
    if data.get("level") == 2:  # noqa: PLR2004  # AlertEscalation.Level.ADMIN
        return _("An open risk alert was passed on to the clinic admins")
    return _("An open risk alert was passed on to the clinician on call")


KINDS = (
    documents.version_event(
        key=PLAN_SAVED,
        label=_("Safety plan saved"),
        first=_("Safety plan written"),
        later=_("Safety plan updated (version %(n)d)"),
        audit=PLAN,
    ),
    # Raised by the system on the client's behalf: no one to audit.
    EventKind(
        key=ALERT_RAISED,
        label=_("Risk alert raised"),
        text=_("A risk alert was raised for the clinician"),
    ),
    EventKind(
        key=ALERT_ACKNOWLEDGED,
        label=_("Risk alert acknowledged"),
        text=_("Risk alert acknowledged"),
        audit=ALERT,
    ),
    # Passed on by the system when nobody acknowledged in the clinic's time: no one to audit.
    EventKind(
        key=ALERT_ESCALATED,
        label=_("Risk alert passed on"),
        text=_escalated_text,
    ),
)


def register_all() -> None:
    """Declare the timeline kinds and audit subjects (from ``AppConfig.ready()``)."""
    for kind in KINDS:
        events.register(kind)
    register_subject(PLAN, _("Safety plan"))
    register_subject(PLAN_VERSION, _("Safety plan, an earlier version"))
    register_subject(ALERT, _("A risk alert"))
    register_subject(ALERTS, _("Risk alerts in the inbox"))
    register_subject(ALERT_STATUS, _("Whether a risk alert is open (no content)"))
