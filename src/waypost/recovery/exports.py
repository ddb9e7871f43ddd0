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


def _plans_and_lapses(user: User) -> dict[str, Any]:
    from waypost.recovery.plan_selectors import export_plans_and_lapses

    return export_plans_and_lapses(user)


def _plan_labels() -> dict[str, Any]:
    from waypost.recovery.plan_selectors import EXPORT_LABELS

    return EXPORT_LABELS


def _urges(user: User) -> dict[str, Any]:
    from waypost.recovery.urge_selectors import export_urges

    return export_urges(user)


def _middle(user: User) -> dict[str, Any]:
    from waypost.recovery.middle_selectors import export_moments

    return export_moments(user)


def _devices(user: User) -> dict[str, Any]:
    from waypost.recovery.device_selectors import export_devices

    return export_devices(user)


# The urge log and the device plan (urge_selectors.py, device_selectors.py).
URGES = exports.Section(
    key="urges",
    title=_("Your urge log"),
    order=77,
    collect=_urges,
    description=_("Each urge you logged: how strong, what set it off, what you did, how it ended."),
    labels={
        "urges": _("Your urges"),
        "occurred_at": _("When it happened"),
        "day": _("Day"),
        "hour": _("Hour"),
        "intensity": _("How strong (0 to 10)"),
        "trigger": _("What set it off"),
        "hungry": _("Hungry"),
        "angry": _("Angry"),
        "lonely": _("Lonely"),
        "tired": _("Tired"),
        "feeling": _("Feeling"),
        "place": _("Where"),
        "instead": _("What you did instead"),
        "outcome": _("How it ended"),
        "note": _("Your note"),
    },
)
# The middle-circle log (middle_selectors.py): beside the urge log (same order, by key).
MIDDLE = exports.Section(
    key="middle_circle",
    title=_("Your middle-circle log"),
    order=77,
    collect=_middle,
    description=_(
        "Each moment on slippery ground you noted: what it was, when, and your note. "
        "Moments you deleted are gone."
    ),
    labels={
        "moments": _("Your moments"),
        "occurred_at": _("When it was"),
        "day": _("Day"),
        "hour": _("Hour"),
        "items": _("What you ticked"),
        "other": _("Something else"),
        "note": _("Your note"),
        "plan_version": _("Recovery plan version"),
    },
)
DEVICES = exports.Section(
    key="devices",
    title=_("Your device plan"),
    order=78,
    collect=_devices,
    description=_("Your devices and each step of their plan: done when, or not needed."),
    labels={
        "devices": _("Your devices"),
        "kind": _("Kind"),
        "retired_at": _("Taken off the plan"),
        "steps": _("Steps"),
        "step": _("Step"),
        "done_on": _("Done on"),
        "not_needed": _("Not needed"),
    },
)


def register() -> None:
    exports.register(SECTION)
    exports.register(URGES)
    exports.register(MIDDLE)
    exports.register(DEVICES)
    # The recovery plan, the relapse-prevention plan and the lapse log (plan_selectors.py).
    exports.register(
        exports.Section(
            key="recovery_plans",
            title=_("Your plans and looking back"),
            order=76,
            collect=_plans_and_lapses,
            description=_(
                "Every version of your recovery plan and relapse-prevention plan, and each "
                "lapse you logged with what you wrote looking back at it."
            ),
            labels=_plan_labels(),
        )
    )
