"""Cards the safety app adds to the clinician's client record.

On the client's Today, a safety plan not yet written is a next step (``next_steps.py``).
"""

from __future__ import annotations

from typing import Any

from django.http import HttpRequest

from waypost.access.policy import Action, can
from waypost.core import panels
from waypost.program.models import Enrollment
from waypost.safety import selectors, services


def _record_alerts(request: HttpRequest, enrollment: Enrollment) -> dict[str, Any] | None:
    if not can(request.user, Action.ACKNOWLEDGE_ALERT, enrollment):
        return None
    alerts = list(selectors.open_alerts_for(enrollment))
    if not alerts:
        return None
    return {"alerts": alerts, "next": request.path}


def _record_plan(request: HttpRequest, enrollment: Enrollment) -> dict[str, Any] | None:
    if not can(request.user, Action.VIEW_RECORD, enrollment):
        return None
    versions = services.plan_versions(enrollment).defer("content")
    return {"latest": versions.first(), "count": versions.count()}


def register_all() -> None:
    panels.register(
        panels.Panel(
            slot="client_record",
            key="safety.open_alerts",
            template="safety/panels/record_alerts.html",
            context=_record_alerts,
            order=5,
        )
    )
    panels.register(
        panels.Panel(
            slot="client_record_side",
            key="safety.record_plan",
            template="safety/panels/record_plan.html",
            context=_record_plan,
            order=20,
        )
    )
