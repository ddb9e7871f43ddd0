"""The decisional balance, a versioned document."""

from __future__ import annotations

from collections.abc import Iterable, Mapping
from datetime import datetime
from typing import TYPE_CHECKING, Any

from django.db import transaction
from django.utils import timezone

from waypost.core import documents
from waypost.motivation import events, tools
from waypost.motivation.models import DecisionalBalance
from waypost.motivation.services.common import acting_in_session, close_requests, same_moment
from waypost.program.models import Enrollment

if TYPE_CHECKING:
    from django.contrib.auth.models import _User as User


def save_balance(
    *,
    enrollment: Enrollment,
    content: Mapping[str, Iterable[Any]],
    by: User,
    path: str = "",
    at: datetime | None = None,
) -> DecisionalBalance:
    """Save the four boxes as a new version; earlier versions stay as they were.

    Saving exactly what the newest version says, by the same person, makes no
    new version (a double tap or a retry) and returns that version.
    """
    in_session = acting_in_session(by, enrollment)
    text = tools.dumps(tools.normalise_balance(content))
    now = at or timezone.now()
    with transaction.atomic():
        try:
            balance, created = documents.save_version(
                model=DecisionalBalance,
                enrollment=enrollment,
                content=text,
                by=by,
                in_session=in_session,
                event_kind=events.BALANCE_SAVED,
                at=now,
                path=path,
            )
        except documents.VersionConflict:
            raise same_moment() from None
        if created:
            close_requests(enrollment, "balance", now)
    return balance
