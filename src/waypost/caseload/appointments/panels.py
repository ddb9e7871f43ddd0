"""Appointments on other apps' pages; each function checks access itself and never writes.

- ``core.coming_up``: the client's next appointment on Today, from the facts read once
  per request (no query of its own; the assessments session planned for it is marked
  ``shown_elsewhere``, so Today lists it once);
- ``client_record_side``: the clinician's card of the next and last sessions (two queries);
- ``core.columns``: "Next appointment" on the caseload (one query for every row).
"""

from __future__ import annotations

from collections.abc import Sequence
from typing import TYPE_CHECKING, Any

from django.urls import reverse
from django.utils import formats, timezone
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from waypost.access.policy import Action, can
from waypost.caseload.appointments import selectors
from waypost.core import columns, coming_up, facts

if TYPE_CHECKING:
    from django.http import HttpRequest

    from waypost.program.models import Enrollment

STYLESHEET = "appointments/appointments.css"


def next_appointment(request: HttpRequest, enrollment: Enrollment) -> list[coming_up.ComingUp]:
    """The client's next appointment, for Today."""
    if not can(request.user, Action.VIEW_OWN, enrollment):
        return []
    found = facts.facts_for(request, enrollment)[selectors.NEXT_FACT]
    if not found:
        return []
    appointment = found[0]
    title = (
        _("Appointment with your clinician (online)")
        if appointment.mode == "online"
        else _("Appointment with your clinician")
    )
    return [
        coming_up.ComingUp(
            key=f"appointments.{appointment.pk}",
            starts_at=appointment.starts_at,
            title=title,
            url=reverse("appointments:mine"),
        )
    ]


def record_card(request: HttpRequest, enrollment: Enrollment) -> dict[str, Any] | None:
    """The next sessions and the last ones (cancellations included), for the primary clinician.

    Two queries. The record page itself audits the clinician's view of the record.
    """
    if not can(request.user, Action.VIEW_RECORD, enrollment):
        return None
    now = timezone.now()
    return {
        "upcoming": selectors.upcoming(enrollment, now, limit=3),
        "recent": selectors.recent(enrollment, now, limit=3),
        "may_book": can(request.user, Action.BOOK_APPOINTMENT, enrollment),
    }


def _cells(enrollments: Sequence[Enrollment]) -> dict[int, columns.Cell]:
    found = selectors.next_by_enrollment(enrollments, timezone.now())
    page = columns.links("appointments:for_client")
    online = _("online")
    cells = {}
    for enrollment_id, appointment in found.items():
        local = timezone.localtime(appointment.starts_at)
        cells[enrollment_id] = columns.Cell(
            text=formats.date_format(local, "D j M, H:i"),
            url=page(enrollment_id),
            detail=online if appointment.mode == "online" else "",
            sort=appointment.starts_at,
        )
    return cells


# Sorted, the soonest first; no appointment is nothing to attend to.
NEXT_COLUMN = columns.Column(
    key="appointments.next",
    header=gettext_lazy("Next appointment"),
    cells=_cells,
    order=90,
    sorts=True,
    descending=False,
    weight=0,
)
