"""Building a client's recent days for the early-warning tests."""

from __future__ import annotations

import uuid
from datetime import UTC, date, datetime, timedelta
from decimal import Decimal

from waypost.program.models import Enrollment
from waypost.recovery.models import CheckIn, Urge

# 12:00 in Singapore (the cast's clinic): the client's today is 20 March 2025.
NOW = datetime(2025, 3, 20, 4, 0, tzinfo=UTC)
TODAY = date(2025, 3, 20)


def counting_since(enrollment: Enrollment, days: int = 60) -> None:
    """Stage 2 began ``days`` ago, so every recent day counts."""
    Enrollment.objects.filter(pk=enrollment.pk).update(stage_entered_at=NOW - timedelta(days=days))
    enrollment.refresh_from_db()


def check_in(
    enrollment: Enrollment,
    days_ago: int,
    *,
    mood: int = 4,
    urge: int = 2,
    sleep: float | None = 7.5,
) -> CheckIn:
    return CheckIn.objects.create(
        enrollment=enrollment,
        local_date=TODAY - timedelta(days=days_ago),
        client_uuid=uuid.uuid4(),
        sober=True,
        mood=mood,
        urge=urge,
        sleep_hours=Decimal(str(sleep)) if sleep is not None else None,
        created_at=NOW,
        updated_at=NOW,
    )


def urge(enrollment: Enrollment, days_ago: int, intensity: int) -> Urge:
    day = TODAY - timedelta(days=days_ago)
    return Urge.objects.create(
        enrollment=enrollment,
        client_uuid=uuid.uuid4(),
        occurred_at=NOW - timedelta(days=days_ago),
        local_date=day,
        local_hour=12,
        intensity=intensity,
        created_at=NOW,
        updated_at=NOW,
    )


def steady_weeks(enrollment: Enrollment, *, days: int = 14, **answers: object) -> None:
    """A check-in on each of the last ``days`` days (today included), all alike."""
    for n in range(days):
        check_in(enrollment, n, **answers)  # type: ignore[arg-type]
