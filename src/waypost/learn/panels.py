"""The learn app's card on the clinician's client record: reading, with the modules assigned.

On the client's Today, unread reading is a next step (``next_steps.py``).
"""

from __future__ import annotations

from typing import Any

from django.http import HttpRequest

from waypost.access.policy import Action, can
from waypost.core import panels
from waypost.learn.content import library
from waypost.learn.forms import AssignForm
from waypost.learn.selectors import core_reading, record_entries
from waypost.program.models import Enrollment


def record_context(request: HttpRequest, enrollment: Enrollment) -> dict[str, Any] | None:
    """The clinician's reading card: assigned modules with status, and the form to assign."""
    if not can(request.user, Action.ASSIGN_WORK, enrollment):
        return None
    entries = record_entries(enrollment)
    assigned = {e.module.slug for e in entries}
    return {
        "entries": entries,
        "core": core_reading(enrollment.client_id),
        "assign_form": AssignForm(
            modules=[m for m in library() if m.slug not in assigned], auto_id="learn_%s"
        ),
    }


def register() -> None:
    panels.register(
        panels.Panel(
            slot="client_record_side",
            key="learn.assignments",
            template="learn/panels/record_side.html",
            context=record_context,
            order=40,
            stylesheet="learn/learn.css",
        )
    )
