"""Consent scopes: the registry (kept in ``core.consent_scopes``) and the program's own scopes.

The registry moved to core so that apps below connect (recovery) can register the
scopes for the data they own; its names are re-exported here, so
``from waypost.connect import scopes`` and ``scopes.register(scopes.ConsentScope(...))``
keep working. This module adds the scopes that belong to the program and the care
team: where the client is on the journey, and who their care team is.
"""

from __future__ import annotations

from typing import TYPE_CHECKING

from django.utils.translation import gettext_lazy as _

from waypost.core.consent_scopes import (
    JSON,
    ApiView,
    ConsentScope,
    SectionContext,
    _registry,
    all_scopes,
    clean,
    get,
    known,
    labels,
    register,
)

if TYPE_CHECKING:
    from waypost.connect.models import AllyLink

__all__ = [
    "CARE_TEAM",
    "JOURNEY",
    "JSON",
    "ApiView",
    "ConsentScope",
    "SectionContext",
    "_registry",
    "all_scopes",
    "clean",
    "get",
    "known",
    "labels",
    "register",
]


# --- the scopes the program itself offers ----------------------------------------


def journey_context(link: AllyLink) -> SectionContext:
    """Where the client is on the four-stage map and since when; no reasons, no history."""
    from waypost.program.models import Stage
    from waypost.program.services import journey

    enrollment = link.enrollment
    return {
        "steps": journey(enrollment),
        "stage": enrollment.stage,
        "stage_label": Stage(enrollment.stage).label,
        "stage_count": len(Stage),
        "since": enrollment.stage_entered_at,
        # Under a day: "has just moved into it", never "has been there for 0 minutes".
        "just_started": enrollment.days_in_stage < 1,
    }


def care_team_context(link: AllyLink) -> SectionContext:
    """The primary clinician's name, the clinic's contact details and its crisis lines."""
    enrollment = link.enrollment
    clinician = enrollment.primary_clinician
    clinic = enrollment.clinic
    return {
        "clinician_name": clinician.user.name,
        "clinician_title": clinician.title,
        "clinic_name": clinic.name,
        "clinic_phone": clinic.contact_phone,
        "clinic_email": clinic.contact_email,
        "clinic_address": clinic.address,
        "crisis_lines": list(clinic.crisis_lines.all()),
    }


def journey_api(link: AllyLink) -> dict[str, JSON]:
    """The journey as JSON: the stage (number and name) and when the client entered it."""
    from waypost.program.models import Stage

    enrollment = link.enrollment
    return {
        "stage": enrollment.stage,
        "stage_label": str(Stage(enrollment.stage).label),
        "stage_count": len(Stage),
        "since": enrollment.stage_entered_at.isoformat(),
    }


def care_team_api(link: AllyLink) -> dict[str, JSON]:
    """The care team as JSON: the same facts the ally's page shows."""
    data = care_team_context(link)
    return {
        "clinician_name": data["clinician_name"],
        "clinician_title": data["clinician_title"],
        "clinic_name": data["clinic_name"],
        "clinic_phone": data["clinic_phone"],
        "clinic_email": data["clinic_email"],
        "clinic_address": data["clinic_address"],
        "crisis_lines": [
            {"name": line.name, "phone": line.phone, "text": line.text, "hours": line.hours}
            for line in data["crisis_lines"]
        ],
    }


JOURNEY = "journey"
CARE_TEAM = "care_team"

register(
    ConsentScope(
        JOURNEY,
        _("Journey"),
        _("Which of the four stages you are in and how long you have been in it."),
        template="connect/sections/journey.html",
        context=journey_context,
        api=journey_api,
        order=10,
    )
)
register(
    ConsentScope(
        CARE_TEAM,
        _("Care team"),
        _("Your clinician's name, how to reach the clinic, and its crisis lines."),
        template="connect/sections/care_team.html",
        context=care_team_context,
        api=care_team_api,
        order=90,
    )
)
