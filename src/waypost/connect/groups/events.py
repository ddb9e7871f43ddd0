"""What group therapy writes on a client's timeline, and what the audit trail calls it.

Events hold the group's name as the clinic wrote it and the session's local date; the
sentence is made in the reader's language. A session's notes are about the group, not
one client, so they are never on a client's timeline (see ``models.SessionNote``).
"""

from __future__ import annotations

from collections.abc import Mapping
from datetime import date
from typing import Any

from django.utils import formats
from django.utils.translation import gettext_lazy as _

from waypost.core import audit, events
from waypost.core.events import EventKind

JOINED = "group_therapy.joined"
LEFT = "group_therapy.left"
ATTENDANCE = "group_therapy.attendance"

# audit-trail subjects
AUDIT_MEMBERSHIP = "group membership"
AUDIT_ATTENDANCE = "group attendance"
AUDIT_CARD = "group card"

STATUS_WORDS = {
    "present": _("present"),
    "absent": _("absent"),
    "excused": _("excused"),
}


def _attendance_words(data: Mapping[str, Any]) -> dict[str, Any]:
    day = date.fromisoformat(data["day"])
    return {
        "day": formats.date_format(day, "j M Y"),
        "status": STATUS_WORDS.get(data["status"], data["status"]),
    }


def _left_text(data: Mapping[str, Any]) -> Any:
    if data.get("removed"):
        return _("Was taken off the group “%(group)s”")
    return _("Left the group “%(group)s”")


KINDS = (
    EventKind(
        JOINED,
        label=_("Joined a group"),
        text=_("Joined the group “%(group)s”"),
        audit=AUDIT_MEMBERSHIP,
    ),
    EventKind(LEFT, label=_("Left a group"), text=_left_text, audit=AUDIT_MEMBERSHIP),
    EventKind(
        ATTENDANCE,
        label=_("Group attendance"),
        text=_("Group session “%(group)s” on %(day)s: %(status)s"),
        params=_attendance_words,
        audit=AUDIT_ATTENDANCE,
    ),
)


def register_all() -> None:
    for kind in KINDS:
        events.register(kind)
    audit.register_subject(AUDIT_MEMBERSHIP, _("Group membership"))
    audit.register_subject(AUDIT_ATTENDANCE, _("Group attendance"))
    audit.register_subject(AUDIT_CARD, _("Groups and attendance"))
