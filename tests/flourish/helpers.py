"""Shared steps of the Stage 4 tests."""

from __future__ import annotations

from waypost.access.policy import forget_roles
from waypost.program.services import change_stage


def to_stage_four(cast):
    """Move the cast's client (Stage 2) on to Stage 4; returns the enrollment."""
    enrollment = cast.enrollment
    enrollment.refresh_from_db()
    for stage in range(enrollment.stage + 1, 5):
        change_stage(
            enrollment=enrollment,
            to_stage=stage,
            reason="Ready for the next stage.",
            by=cast.clinician,
        )
    enrollment.refresh_from_db()
    for user in (cast.client, cast.clinician):
        forget_roles(user)
    return enrollment


def a_goal(cast, **extra):
    from waypost.flourish import services

    fields = {
        "domain": "self_care",
        "title": "Walk outside three times a week",
        "steps": ["Find a route", "Buy good shoes"],
    }
    fields.update(extra)
    return services.create_goal(enrollment=cast.enrollment, by=cast.client, **fields)
