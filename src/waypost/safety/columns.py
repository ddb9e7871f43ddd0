"""The risk column on the caseload: open alerts need attention first, overdue ones say so."""

from __future__ import annotations

from collections.abc import Sequence
from datetime import timedelta
from typing import TYPE_CHECKING

from django.db.models import Count, Min
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy, ngettext

from waypost.core.columns import Cell, Column, register
from waypost.safety.models import RiskAlert

if TYPE_CHECKING:
    from waypost.program.models import Enrollment


def open_alerts(enrollments: Sequence[Enrollment]) -> dict[int, Cell]:
    """ "2 open" per client with open alerts, "· overdue" when the oldest is past the
    clinic's limit (``Clinic.alert_overdue_hours``). One query for every row."""
    rows = (
        RiskAlert.objects.filter(
            enrollment_id__in=[e.pk for e in enrollments], status=RiskAlert.Status.OPEN
        )
        .values_list("enrollment_id", "enrollment__clinic__alert_overdue_hours")
        .annotate(n=Count("id"), oldest=Min("created_at"))
        .values_list("enrollment_id", "enrollment__clinic__alert_overdue_hours", "n", "oldest")
    )
    now = timezone.now()
    cells = {}
    for enrollment_id, hours, n, oldest in rows:
        text = ngettext("%(n)d open", "%(n)d open", n) % {"n": n}
        if now - oldest > timedelta(hours=hours):
            text = _("%(open)s · overdue") % {"open": text}
        cells[enrollment_id] = Cell(text=text, url=reverse("safety:inbox"), attention=True)
    return cells


def register_all() -> None:
    register(Column("safety.alerts", gettext_lazy("Risk alerts"), open_alerts, order=10))
