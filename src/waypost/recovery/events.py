"""What check-ins write on a client's timeline.

Only that a day was checked in, and which day: the answers and the note stay in the
check-in itself (``CheckIn``), so the timeline sentence never carries them.
"""

from __future__ import annotations

from collections.abc import Mapping
from datetime import date
from typing import Any

from django.utils import formats
from django.utils.translation import gettext_lazy as _
from django.utils.translation import ngettext

from waypost.core import events
from waypost.core.events import EventKind

CHECKED_IN = "recovery.checked_in"

# The recovery plan, the relapse-prevention plan and the lapse log (services/plans.py,
# services/lapses.py). A lapse's day is on the timeline; what happened stays in its chain.
RECOVERY_PLAN_SAVED = "recovery.plan_saved"
PREVENTION_PLAN_SAVED = "recovery.prevention_plan_saved"
RECOVERY_PLAN_AGREED = "recovery.plan_agreed"
PREVENTION_PLAN_REVIEWED = "recovery.prevention_plan_reviewed"
LAPSE_LOGGED = "recovery.lapse_logged"
LEARNING_ADDED = "recovery.learning_added"
# The urge log and the device plan (services/urges.py, services/devices.py). Discreet: an
# urge is "a hard moment" on the timeline, with its day only; a device is named privately.
URGE_LOGGED = "recovery.urge_logged"
DEVICE_CHANGED = "recovery.device_changed"
DEVICE_STEP = "recovery.device_step"
# The middle-circle log (middle_services.py): the day and how many things were ticked;
# what they were stays in the log (the clinician reads it on the record card).
MIDDLE_NOTED = "recovery.middle_noted"
MIDDLE_DELETED = "recovery.middle_deleted"
# Filtered with urges and lapses (caseload's timeline categories).
URGES_AND_LAPSES_CATEGORY = "urges_lapses"
# audit-trail subjects
RECOVERY_PLAN = "recovery plan"
RECOVERY_PLAN_VERSION = "recovery plan version"
PREVENTION_PLAN = "relapse-prevention plan"
PREVENTION_PLAN_VERSION = "relapse-prevention plan version"
LAPSES = "lapses"
PLANS_AND_LAPSES = "recovery plans and lapses"


def _plan_kinds() -> tuple[EventKind, ...]:
    from waypost.core import documents

    return (
        documents.version_event(
            key=RECOVERY_PLAN_SAVED,
            label=_("Recovery plan saved"),
            first=_("Recovery plan written"),
            later=_("Recovery plan updated (version %(n)d)"),
            audit=RECOVERY_PLAN,
        ),
        documents.version_event(
            key=PREVENTION_PLAN_SAVED,
            label=_("Relapse-prevention plan saved"),
            first=_("Relapse-prevention plan written"),
            later=_("Relapse-prevention plan updated (version %(n)d)"),
            audit=PREVENTION_PLAN,
        ),
        EventKind(
            RECOVERY_PLAN_AGREED,
            label=_("Recovery plan agreed"),
            text=_("Recovery plan agreed with the clinician (version %(version)s)"),
            audit=RECOVERY_PLAN,
        ),
        EventKind(
            PREVENTION_PLAN_REVIEWED,
            label=_("Relapse-prevention plan reviewed"),
            text=_("Relapse-prevention plan reviewed with the clinician (version %(version)s)"),
            audit=PREVENTION_PLAN,
        ),
        EventKind(
            LAPSE_LOGGED, label=_("Lapse logged"), text=_("Lapse logged for %(day)s"), params=_day
        ),
        EventKind(
            LEARNING_ADDED,
            label=_("Learning added to the plan"),
            text=_(
                "A learning from a lapse added to the relapse-prevention plan (version %(version)s)"
            ),
        ),
    )


def _urge_text(data: Mapping[str, Any]) -> Any:
    if data.get("updated"):
        return _("Changed a hard moment noted for %(day)s")
    return _("Noted a hard moment on %(day)s")


def _device_text(data: Mapping[str, Any]) -> Any:
    if data.get("retired"):
        return _("Took “%(device)s” off the device plan")
    return _("Added “%(device)s” to the device plan")


def _step_text(data: Mapping[str, Any]) -> Any:
    return {
        "done": _("Device plan: “%(step)s” done on “%(device)s”"),
        "not_needed": _("Device plan: “%(step)s” not needed on “%(device)s”"),
    }.get(data.get("state", ""), _("Device plan: “%(step)s” open again on “%(device)s”"))


def _step_params(data: Mapping[str, Any]) -> dict[str, Any]:
    from waypost.recovery.models import DeviceStep

    return {"step": DeviceStep.Step(data["step"]).label}


def _middle_text(data: Mapping[str, Any]) -> Any:
    if not data.get("n"):
        return _("Noted a middle-circle moment on %(day)s")
    # Chosen when the timeline is read, in the reader's language.
    return ngettext(
        "Noted a middle-circle moment on %(day)s (%(n)d item)",
        "Noted a middle-circle moment on %(day)s (%(n)d items)",
        int(data["n"]),
    )


def _log_kinds() -> tuple[EventKind, ...]:
    return (
        EventKind(URGE_LOGGED, label=_("Hard moment noted"), text=_urge_text, params=_day),
        EventKind(
            MIDDLE_NOTED,
            label=_("Middle-circle moment noted"),
            text=_middle_text,
            params=_day,
            category=URGES_AND_LAPSES_CATEGORY,
        ),
        EventKind(
            MIDDLE_DELETED,
            label=_("Middle-circle moment taken back"),
            text=_("Took back a middle-circle moment noted for %(day)s"),
            params=_day,
            category=URGES_AND_LAPSES_CATEGORY,
        ),
        EventKind(DEVICE_CHANGED, label=_("Device plan"), text=_device_text, private=("device",)),
        EventKind(
            DEVICE_STEP,
            label=_("Device plan step"),
            text=_step_text,
            params=_step_params,
            private=("device",),
        ),
    )


def _day(data: Mapping[str, Any]) -> dict[str, Any]:
    return {"day": formats.date_format(date.fromisoformat(data["day"]), "j M Y")}


def _text(data: Mapping[str, Any]) -> Any:
    return _("Check-in for %(day)s changed") if data.get("updated") else _("Checked in for %(day)s")


def register_all() -> None:
    events.register(
        EventKind(CHECKED_IN, label=_("Daily check-in"), text=_text, params=_day),
    )
    for kind in _plan_kinds():
        events.register(kind)
    for kind in _log_kinds():
        events.register(kind)
