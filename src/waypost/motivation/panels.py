"""The motivation tools' card on the clinician's client record.

On the client's Today, what is suggested is a next step (``next_steps.py``).
"""

from __future__ import annotations

from typing import Any

from django.http import HttpRequest

from waypost.access.policy import Action, can
from waypost.core import panels
from waypost.motivation import selectors
from waypost.motivation.views.seat import Seat
from waypost.program.models import Enrollment


def record_context(request: HttpRequest, enrollment: Enrollment) -> dict[str, Any] | None:
    """The clinician's "Motivation" card: latest readiness and stage, dates of the rest."""
    if not can(request.user, Action.VIEW_RECORD, enrollment):
        return None
    return {
        "state": selectors.overview(enrollment, with_clinician_view=True),
        "urls": Seat(enrollment, for_client=False).urls,
    }


def register() -> None:
    panels.register(
        panels.Panel(
            slot="client_record_side",
            key="motivation.record",
            template="motivation/panels/record_side.html",
            context=record_context,
            order=45,
            stylesheet="motivation/motivation.css",
        )
    )
