"""What messaging writes on a client's timeline, and what the audit trail calls it.

A timeline line says only that a message was sent, and by which side: never its words.
"""

from __future__ import annotations

from collections.abc import Mapping
from typing import Any

from django.utils.translation import gettext_lazy as _

from waypost.core import events
from waypost.core.audit import register_subject
from waypost.core.events import EventKind

MESSAGE_SENT = "messaging.message_sent"

# audit-trail subjects
MESSAGE = "secure message"
THREAD = "secure messages"


def _sent_text(data: Mapping[str, Any]) -> Any:
    if data.get("from_client"):
        return _("Sent a message to the clinician")
    return _("The clinician sent a message")


KINDS = (EventKind(key=MESSAGE_SENT, label=_("Message sent"), text=_sent_text, audit=MESSAGE),)


def register_all() -> None:
    """Declare the timeline kinds and audit subjects (from ``AppConfig.ready()``)."""
    for kind in KINDS:
        events.register(kind)
    register_subject(MESSAGE, _("A secure message, sent"))
    register_subject(THREAD, _("Secure messages, read"))
