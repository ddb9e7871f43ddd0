"""Reading appointments: the client's next and past ones, a caseload's next, Today's fact."""

from __future__ import annotations

from collections.abc import Sequence
from datetime import datetime, timedelta
from typing import TYPE_CHECKING, NamedTuple

from django.db.models import F, OuterRef, Q, Subquery

from waypost.caseload.appointments.models import MAX_MINUTES, Appointment
from waypost.core import facts
from waypost.program.models import Enrollment

if TYPE_CHECKING:
    from django.db.models import QuerySet

#: A session still shows as "next" until it has ended.
NEXT_FACT = "appointments.next"


def _ahead(now: datetime) -> dict[str, object]:
    # (started at most the longest session ago: the (enrollment, status, starts_at) index
    # then skips a client's past sessions rather than reading each to test its end)
    return {
        "status": Appointment.Status.PLANNED,
        "ends_at__gt": now,
        "starts_at__gt": now - timedelta(minutes=MAX_MINUTES),
    }


def upcoming(enrollment: Enrollment, now: datetime, limit: int | None = None) -> list[Appointment]:
    """Planned sessions not yet over, soonest first (cancelled ones are not "upcoming")."""
    rows = (
        Appointment.objects.filter(enrollment=enrollment, **_ahead(now))
        .select_related("booking")
        .order_by("starts_at", "pk")
    )
    return list(rows[:limit] if limit is not None else rows)


def recent(enrollment: Enrollment, now: datetime, limit: int = 5) -> list[Appointment]:
    """Sessions that are over, and cancelled ones whose time has come or is ahead, latest first.

    A cancelled session ahead shows here too, so the record keeps every cancellation in view.
    """
    rows = (
        Appointment.objects.filter(enrollment=enrollment)
        .exclude(status=Appointment.Status.PLANNED, ends_at__gt=now)
        .select_related("booking")
        .order_by("-starts_at", "-pk")
    )
    return list(rows[:limit])


class Next(NamedTuple):
    """A client's next session, as the caseload shows it."""

    starts_at: datetime
    mode: str


def next_by_enrollment(enrollments: Sequence[Enrollment], now: datetime) -> dict[int, Next]:
    """Each enrollment's next session, in one query however many enrollments there are."""
    ids = [e.pk for e in enrollments]
    if not ids:
        return {}
    first = Appointment.objects.filter(enrollment_id=OuterRef("pk"), **_ahead(now)).order_by(
        "starts_at", "pk"
    )
    # Lookups through the (enrollment, status, starts_at) index for each enrollment, rather
    # than a read of every planned session of every listed client; two values, no model.
    rows = (
        Enrollment.objects.filter(pk__in=ids)
        .annotate(
            starts_at=Subquery(first.values("starts_at")[:1]),
            mode=Subquery(first.values("booking__mode")[:1]),
        )
        .order_by()
        .values_list("pk", "starts_at", "mode")
    )
    # (a filter on starts_at would repeat its subquery: the clients without one are skipped)
    return {
        enrollment_id: Next(starts_at, mode)
        for enrollment_id, starts_at, mode in rows
        if starts_at is not None
    }


def for_calendar(user_id: int, *, since: datetime) -> QuerySet[Appointment]:
    """Appointments for the calendar of ``user_id``: as the client, or as the primary clinician."""
    return (
        Appointment.objects.filter(
            Q(enrollment__client_id=user_id) | Q(enrollment__primary_clinician__user_id=user_id),
            enrollment__status=Enrollment.Status.ACTIVE,
            starts_at__gte=since,
        )
        .select_related("booking", "enrollment__client")
        .order_by("starts_at", "pk")
    )


# --- Today's facts: read in the one query of every app's facts -------------------------------


def _next_fact(enrollment: Enrollment, now: datetime) -> facts.Rows:
    return facts.Rows(
        Appointment.objects.filter(enrollment=OuterRef("pk"), **_ahead(now)).order_by(
            "starts_at", "pk"
        ),
        ["id", "enrollment_id", "starts_at", "ends_at", "planned_session_id"],
        extra={"mode": F("booking__mode"), "place": F("booking__place")},
        limit=1,
    )


def register_facts() -> None:
    facts.register(NEXT_FACT, _next_fact)
