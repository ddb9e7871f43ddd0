"""The assessments app's cards on the clinician's record.

On the client's Today, waiting questionnaires are next steps (``next_steps.py``).
"""

from __future__ import annotations

from typing import TYPE_CHECKING, Any

from waypost.access.policy import Action, can
from waypost.assessments import results, selectors
from waypost.core import panels

if TYPE_CHECKING:
    from django.http import HttpRequest

    from waypost.program.models import Enrollment


def _record(request: HttpRequest, enrollment: Enrollment) -> dict[str, Any] | None:
    if not can(request.user, Action.VIEW_RECORD, enrollment):
        return None
    open_forms = [
        (form, entry)
        for form in selectors.waiting_forms(enrollment)
        if (entry := form.entry) is not None
    ]
    return {
        "histories": results.histories(enrollment),
        "open_forms": open_forms,
        "recent_expired": results.recently_missed(enrollment),
    }


def register_all() -> None:
    panels.register(
        panels.Panel(
            slot="client_record",
            key="assessments.measures",
            template="assessments/panels/record.html",
            context=_record,
            order=20,
            stylesheet="assessments/assessments.css",
        )
    )
