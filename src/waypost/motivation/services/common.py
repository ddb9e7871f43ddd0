"""What the motivation services share: who acts, closing requests, a same-moment save."""

from __future__ import annotations

from datetime import datetime
from typing import TYPE_CHECKING

from django.utils.translation import gettext as _

from waypost.access.policy import Action, require
from waypost.motivation.models import MotivationRequest
from waypost.motivation.tools import MotivationContentError
from waypost.program.models import Enrollment

if TYPE_CHECKING:
    from django.contrib.auth.models import _User as User


def acting_in_session(by: User, enrollment: Enrollment) -> bool:
    """Check who acts: the client themself, or their clinician with them (in session)."""
    if by.pk == enrollment.client_id:
        require(by, Action.VIEW_OWN, enrollment)
        return False
    require(by, Action.ASSIGN_WORK, enrollment)
    return True


def close_requests(enrollment: Enrollment, tool: str, at: datetime) -> None:
    MotivationRequest.objects.filter(
        enrollment=enrollment, tool=tool, closed_at__isnull=True
    ).update(closed_at=at, outcome="done")


def same_moment() -> MotivationContentError:
    return MotivationContentError(
        _("Someone saved this at the same moment. Please open it again and retry.")
    )
