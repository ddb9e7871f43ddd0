"""The risk column on the caseload: open alerts need attention first."""

from __future__ import annotations

from collections.abc import Sequence
from typing import TYPE_CHECKING

from django.db.models import Count
from django.urls import reverse
from django.utils.translation import gettext_lazy as _
from django.utils.translation import ngettext

from waypost.core.columns import Cell, Column, register
from waypost.safety.models import RiskAlert

if TYPE_CHECKING:
    from waypost.program.models import Enrollment


def open_alerts(enrollments: Sequence[Enrollment]) -> dict[int, Cell]:
    counts = dict(
        RiskAlert.objects.filter(
            enrollment_id__in=[e.pk for e in enrollments], status=RiskAlert.Status.OPEN
        )
        .values_list("enrollment_id")
        .annotate(n=Count("id"))
        .values_list("enrollment_id", "n")
    )
    return {
        enrollment_id: Cell(
            text=ngettext("%(n)d open", "%(n)d open", n) % {"n": n},
            url=reverse("safety:inbox"),
            attention=True,
        )
        for enrollment_id, n in counts.items()
    }


def register_all() -> None:
    register(Column("safety.alerts", _("Risk alerts"), open_alerts, order=10))
