"""Transitional: the old way to add a timeline event, until every app records through
``core.events.record``. Stores the given sentence as the event's fallback text."""

from __future__ import annotations

from datetime import datetime
from typing import TYPE_CHECKING, Any

from waypost.core.models import TimelineEvent

if TYPE_CHECKING:
    # The configured user model (AUTH_USER_MODEL), as django-stubs resolves it.
    from django.contrib.auth.models import _User as User

    from waypost.program.models import Enrollment


def add_event(
    *,
    enrollment: Enrollment,
    kind: str,
    summary: str,
    actor: User | None = None,
    detail: str = "",
    data: dict[str, Any] | None = None,
    at: datetime | None = None,
) -> TimelineEvent:
    return TimelineEvent.objects.create(
        enrollment=enrollment,
        kind=kind,
        actor=actor,
        detail=detail,
        data={**(data or {}), "text": str(summary)[:300]},
        **({"created_at": at} if at else {}),
    )
