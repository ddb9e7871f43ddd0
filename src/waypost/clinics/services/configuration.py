"""A clinic's own settings: time zone and policies, crisis lines, stage gate criteria."""

from __future__ import annotations

from collections.abc import Mapping
from typing import Any

from django.core.exceptions import ValidationError
from django.db import transaction
from django.db.models import Max
from django.utils.translation import gettext as _

from waypost.access.policy import Action, require
from waypost.accounts.models import User
from waypost.clinics.models import (
    MAX_ALERT_OVERDUE_HOURS,
    Clinic,
    CrisisLine,
    validate_time_zone,
)
from waypost.clinics.services.common import MAX_GATE_PARAMETER, ClinicError
from waypost.program import gates

# --- settings ---------------------------------------------------------------------


def update_clinic_settings(
    *,
    clinic: Clinic,
    by: User,
    name: str,
    time_zone: str,
    default_language: str,
    contact_email: str,
    contact_phone: str,
    address: str,
    about: str,
    require_two_factor: bool,
    alert_overdue_hours: int | None = None,
) -> Clinic:
    """Save the clinic's own settings. Only its admins may.

    ``alert_overdue_hours`` (1 to two weeks; None keeps it): how long a risk alert may
    stay open before it is marked overdue.
    """
    require(by, Action.MANAGE_CLINIC, clinic)
    name = name.strip()
    if not name:
        raise ClinicError(_("Please give the clinic a name."))
    try:
        validate_time_zone(time_zone)
    except ValidationError:
        raise ClinicError(_("Please choose a time zone from the list.")) from None
    if alert_overdue_hours is not None:
        if not 1 <= alert_overdue_hours <= MAX_ALERT_OVERDUE_HOURS:
            raise ClinicError(
                _("Please give a number of hours from 1 to %(max)d.")
                % {"max": MAX_ALERT_OVERDUE_HOURS}
            )
        clinic.alert_overdue_hours = alert_overdue_hours
    clinic.name = name
    clinic.time_zone = time_zone
    clinic.default_language = default_language
    clinic.contact_email = contact_email.strip()
    clinic.contact_phone = contact_phone.strip()
    clinic.address = address.strip()
    clinic.about = about.strip()
    clinic.require_two_factor = require_two_factor
    with transaction.atomic():
        clinic.save(
            update_fields=[
                "name",
                "time_zone",
                "default_language",
                "contact_email",
                "contact_phone",
                "address",
                "about",
                "require_two_factor",
                "alert_overdue_hours",
            ]
        )
    return clinic


# --- crisis lines -----------------------------------------------------------------

CRISIS_LINE_FIELDS = ("name", "phone", "text", "url", "hours", "description")


def _clean_line_fields(fields: dict[str, str]) -> dict[str, str]:
    cleaned = {key: (fields.get(key) or "").strip() for key in CRISIS_LINE_FIELDS}
    if not cleaned["name"]:
        raise ClinicError(_("Please give the line a name."))
    if not (cleaned["phone"] or cleaned["text"] or cleaned["url"]):
        raise ClinicError(_("Please add a phone number, a text or chat option, or a website."))
    return cleaned


def add_crisis_line(
    *,
    clinic: Clinic,
    by: User,
    name: str,
    phone: str = "",
    text: str = "",
    url: str = "",
    hours: str = "",
    description: str = "",
) -> CrisisLine:
    """Add a crisis line at the end of the clinic's list; clients see it on "Get help now"."""
    require(by, Action.MANAGE_CLINIC, clinic)
    fields = _clean_line_fields(
        {
            "name": name,
            "phone": phone,
            "text": text,
            "url": url,
            "hours": hours,
            "description": description,
        }
    )
    with transaction.atomic():
        last = clinic.crisis_lines.aggregate(last=Max("position"))["last"]
        return CrisisLine.objects.create(
            clinic=clinic, position=0 if last is None else last + 1, **fields
        )


