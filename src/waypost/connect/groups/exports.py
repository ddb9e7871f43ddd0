"""Groups in "download my data": the client's places in groups and their attendance.

A session's notes are the facilitators' notes about the group, not the client's own
words, so they are not part of it (as a clinician's private notes are not).
"""

from __future__ import annotations

from typing import TYPE_CHECKING, Any

from django.utils.translation import gettext_lazy as _

from waypost.connect.groups.models import Attendance, GroupMember
from waypost.core import exports

if TYPE_CHECKING:
    from waypost.accounts.models import User


def groups(user: User) -> dict[str, Any]:
    members = (
        GroupMember.objects.filter(enrollment__client=user)
        .select_related("programme")
        .order_by("joined_at", "pk")
    )
    marks = (
        Attendance.objects.filter(enrollment__client=user)
        .select_related("session__programme")
        .order_by("session__original_start", "pk")
    )
    return {
        "groups": [
            {"name": m.programme.name, "joined_at": m.joined_at, "left_at": m.left_at}
            for m in members
        ],
        "attendance": [
            {
                "group": mark.session.programme.name,
                "session_at": mark.session.starts_at,
                "status": mark.get_status_display(),
                "status_key": mark.status,
            }
            for mark in marks
        ],
    }


SECTION = exports.Section(
    key="groups",
    title=_("Group sessions"),
    order=85,
    collect=groups,
    machine_only=frozenset({"status_key"}),
    description=_("The therapy groups you were part of, and your attendance at their sessions."),
    labels={
        "groups": _("Groups"),
        "joined_at": _("Joined"),
        "left_at": _("Left"),
        "attendance": _("Attendance"),
        "group": _("Group"),
        "session_at": _("Session"),
    },
)


def register() -> None:
    exports.register(SECTION)
