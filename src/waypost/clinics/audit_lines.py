"""The audit page's lines: repeated views of one client's data by one person, grouped.

Display only. The trail keeps every row (``core.models.AuditEvent``); this page
folds the views the same person made of the same client within
:data:`REPEAT_WINDOW` into one line ("viewed 4 times, 10:02–10:25: Client
record, Measures"), so a session of clicking through a record reads as one
visit and a refusal or a change never hides among views. Changes, exports and
refused attempts always stand alone. Grouping happens within one page of the
trail, so a group never spans two pages.
"""

from __future__ import annotations

from collections.abc import Iterable
from dataclasses import dataclass, field
from datetime import datetime, timedelta

from waypost.core.models import AuditEvent

REPEAT_WINDOW = timedelta(minutes=30)


@dataclass
class AuditLine:
    """One line of the audit page: one event, or a group of views (newest first)."""

    events: list[AuditEvent] = field(default_factory=list)

    @property
    def first(self) -> AuditEvent:
        """The newest event: who, which client, which action."""
        return self.events[0]

    @property
    def count(self) -> int:
        return len(self.events)

    @property
    def grouped(self) -> bool:
        return len(self.events) > 1

    @property
    def started_at(self) -> datetime:
        return self.events[-1].created_at

    @property
    def ended_at(self) -> datetime:
        return self.events[0].created_at

    @property
    def subjects(self) -> list[str]:
        """The distinct subjects looked at, in the order first seen (oldest first)."""
        seen: list[str] = []
        for event in reversed(self.events):
            if event.what not in seen:
                seen.append(event.what)
        return seen


def audit_lines(events: Iterable[AuditEvent], window: timedelta = REPEAT_WINDOW) -> list[AuditLine]:
    """``events`` (newest first) as lines, a person's repeated views of one client folded.

    A view joins the line of the same person's latest view of the same client when
    it happened within ``window`` of that line's newest view (rows of other people
    or clients in between do not break it); anything else starts a line of its own.
    Lines stay in the order of their newest event.
    """
    lines: list[AuditLine] = []
    open_views: dict[tuple[int, int], AuditLine] = {}
    for event in events:
        key = (event.actor_id, event.client_id)
        if event.action == AuditEvent.Action.VIEW:
            line = open_views.get(key)
            if line is not None and line.ended_at - event.created_at <= window:
                line.events.append(event)
                continue
            line = AuditLine(events=[event])
            open_views[key] = line
        else:
            line = AuditLine(events=[event])
        lines.append(line)
    return lines
