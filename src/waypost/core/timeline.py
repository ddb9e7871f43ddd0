"""The append-only client timeline; later features write their events through here."""

from __future__ import annotations

from datetime import datetime
from typing import TYPE_CHECKING, Any

from waypost.core.models import TimelineEvent

if TYPE_CHECKING:
    from waypost.program.models import Enrollment


def add_event(
    *,
    enrollment: Enrollment,
    kind: str,
    summary: str,
    actor: Any = None,
    detail: str = "",
    data: dict | None = None,
    at: datetime | None = None,
) -> TimelineEvent:
    """Append one event. ``summary`` must hold nothing sensitive; ``detail`` is encrypted."""
    return TimelineEvent.objects.create(
        enrollment=enrollment,
        kind=kind,
        summary=summary[:300],
        actor=actor,
        detail=detail,
        data=data or {},
        **({"created_at": at} if at else {}),
    )
