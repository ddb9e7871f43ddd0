"""The audit trail: every view or change of client data by someone other than the client."""

from __future__ import annotations

from datetime import datetime
from typing import TYPE_CHECKING, Any

from waypost.core.models import AuditEvent

if TYPE_CHECKING:
    from waypost.program.models import Enrollment


def record_access(
    *,
    actor: Any,
    enrollment: Enrollment,
    action: str,
    what: str,
    path: str = "",
    at: datetime | None = None,
) -> AuditEvent | None:
    """Record that ``actor`` viewed or changed ``what`` of the enrollment's client.

    A client looking at their own data is not recorded: the trail is about
    other people's access.
    """
    if actor.pk == enrollment.client_id:
        return None
    return AuditEvent.objects.create(
        actor=actor,
        clinic_id=enrollment.clinic_id,
        client_id=enrollment.client_id,
        action=action,
        what=what[:200],
        path=path[:500],
        **({"created_at": at} if at else {}),
    )
