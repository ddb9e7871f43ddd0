"""Check-ins in "download my data": every day the client checked in, with their note."""

from __future__ import annotations

from typing import TYPE_CHECKING, Any

from django.utils.translation import gettext_lazy as _

from waypost.core import exports
from waypost.recovery.models import CheckIn

if TYPE_CHECKING:
    from waypost.accounts.models import User


def check_ins(user: User) -> dict[str, Any]:
    rows = CheckIn.objects.filter(enrollment__client=user).order_by("local_date", "pk")
    return {
        "check_ins": [
            {
                "day": row.local_date,
                "kept_inner_circle": row.sober,
                "mood": row.mood,
                "urge": row.urge,
                "sleep_hours": None if row.sleep_hours is None else float(row.sleep_hours),
                "mindfulness_minutes": row.mindfulness_minutes,
                "note": row.note,
                "created_at": row.created_at,
                "updated_at": row.updated_at,
            }
            for row in rows
        ]
    }


SECTION = exports.Section(
    key="check_ins",
    title=_("Daily check-ins"),
    order=75,
    collect=check_ins,
    description=_("Each day you checked in: your answers and your note."),
    labels={
        "check_ins": _("Your check-ins"),
        "day": _("Day"),
        "kept_inner_circle": _("Kept your inner circle"),
        "mood": _("Mood (1 to 5)"),
        "urge": _("Strongest urge (0 to 10)"),
        "sleep_hours": _("Hours of sleep"),
        "mindfulness_minutes": _("Minutes of mindfulness"),
        "note": _("Your note"),
        "created_at": _("First kept"),
        "updated_at": _("Last changed"),
    },
)


def register() -> None:
    exports.register(SECTION)
