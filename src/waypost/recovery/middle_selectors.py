"""Reads of the middle-circle log: what the form offers, the recent moments, the record card.

Never writing (the writes are ``middle_services``). A moment deleted by the client (a
tombstone, ``deleted_at`` set) is left out of every read here; only the early-warning
rule's day counts and the services' replay check ever see the row at all, and the rule
leaves it out too.
"""

from __future__ import annotations

from collections.abc import Iterable
from dataclasses import dataclass, field
from datetime import date, timedelta
from typing import TYPE_CHECKING, Any

from django.db.models import QuerySet

from waypost.core.documents import latest_version
from waypost.recovery import patterns, plan_content, selectors
from waypost.recovery.models import MiddleCircleMoment, RecoveryPlan

if TYPE_CHECKING:
    from django.contrib.auth.models import _User as User

    from waypost.program.models import Enrollment

#: How many of the client's moments their log page lists.
RECENT_LIMIT = 20
#: The clinician's card covers the last 30 days (as the urge card does) and lists the newest.
RECORD_DAYS = 30
RECORD_LIST = 5


@dataclass(frozen=True)
class PlanItems:
    """The middle circle the form offers: the newest plan's version and its items."""

    version: int | None  # None: no recovery plan yet
    items: list[str]

    @property
    def has_plan(self) -> bool:
        return self.version is not None


def plan_items(enrollment: Enrollment) -> PlanItems:
    """The middle circle of the client's newest recovery plan (one query; empty without one)."""
    plan = latest_version(RecoveryPlan, enrollment)
    if plan is None:
        return PlanItems(None, [])
    return PlanItems(plan.version, plan_content.loads(plan.content)["middle"])


def kept(enrollment: Enrollment) -> QuerySet[MiddleCircleMoment]:
    """The client's moments that were not taken back, newest first."""
    return MiddleCircleMoment.objects.filter(
        enrollment=enrollment, deleted_at__isnull=True
    ).order_by("-occurred_at", "-pk")


@dataclass(frozen=True)
class MomentView:
    """One moment as a page shows it: what was ticked, split into its items."""

    moment: MiddleCircleMoment
    items: tuple[str, ...]

    @property
    def things(self) -> list[str]:
        """What it was: the items ticked, then "something else" in the client's words."""
        return [*self.items, *([self.moment.other] if self.moment.other else [])]


def _view(moment: MiddleCircleMoment) -> MomentView:
    return MomentView(moment, patterns.split_items(moment.items))


def recent(enrollment: Enrollment, *, limit: int = RECENT_LIMIT) -> list[MomentView]:
    """The client's newest moments (one query)."""
    return [_view(m) for m in kept(enrollment)[:limit]]


def own_moment(enrollment: Enrollment, pk: int) -> MiddleCircleMoment | None:
    """One of the client's own moments not yet taken back, or None (someone else's: None)."""
    return kept(enrollment).filter(pk=pk).first()


# --- the clinician's record card ---------------------------------------------------------------


@dataclass(frozen=True)
class RecordNumbers:
    """The last ``RECORD_DAYS`` of the log: how many, on how many days, what most often."""

    since: date
    moments: int
    days: int
    things: list[patterns.Count]  # each item (or "something else" words), most often first
    latest: list[MomentView] = field(default_factory=list)


def record_numbers(enrollment: Enrollment, today: date) -> RecordNumbers:
    """Counts, what was ticked most often, and the newest few; one query."""
    since = today - timedelta(days=RECORD_DAYS - 1)
    views = [_view(m) for m in kept(enrollment).filter(local_date__gte=since).defer("note")]
    return RecordNumbers(
        since=since,
        moments=len(views),
        days=len({v.moment.local_date for v in views}),
        things=patterns.tally(thing for v in views for thing in v.things),
        latest=views[:RECORD_LIST],
    )


# --- the early-warning rule ----------------------------------------------------------------------


def moments_by_day(enrollment_ids: Iterable[int], since: date) -> dict[int, dict[date, int]]:
    """How many moments each client noted on each local day from ``since``; one query."""
    counts: dict[int, dict[date, int]] = {}
    for enrollment_id, day in (
        MiddleCircleMoment.objects.filter(
            enrollment_id__in=list(enrollment_ids), local_date__gte=since, deleted_at__isnull=True
        )
        .order_by()
        .values_list("enrollment_id", "local_date")
    ):
        per_day = counts.setdefault(enrollment_id, {})
        per_day[day] = per_day.get(day, 0) + 1
    return counts


# --- after saving: what might help now ---------------------------------------------------------


def if_then_plans(enrollment: Enrollment) -> list[Any]:
    """The if–then plans of the client's relapse-prevention plan (none without one)."""
    plan = selectors.prevention_plan(enrollment)
    return list(plan.get("if_then", [])) if plan else []


# --- "download my data" -----------------------------------------------------------------------


def export_moments(user: User) -> dict[str, Any]:
    """Every moment the client noted and kept, with all they wrote, oldest first."""
    rows = MiddleCircleMoment.objects.filter(
        enrollment__client=user, deleted_at__isnull=True
    ).order_by("occurred_at", "pk")
    return {
        "moments": [
            {
                "occurred_at": m.occurred_at,
                "day": m.local_date,
                "hour": m.local_hour,
                "items": list(patterns.split_items(m.items)),
                "other": m.other,
                "note": m.note,
                "plan_version": m.plan_version,
                "created_at": m.created_at,
            }
            for m in rows
        ]
    }
