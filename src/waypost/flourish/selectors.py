"""Reads of Stage 4: goals with their progress, the maintenance plan, graduation.

Today reads its part through ``core.facts`` (``today.py``), the record card through
:func:`record_summary` (one query) and :func:`goal_rows` (one query).
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date, datetime
from typing import Any

from django.db.models import (
    Case,
    CharField,
    Count,
    Exists,
    IntegerField,
    OuterRef,
    Q,
    QuerySet,
    Subquery,
    When,
)
from django.db.models.functions import Coalesce
from django.http import Http404

from waypost.flourish import domains, maintenance_content
from waypost.flourish.models import (
    Goal,
    GoalStep,
    Graduation,
    MaintenanceAgreement,
    MaintenancePlan,
    Rhythm,
)
from waypost.program.models import Enrollment, Stage

# Active goals first, then reached, then resting.
_STATUS_ORDER: dict[str, int] = {
    Goal.Status.ACTIVE: 0,
    Goal.Status.REACHED: 1,
    Goal.Status.RESTING: 2,
}


@dataclass(frozen=True)
class Progress:
    """A goal's steps done out of all, and its review, for a card or list."""

    done: int
    total: int
    review_on: date | None
    review_due: bool

    @property
    def percent(self) -> int:
        return round(100 * self.done / self.total) if self.total else 0


def progress(goal: Goal, today: date, *, done: int, total: int) -> Progress:
    due = goal.status == Goal.Status.ACTIVE and goal.review_on is not None
    return Progress(
        done=done,
        total=total,
        review_on=goal.review_on,
        review_due=due and goal.review_on is not None and goal.review_on <= today,
    )


def step_counts() -> dict[str, Any]:
    """Annotations: ``steps_done`` and ``steps_total`` of each goal, as subqueries."""

    def count(extra: Q) -> Coalesce:
        return Coalesce(
            Subquery(
                GoalStep.objects.filter(Q(goal=OuterRef("pk")) & extra)
                .order_by()
                .values("goal")
                .annotate(n=Count("id"))
                .values("n"),
                output_field=IntegerField(),
            ),
            0,
        )

    return {"steps_done": count(Q(done_at__isnull=False)), "steps_total": count(Q())}


def goal_rows(enrollment: Enrollment) -> list[Goal]:
    """The client's goals with ``steps_done``/``steps_total`` and ``domain_info``: one query."""
    goals = list(Goal.objects.filter(enrollment=enrollment).annotate(**step_counts()))
    for goal in goals:
        goal.domain_info = domains.get(goal.domain)  # type: ignore[attr-defined]
    return sorted(goals, key=lambda g: (_STATUS_ORDER.get(g.status, 9), g.created_at, g.pk))


def goals_with_steps(enrollment: Enrollment) -> list[Goal]:
    """Every goal with its steps (two queries), active first."""
    goals = list(Goal.objects.filter(enrollment=enrollment).prefetch_related("steps"))
    for goal in goals:
        goal.domain_info = domains.get(goal.domain)  # type: ignore[attr-defined]
    return sorted(goals, key=lambda g: (_STATUS_ORDER.get(g.status, 9), g.created_at, g.pk))


def goal_of(enrollment: Enrollment, goal_id: int) -> Goal:
    """One of the client's goals with its steps and notes; 404 for anyone else's."""
    goal = (
        Goal.objects.filter(enrollment=enrollment, pk=goal_id)
        .select_related("enrollment")
        .prefetch_related("steps")
        .first()
    )
    if goal is None:
        raise Http404
    goal.domain_info = domains.get(goal.domain)  # type: ignore[attr-defined]
    return goal


def notes_of(goal: Goal) -> QuerySet[Any]:
    return goal.notes.select_related("written_by").order_by("-created_at", "-id")


def step_of(goal: Goal, step_id: int) -> GoalStep:
    step = GoalStep.objects.filter(goal=goal, pk=step_id).select_related("goal").first()
    if step is None:
        raise Http404
    step.goal = goal
    return step


