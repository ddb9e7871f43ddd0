"""Risk alerts raised in the period, and how soon someone acknowledged them.

Time to acknowledge runs from the moment an alert was raised to the moment a clinician
acknowledged it, for the alerts raised in the period that have been acknowledged
(whenever that was). The median and the 90th percentile say how soon, typically and
at worst but for the slowest tenth; the alerts still open are counted beside them, as
they have no time yet and would otherwise hide.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from datetime import timedelta
from typing import TYPE_CHECKING

from django.utils.translation import gettext_lazy as _

from waypost.caseload.outcomes import stats
from waypost.safety.models import RiskAlert

if TYPE_CHECKING:
    from django_stubs_ext import StrOrPromise

    from waypost.caseload.outcomes.scope import Scope

# How soon, in bands, for the chart: each band up to its limit.
BANDS: tuple[tuple[timedelta | None, StrOrPromise], ...] = (
    (timedelta(hours=1), _("Within an hour")),
    (timedelta(hours=4), _("1 to 4 hours")),
    (timedelta(hours=24), _("4 to 24 hours")),
    (timedelta(days=7), _("1 to 7 days")),
    (None, _("More than 7 days")),
)


@dataclass
class AlertFigures:
    raised: int = 0
    still_open: int = 0
    clients: set[int] = field(default_factory=set)
    waits: list[float] = field(default_factory=list)  # hours, the acknowledged ones
    bands: list[int] = field(default_factory=lambda: [0] * len(BANDS))

    @property
    def acknowledged(self) -> int:
        return len(self.waits)

    @property
    def median_hours(self) -> float | None:
        return stats.median(self.waits)

    @property
    def p90_hours(self) -> float | None:
        return stats.percentile(self.waits, 90)


def alert_figures(scope: Scope) -> AlertFigures:
    """The alerts raised in the period for the scope's clients (one query)."""
    rows = RiskAlert.objects.filter(enrollment__in=scope.enrollments(), created_at__lt=scope.end)
    if scope.start is not None:
        rows = rows.filter(created_at__gte=scope.start)
    out = AlertFigures()
    for enrollment_id, created_at, status, acknowledged_at in rows.order_by().values_list(
        "enrollment_id", "created_at", "status", "acknowledged_at"
    ):
        out.raised += 1
        out.clients.add(enrollment_id)
        if status == RiskAlert.Status.OPEN or acknowledged_at is None:
            out.still_open += 1
            continue
        wait = max(acknowledged_at - created_at, timedelta(0))
        out.waits.append(wait.total_seconds() / 3600)
        for index, (limit, _label) in enumerate(BANDS):
            if limit is None or wait <= limit:
                out.bands[index] += 1
                break
    return out
