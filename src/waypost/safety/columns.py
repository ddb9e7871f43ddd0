"""The risk column on the caseload: open alerts need attention first, overdue ones say so."""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass
from datetime import datetime, timedelta
from typing import TYPE_CHECKING

from django.db.models import Count, Min
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy, ngettext

from waypost.core import columns
from waypost.core.columns import Cell, Column, register
from waypost.safety.models import RiskAlert

if TYPE_CHECKING:
    from django.db.models import QuerySet

    from waypost.program.models import Enrollment

# Risk comes first in "needs attention first": more than every other column together.
WEIGHT = 32


@dataclass(frozen=True)
class OpenAlerts:
    n: int
    oldest: datetime
    overdue_hours: int  # the clinic's limit (``Clinic.alert_overdue_hours``)


def open_alerts_by_enrollment(enrollments: Sequence[Enrollment]) -> dict[int, OpenAlerts]:
    """How many alerts each listed client has open, and since when: one query for all.

    Loaded once per caseload page (``columns.shared``): the scores column needs it too.
    """

    def load() -> dict[int, OpenAlerts]:
        rows = (
            RiskAlert.objects.filter(
                enrollment_id__in=[e.pk for e in enrollments], status=RiskAlert.Status.OPEN
            )
            .order_by()
            .values_list("enrollment_id", "enrollment__clinic__alert_overdue_hours")
            .annotate(n=Count("id"), oldest=Min("created_at"))
            .values_list("enrollment_id", "enrollment__clinic__alert_overdue_hours", "n", "oldest")
        )
        return {pk: OpenAlerts(n, oldest, hours) for pk, hours, n, oldest in rows}

    return columns.shared("safety.open_alerts", enrollments, load)


def open_alerts(enrollments: Sequence[Enrollment]) -> dict[int, Cell]:
    """ "2 open" per client with open alerts, "· overdue" when the oldest is past the
    clinic's limit (``Clinic.alert_overdue_hours``). One query for every row.

    Sorts overdue first, then by how many are open."""
    now = timezone.now()
    inbox = reverse("safety:inbox")
    cells = {}
    for enrollment_id, found in open_alerts_by_enrollment(enrollments).items():
        text = ngettext("%(n)d open", "%(n)d open", found.n) % {"n": found.n}
        overdue = now - found.oldest > timedelta(hours=found.overdue_hours)
        if overdue:
            text = _("%(open)s · overdue") % {"open": text}
        cells[enrollment_id] = Cell(
            text=text, url=inbox, attention=True, sort=(int(overdue), found.n)
        )
    return cells


def alerted(listed: QuerySet[Enrollment]) -> QuerySet[RiskAlert, int]:
    """The listed clients with an alert open (``Column.attention``): one query."""
    return (
        RiskAlert.objects.filter(enrollment__in=listed, status=RiskAlert.Status.OPEN)
        .order_by()
        .values_list("enrollment_id", flat=True)
        .distinct()
    )


def register_all() -> None:
    register(
        Column(
            "safety.alerts",
            gettext_lazy("Risk alerts"),
            open_alerts,
            order=10,
            sorts=True,
            weight=WEIGHT,
            attention=alerted,
        )
    )
