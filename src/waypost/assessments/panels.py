"""The assessments app's cards on the client's Today page and the clinician's record."""

from __future__ import annotations

from typing import TYPE_CHECKING, Any

from waypost.access.policy import Action, can
from waypost.assessments import catalog, results, selectors
from waypost.core import panels

if TYPE_CHECKING:
    from django.http import HttpRequest

    from waypost.program.models import Enrollment


def _today(request: HttpRequest, enrollment: Enrollment) -> dict[str, Any] | None:
    if not can(request.user, Action.VIEW_OWN, enrollment):
        return None
    # Read-only: a form that fell due since the last sweep shows with a Start button
    # whose POST opens it.
    due = [
        (form, catalog.get(form.instrument_id))
        for form in selectors.waiting_forms(enrollment)
        if catalog.get(form.instrument_id)
    ]
    return {"due": due} if due else None


def _record(request: HttpRequest, enrollment: Enrollment) -> dict[str, Any] | None:
    if not can(request.user, Action.VIEW_RECORD, enrollment):
        return None
    open_forms = [
        (form, catalog.get(form.instrument_id))
        for form in selectors.waiting_forms(enrollment)
        if catalog.get(form.instrument_id)
    ]
    return {
        "histories": results.histories(enrollment),
        "open_forms": open_forms,
        "recent_expired": results.recently_missed(enrollment),
    }


def register_all() -> None:
    panels.register(
        panels.Panel(
            slot="client_today",
            key="assessments.due",
            template="assessments/panels/today.html",
            context=_today,
            order=10,
            stylesheet="assessments/assessments.css",
        )
    )
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
