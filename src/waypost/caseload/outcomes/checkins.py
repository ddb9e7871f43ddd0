"""Check-in adherence: the days clients checked in, out of the days they were asked to.

Clients check in from Stage 2 on. Each day a client spent in Stage 2, 3 or 4 within the
period asks for one check-in, with two exceptions: under a maintenance plan (Stage 4)
the agreed rhythm asks for fewer (three days a week, or one), and an alumnus is no
longer asked. Today is left out, since it is not over. A client's check-ins in a stage
count up to the days that stage asked of them, so checking in more often than a lighter
rhythm asks never makes up for someone else's missing days.

Which stage a check-in day fell in comes from the stage changes, day by day in the
clinic's calendar (the day of a change belongs to the new stage), the same way in the
database (for the check-ins) as in Python (for the days asked).
"""

from __future__ import annotations

from collections import defaultdict
from dataclasses import dataclass, field
from datetime import timedelta
from typing import TYPE_CHECKING

from django.db.models import Count, F, OuterRef, Q, Subquery
from django.utils import timezone

from waypost.caseload.outcomes import stats
from waypost.caseload.outcomes.stages import graduation_of
from waypost.flourish.models import MaintenancePlan
from waypost.program.models import StageChange
from waypost.recovery.models import CheckIn

if TYPE_CHECKING:
    from datetime import date

    from waypost.caseload.outcomes.scope import Scope
    from waypost.program.models import Enrollment

CHECK_IN_STAGES = (2, 3, 4)


@dataclass
class Adherence:
    """Days asked and days checked in, for one stage (or for Stages 2–4 together)."""

    stage: int | None  # None: every stage from 2 on
    expected: float = 0.0
    checked: float = 0.0
    clients: set[int] = field(default_factory=set)

    @property
    def percent(self) -> float | None:
        return stats.ratio_percent(self.checked, self.expected)


def _days_asked(
    scope: Scope, enrollments: list[Enrollment], stays: list[stats.Stay], last: date
) -> dict[tuple[int, int], float]:
    """Check-in days asked of each enrollment in each stage from 2 on, in the period."""
    rhythms: dict[int, list[tuple[date, str]]] = defaultdict(list)
    plans = (
        MaintenancePlan.objects.filter(enrollment__in=scope.enrollments())
        .order_by("enrollment_id", "created_at", "version")
        .values_list("enrollment_id", "created_at", "rhythm")
    )
    for enrollment_id, created_at, rhythm in plans:
        rhythms[enrollment_id].append((scope.local_date(created_at), rhythm))
    away: dict[int, list[stats.DayRange]] = {}
    for enrollment in enrollments:
        graduation = graduation_of(enrollment)
        if graduation is not None:
            graduated, back = graduation
            until = scope.local_date(back) - timedelta(days=1) if back else scope.today
            away[enrollment.pk] = [stats.DayRange(scope.local_date(graduated), until)]
    by_enrollment: dict[int, list[stats.Stay]] = defaultdict(list)
    for stay in stays:
        by_enrollment[stay.enrollment_id].append(stay)
    asked: dict[tuple[int, int], float] = defaultdict(float)
    for enrollment_id, own in by_enrollment.items():
        for stage, days in stats.stage_days(own, scope.local_date, scope.today):
            if stage not in CHECK_IN_STAGES:
                continue
            days = days.clip(scope.period.start, last)
            asked[(enrollment_id, stage)] += stats.expected_check_ins(
                days, rhythms=rhythms.get(enrollment_id, ()), away=away.get(enrollment_id, ())
            )
    return asked


def _days_checked_in(scope: Scope, last: date) -> dict[tuple[int, int], int]:
    """Check-in days per enrollment and the stage each fell in (one query, counted there)."""
    stage_then = (
        StageChange.objects.filter(
            enrollment_id=OuterRef("enrollment_id"), created_at__date__lte=OuterRef("local_date")
        )
        .order_by("-created_at", "-id")
        .values("to_stage")[:1]
    )
    rows = CheckIn.objects.filter(enrollment__in=scope.enrollments(), local_date__lte=last)
    if scope.period.start is not None:
        rows = rows.filter(local_date__gte=scope.period.start)
    # An alumnus's days ask for nothing, so their check-ins then count for nothing either.
    rows = rows.filter(
        Q(enrollment__graduation__isnull=True)
        | Q(enrollment__graduation__graduated_at__date__gt=F("local_date"))
        | Q(enrollment__graduation__stepped_back_at__date__lte=F("local_date"))
    )
    counted = (
        rows.annotate(stage_then=Subquery(stage_then))
        .filter(stage_then__in=CHECK_IN_STAGES)
        .order_by()
        .values("enrollment_id", "stage_then")
        .annotate(days=Count("id"))
    )
    # ``__date`` turns a moment into a day in the current time zone: the clinic's here.
    with timezone.override(scope.zone):
        return {(row["enrollment_id"], row["stage_then"]): row["days"] for row in counted}


def adherence(
    scope: Scope, enrollments: list[Enrollment], stays: list[stats.Stay]
) -> tuple[list[Adherence], Adherence]:
    """Per stage from 2 on, and for them all: the check-in days asked and kept."""
    last = min(scope.period.end, scope.today - timedelta(days=1))
    rows = {stage: Adherence(stage) for stage in CHECK_IN_STAGES}
    total = Adherence(None)
    if scope.period.start is not None and last < scope.period.start:
        return list(rows.values()), total
    checked = _days_checked_in(scope, last)
    for (enrollment_id, stage), expected in _days_asked(scope, enrollments, stays, last).items():
        if expected <= 0:
            continue
        kept = min(checked.get((enrollment_id, stage), 0), expected)
        for row in (rows[stage], total):
            row.expected += expected
            row.checked += kept
            row.clients.add(enrollment_id)
    return list(rows.values()), total
