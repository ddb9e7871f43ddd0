"""Helpers for the recovery app's tests."""

from __future__ import annotations

from datetime import date, timedelta
from uuid import uuid4

from waypost.recovery import services
from waypost.recovery.models import CheckIn
from waypost.recovery.selectors import client_today


def today_of(cast) -> date:
    return client_today(cast.enrollment)


def keep(cast, *, days_ago: int = 0, **values) -> CheckIn:
    """The cast's client checks in for a recent day through the service."""
    answers = {"sober": True, "mood": 4, "urge": 2, "sleep_hours": 7, "mindfulness_minutes": 10}
    answers.update(values)
    answers.setdefault("client_uuid", uuid4())
    return services.check_in(
        enrollment=cast.enrollment,
        by=cast.client,
        day=today_of(cast) - timedelta(days=days_ago),
        **answers,
    )


def seed(cast, day: date, *, sober: bool = True) -> CheckIn:
    """A check-in stored directly, for a day older than the edit window."""
    from django.utils import timezone

    now = timezone.now()
    return CheckIn.objects.create(
        enrollment=cast.enrollment,
        local_date=day,
        client_uuid=uuid4(),
        sober=sober,
        mood=3,
        urge=4,
        created_at=now,
        updated_at=now,
    )