def update_crisis_line(
    *,
    line: CrisisLine,
    by: User,
    name: str,
    phone: str = "",
    text: str = "",
    url: str = "",
    hours: str = "",
    description: str = "",
) -> CrisisLine:
    """Change a crisis line's details; its place in the list stays."""
    require(by, Action.MANAGE_CLINIC, line.clinic)
    fields = _clean_line_fields(
        {
            "name": name,
            "phone": phone,
            "text": text,
            "url": url,
            "hours": hours,
            "description": description,
        }
    )
    for key, value in fields.items():
        setattr(line, key, value)
    with transaction.atomic():
        line.save(update_fields=list(fields))
    return line


def _renumber(clinic: Clinic, ordered: list[CrisisLine]) -> None:
    for position, line in enumerate(ordered):
        if line.position != position:
            CrisisLine.objects.filter(pk=line.pk, clinic=clinic).update(position=position)
            line.position = position


def delete_crisis_line(*, line: CrisisLine, by: User) -> None:
    """Remove a crisis line and close the gap in the order."""
    clinic = line.clinic
    require(by, Action.MANAGE_CLINIC, clinic)
    with transaction.atomic():
        line.delete()
        _renumber(clinic, list(clinic.crisis_lines.all()))


def move_crisis_line(*, line: CrisisLine, by: User, direction: str) -> None:
    """Move a crisis line one place ``"up"`` or ``"down"``; at either end nothing changes."""
    clinic = line.clinic
    require(by, Action.MANAGE_CLINIC, clinic)
    if direction not in ("up", "down"):
        raise ClinicError(_("Please choose whether to move the line up or down."))
    with transaction.atomic():
        ordered = list(clinic.crisis_lines.select_for_update())
        index = next(i for i, item in enumerate(ordered) if item.pk == line.pk)
        target = index - 1 if direction == "up" else index + 1
        if 0 <= target < len(ordered):
            ordered[index], ordered[target] = ordered[target], ordered[index]
        _renumber(clinic, ordered)


# --- stage gate criteria ----------------------------------------------------------


def update_gate_settings(
    *, clinic: Clinic, by: User, choices: Mapping[str, Mapping[str, object]]
) -> Clinic:
    """Switch gate criteria on or off and set their parameters.

    ``choices`` maps a criterion key to ``{"enabled": bool, <param>: int, …}``.
    Every registered criterion missing from ``choices`` keeps its current
    setting; entries for criteria no longer registered are kept untouched, so
    switching an app off and on again loses nothing. Parameters must be whole
    numbers from 0 to 10,000.
    """
    require(by, Action.MANAGE_CLINIC, clinic)
    known = {criterion.key: criterion for criterion in gates.all_criteria()}
    unknown = set(choices) - set(known)
    if unknown:
        raise ClinicError(_("Some of these criteria no longer exist. Please reload the page."))
    with transaction.atomic():
        current = Clinic.objects.select_for_update().get(pk=clinic.pk)
        stored = {stage: dict(entries) for stage, entries in (current.gate_settings or {}).items()}
        for key, choice in choices.items():
            criterion = known[key]
            entry: dict[str, Any] = {"enabled": bool(choice.get("enabled", False))}
            for param in criterion.defaults:
                value = choice.get(param, criterion.defaults[param])
                if isinstance(value, bool) or not isinstance(value, int):
                    raise ClinicError(_("Please use whole numbers for the settings."))
                if not 0 <= value <= MAX_GATE_PARAMETER:
                    raise ClinicError(
                        _("Please use whole numbers from 0 to %(max)d.")
                        % {"max": MAX_GATE_PARAMETER}
                    )
                entry[param] = value
            stored.setdefault(str(criterion.stage), {})[key] = entry
        current.gate_settings = stored
        current.save(update_fields=["gate_settings"])
    clinic.gate_settings = stored
    return clinic