@dataclass(frozen=True)
class Maintenance:
    """The newest maintenance plan, its words, and whether the clinician agreed it."""

    plan: MaintenancePlan
    content: dict[str, list[str]]
    agreed_at: datetime | None

    @property
    def rhythm_label(self) -> str:
        return str(Rhythm(self.plan.rhythm).label)


def maintenance_of(enrollment: Enrollment) -> Maintenance | None:
    """The newest version of the maintenance plan with its agreement, in one query."""
    plan = (
        MaintenancePlan.objects.filter(enrollment=enrollment)
        .select_related("saved_by")
        .annotate(
            agreed_at=Subquery(
                MaintenanceAgreement.objects.filter(
                    enrollment=OuterRef("enrollment"), version=OuterRef("version")
                ).values("agreed_at")[:1]
            )
        )
        .order_by("-version")
        .first()
    )
    if plan is None:
        return None
    return Maintenance(
        plan=plan,
        content=maintenance_content.loads(plan.content),
        agreed_at=getattr(plan, "agreed_at", None),
    )


def graduation_of(enrollment: Enrollment) -> Graduation | None:
    return Graduation.objects.filter(enrollment=enrollment).first()


def check_in_rhythm(enrollment: Enrollment) -> str | None:
    """The check-in rhythm of the newest maintenance plan (a ``Rhythm`` value), or None.

    For reminders: None means no maintenance plan, so the usual daily rhythm stands.
    Today reads the same through the fact ``flourish.rhythm`` (``today.py``).
    """
    return (
        MaintenancePlan.objects.filter(enrollment=enrollment)
        .order_by("-version")
        .values_list("rhythm", flat=True)
        .first()
    )


def rhythm_expression() -> Subquery:
    """The newest plan's rhythm for the enrollment at ``OuterRef("pk")`` (for facts, lists)."""
    return Subquery(
        MaintenancePlan.objects.filter(enrollment=OuterRef("pk"))
        .order_by("-version")
        .values("rhythm")[:1]
    )


def rhythm_in_stage_expression() -> Case:
    """``rhythm_expression`` while the client is in Stage 4, else NULL (as the provider
    ``check_in_rhythm`` registers answers, for lists)."""
    return Case(
        When(stage__gte=Stage.FLOURISHING, then=rhythm_expression()),
        default=None,
        output_field=CharField(),
    )


@dataclass(frozen=True)
class RecordSummary:
    rhythm: str | None
    plan_version: int | None
    plan_agreed: bool
    graduated_at: datetime | None
    stepped_back_at: datetime | None

    @property
    def is_alumni(self) -> bool:
        return self.graduated_at is not None and self.stepped_back_at is None

    @property
    def rhythm_label(self) -> str:
        return str(Rhythm(self.rhythm).label) if self.rhythm else ""


def record_summary(enrollment: Enrollment) -> RecordSummary:
    """The maintenance plan's rhythm and agreement and the graduation, in one query."""
    newest = MaintenancePlan.objects.filter(enrollment=OuterRef("pk")).order_by("-version")
    graduation = Graduation.objects.filter(enrollment=OuterRef("pk"))
    row = (
        Enrollment.objects.filter(pk=enrollment.pk)
        .annotate(
            m_rhythm=Subquery(newest.values("rhythm")[:1]),
            m_version=Subquery(newest.values("version")[:1]),
            m_agreed=Exists(
                MaintenanceAgreement.objects.filter(
                    enrollment=OuterRef("pk"),
                    # the newest version of this enrollment's plan: one level further out
                    version=Subquery(
                        MaintenancePlan.objects.filter(enrollment=OuterRef(OuterRef("pk")))
                        .order_by("-version")
                        .values("version")[:1]
                    ),
                )
            ),
            g_at=Subquery(graduation.values("graduated_at")[:1]),
            g_back=Subquery(graduation.values("stepped_back_at")[:1]),
        )
        .values("m_rhythm", "m_version", "m_agreed", "g_at", "g_back")
        .get()
    )
    return RecordSummary(
        rhythm=row["m_rhythm"],
        plan_version=row["m_version"],
        plan_agreed=bool(row["m_agreed"]),
        graduated_at=row["g_at"],
        stepped_back_at=row["g_back"],
    )
