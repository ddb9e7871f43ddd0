"""What the meetings app writes on a client's timeline: the attendance log.

The meeting's name says which fellowship a client goes to, so it is a private
parameter: stored encrypted, joined back when the sentence is made.
"""

from __future__ import annotations

from django.utils.translation import gettext_lazy as _

from waypost.core import events
from waypost.core.events import EventKind

ATTENDED = "meetings.attended"
ATTENDANCE_REMOVED = "meetings.attendance_removed"


def register_all() -> None:
    events.register(
        EventKind(
            ATTENDED,
            label=_("Peer meeting logged"),
            text=_("Went to a peer support meeting: %(meeting)s (%(day)s)"),
            private=("meeting",),
        )
    )
    events.register(
        EventKind(
            ATTENDANCE_REMOVED,
            label=_("Peer meeting taken off the log"),
            text=_("Took a peer support meeting off the log: %(meeting)s (%(day)s)"),
            private=("meeting",),
        )
    )
