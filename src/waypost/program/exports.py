"""The client's program in "download my data": each enrollment and its stage history.

The clinician's reason for a stage change is their note and is left out, as in the
API (``/api/v1/me/enrollment``).
"""

from __future__ import annotations

from typing import TYPE_CHECKING, Any

from django.utils.translation import gettext_lazy as _

from waypost.core import exports
from waypost.program.models import Enrollment, Stage

if TYPE_CHECKING:
    from waypost.accounts.models import User


def _stage_name(number: int | None) -> str:
    return str(Stage(number).label) if number else ""


def program(user: User) -> list[dict[str, Any]]:
    enrollments = (
        Enrollment.objects.filter(client=user)
        .select_related("clinic", "primary_clinician__user")
        .prefetch_related("stage_changes")
        .order_by("created_at", "pk")
    )
    return [
        {
            "clinic": enrollment.clinic.name,
            "clinician": enrollment.primary_clinician.user.name,
            "status": str(Enrollment.Status(enrollment.status).label),
            "joined_at": enrollment.created_at,
            "stage": enrollment.stage,
            "stage_name": _stage_name(enrollment.stage),
            "stage_entered_at": enrollment.stage_entered_at,
            "stage_history": [
                {
                    "at": change.created_at,
                    "from_stage": change.from_stage,
                    "to_stage": change.to_stage,
                    "to_stage_name": _stage_name(change.to_stage),
                }
                # oldest first: the journey as it went
                for change in sorted(
                    enrollment.stage_changes.all(), key=lambda c: (c.created_at, c.pk)
                )
            ],
        }
        for enrollment in enrollments
    ]


SECTION = exports.Section(
    key="program",
    title=_("Your program"),
    order=20,
    collect=program,
    description=_("Your clinic and clinician, your stage, and each move between stages."),
    labels={
        "clinician": _("Clinician"),
        "joined_at": _("Joined"),
        "stage": _("Stage"),
        "stage_name": _("Stage name"),
        "stage_entered_at": _("In this stage since"),
        "stage_history": _("Stage history (oldest first)"),
        "from_stage": _("From stage (empty: joining)"),
        "to_stage": _("To stage"),
        "to_stage_name": _("Stage name"),
    },
)


def register() -> None:
    exports.register(SECTION)
