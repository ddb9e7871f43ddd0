"""What appointments write on a client's timeline, and what the audit trail calls it.

Events hold the number of sessions and the first start (UTC, ISO); the sentence is made
in the reader's language and zone. A cancellation's or move's reason is free text: it
goes in the event's encrypted ``detail``, never in its data.
"""

from __future__ import annotations

from collections.abc import Mapping
from datetime import datetime
from typing import Any

from django.utils import formats, timezone
from django.utils.translation import gettext_lazy as _

from waypost.core import audit, events
from waypost.core.events import EventKind

BOOKED = "appointments.booked"
MOVED = "appointments.moved"
CANCELLED = "appointments.cancelled"

AUDIT_APPOINTMENT = "appointment"


def _when(data: Mapping[str, Any]) -> dict[str, Any]:
    words = dict(data)
    raw = data.get("starts_at")
    if raw:
        local = timezone.localtime(datetime.fromisoformat(raw))
        words["when"] = formats.date_format(local, "D j M Y, H:i")
    else:
        words["when"] = ""
    words.setdefault("count", 1)
    return words


def _booked_text(data: Mapping[str, Any]) -> Any:
    if int(data.get("count", 1)) > 1:
        return _("Appointments booked: %(count)s sessions from %(when)s")
    return _("Appointment booked for %(when)s")


def _cancelled_text(data: Mapping[str, Any]) -> Any:
    if int(data.get("count", 1)) > 1:
        return _("%(count)s appointments cancelled, from %(when)s")
    return _("Appointment on %(when)s cancelled")


KINDS = (
    EventKind(
        BOOKED,
        label=_("Appointment booked"),
        text=_booked_text,
        params=_when,
        audit=AUDIT_APPOINTMENT,
    ),
    EventKind(
        MOVED,
        label=_("Appointment moved"),
        text=_("Appointment moved to %(when)s"),
        params=_when,
        audit=AUDIT_APPOINTMENT,
    ),
    EventKind(
        CANCELLED,
        label=_("Appointment cancelled"),
        text=_cancelled_text,
        params=_when,
        audit=AUDIT_APPOINTMENT,
    ),
)


def register_all() -> None:
    for kind in KINDS:
        events.register(kind)
    audit.register_subject(AUDIT_APPOINTMENT, _("Appointments"))
