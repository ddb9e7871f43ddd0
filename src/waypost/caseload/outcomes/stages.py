"""Where the clients are now, and how long they stay in each stage.

- **Clients in each stage now**: active enrollments by stage; in Stage 4, how many of
  them have graduated (alumni stay in Stage 4 with their tools).
- **Time in stage**: from the program's stage changes. A stay runs from the change into
  a stage to the next change (forward, or a step back). For each stage: the median length
  of the stays that *ended* in the period, and the median so far of the stays going on
  now (the clients in that stage today, whatever the period).
"""

from __future__ import annotations

from dataclasses import dataclass, field
from datetime import datetime
from typing import TYPE_CHECKING

from waypost.caseload.outcomes import stats
from waypost.flourish.models import Graduation
from waypost.program.models import Enrollment, Stage, StageChange

if TYPE_CHECKING:
    from waypost.caseload.outcomes.scope import Scope


def enrollments_counted(scope: Scope) -> list[Enrollment]:
    """The scope's enrollments with what the figures need of them, in one query.

    Only ids, stage, status and graduation: never the client's name.
    """
    return list(
        scope.enrollments()
        .select_related("graduation")
        .only(
            "id",
            "client_id",
            "clinic_id",
            "primary_clinician_id",
            "stage",
            "status",
            "graduation__graduated_at",
            "graduation__stepped_back_at",
        )
        .order_by("pk")
    )


def graduation_of(enrollment: Enrollment) -> tuple[datetime, datetime | None] | None:
    """``(graduated_at, stepped_back_at)`` of the enrollment's graduation, or None.

    Read from the row :func:`enrollments_counted` joined, so no query.
    """
    try:
        graduation: Graduation = enrollment.graduation
    except Graduation.DoesNotExist:  # never graduated
        return None
    return graduation.graduated_at, graduation.stepped_back_at


def is_alumnus(enrollment: Enrollment) -> bool:
    found = graduation_of(enrollment)
    return found is not None and found[1] is None


@dataclass(frozen=True)
class StageCount:
    stage: int
    clients: int
    alumni: int = 0

    @property
    def label(self) -> str:
        return str(Stage(self.stage).label)


def stages_now(enrollments: list[Enrollment]) -> list[StageCount]:
    """How many active clients are in each stage, and in Stage 4 how many are alumni."""
    counts = dict.fromkeys(Stage.values, 0)
    alumni = 0
    for enrollment in enrollments:
        if enrollment.status != Enrollment.Status.ACTIVE:
            continue
        counts[enrollment.stage] += 1
        if enrollment.stage == Stage.FLOURISHING and is_alumnus(enrollment):
            alumni += 1
    return [
        StageCount(stage, counts[stage], alumni if stage == Stage.FLOURISHING else 0)
        for stage in Stage.values
    ]


def all_stays(scope: Scope, enrollments: list[Enrollment]) -> list[stats.Stay]:
    """Every stay of the scope's clients, from the stage changes (one query)."""
    changes = (
        StageChange.objects.filter(enrollment__in=scope.enrollments())
        .order_by("enrollment_id", "created_at", "id")
        .values_list("enrollment_id", "created_at", "to_stage")
    )
    active = {e.pk for e in enrollments if e.status == Enrollment.Status.ACTIVE}
    return stats.stays(changes, ongoing=active)


@dataclass
class StageTime:
    """One stage's stays: those that ended in the period, and those going on now."""

    stage: int
    ended: list[float] = field(default_factory=list)  # days
    ended_clients: set[int] = field(default_factory=set)
    current: list[float] = field(default_factory=list)  # days so far

    @property
    def label(self) -> str:
        return str(Stage(self.stage).label)

    @property
    def ended_median(self) -> float | None:
        return stats.median(self.ended)

    @property
    def current_median(self) -> float | None:
        return stats.median(self.current)


def time_in_stage(scope: Scope, stays: list[stats.Stay]) -> list[StageTime]:
    """Per stage, the lengths of the stays that ended in the period and of those going on."""
    out = {stage: StageTime(stage) for stage in Stage.values}
    for stay in stays:
        row = out[stay.stage]
        if stay.end is None:
            row.current.append(stay.days(scope.now))
        elif (scope.start is None or stay.end >= scope.start) and stay.end < scope.end:
            row.ended.append(stay.days(scope.now))
            row.ended_clients.add(stay.enrollment_id)
    return list(out.values())
