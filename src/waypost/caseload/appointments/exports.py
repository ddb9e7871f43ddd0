"""Appointments in "download my data": every session booked with the client, cancelled too."""

from __future__ import annotations

from typing import TYPE_CHECKING, Any

from django.utils.translation import gettext_lazy as _

from waypost.caseload.appointments.models import Appointment
from waypost.core import exports

if TYPE_CHECKING:
    from waypost.accounts.models import User


def appointments(user: User) -> dict[str, Any]:
    rows = (
        Appointment.objects.filter(enrollment__client=user)
        .select_related("booking")
        .order_by("starts_at", "pk")
    )
    return {
        "appointments": [
            {
                "starts_at": a.starts_at,
                "ends_at": a.ends_at,
                "where": a.booking.online_url or a.booking.place,
                "status": a.get_status_display(),
                "status_key": a.status,
                "cancelled_at": a.cancelled_at,
                "cancel_reason": a.cancel_reason,
            }
            for a in rows
        ]
    }


SECTION = exports.Section(
    key="appointments",
    title=_("Appointments"),
    order=86,
    collect=appointments,
    machine_only=frozenset({"status_key"}),
    description=_("The sessions booked with your clinician, including cancelled ones."),
    labels={
        "appointments": _("Appointments"),
        "starts_at": _("Starts"),
        "ends_at": _("Ends"),
        "where": _("Where"),
        "status": _("Status"),
        "cancelled_at": _("Cancelled on"),
        "cancel_reason": _("Reason"),
    },
)


def register() -> None:
    exports.register(SECTION)
