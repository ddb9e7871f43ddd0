"""The clinician asking the client to use a tool, and taking the request back."""

from __future__ import annotations

from datetime import datetime
from typing import TYPE_CHECKING

from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from waypost.access.policy import Action, require
from waypost.core import documents
from waypost.core import events as core_events
from waypost.motivation import events
from waypost.motivation.models import MotivationRequest
from waypost.motivation.tools import MotivationContentError
from waypost.program.models import Enrollment

if TYPE_CHECKING:
    from django.contrib.auth.models import _User as User


def ask_client(
    *, enrollment: Enrollment, tool: str, by: User, path: str = "", at: datetime | None = None
) -> tuple[MotivationRequest, bool]:
    """The clinician asks the client to use a tool; returns (request, newly asked)."""
    require(by, Action.ASSIGN_WORK, enrollment)
    if tool not in MotivationRequest.Tool.values:
        raise MotivationContentError(_("Please choose one of the four tools."))
    now = at or timezone.now()
    with transaction.atomic():
        documents.lock_enrollment(enrollment)
        existing = MotivationRequest.objects.filter(
            enrollment=enrollment, tool=tool, closed_at__isnull=True
        ).first()
        if existing is not None:
            return existing, False
        request = MotivationRequest.objects.create(
            enrollment=enrollment, tool=tool, asked_by=by, asked_at=now
        )
        core_events.record(
            enrollment=enrollment,
            kind=events.ASKED,
            actor=by,
            data={"tool": tool},
            at=now,
            path=path,
        )
    return request, True


def withdraw_request(
    *, enrollment: Enrollment, tool: str, by: User, path: str = "", at: datetime | None = None
) -> bool:
    """Take a request back. Returns False if there was none open."""
    require(by, Action.ASSIGN_WORK, enrollment)
    now = at or timezone.now()
    with transaction.atomic():
        changed = MotivationRequest.objects.filter(
            enrollment=enrollment, tool=tool, closed_at__isnull=True
        ).update(closed_at=now, outcome="withdrawn")
        if not changed:
            return False
        core_events.record(
            enrollment=enrollment,
            kind=events.WITHDRAWN,
            actor=by,
            data={"tool": tool},
            at=now,
            path=path,
        )
    return True
