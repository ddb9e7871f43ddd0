"""Building clients with a history at the cast's clinic, for the outcomes tests.

Everything goes through the product's services where they take a time (joining, stage
changes, questionnaires, alerts, plans); check-ins older than the check-in's edit
window are stored directly, as the demo stores them.
"""

from __future__ import annotations

import itertools
import uuid
from datetime import UTC, date, datetime, timedelta

from tests.cast import make_user
from waypost.assessments.demo_data import answers_for
from waypost.assessments.models import Administration
from waypost.assessments.services import record_completed
from waypost.program.services import change_stage, enroll_client
from waypost.recovery.models import CheckIn
from waypost.safety.services import acknowledge, raise_alert

# Noon on Monday 2 March 2026 in Singapore, the cast's clinic's zone.
NOW = datetime(2026, 3, 2, 4, 0, tzinfo=UTC)
TODAY = date(2026, 3, 2)
_numbers = itertools.count(1)


def days_ago(n: float, now: datetime = NOW) -> datetime:
    return now - timedelta(days=n)


def a_client(cast, *, profile=None, joined: float = 200, stages: tuple = (), now=NOW):
    """A new client of the cast's clinic, joined ``joined`` days before ``now``, then moved on.

    ``stages`` lists ``(days ago, stage)`` in order; each is one step from the last.
    Their primary clinician is ``profile`` (default: the cast's clinician).
    """
    profile = profile or cast.clinician_profile
    n = next(_numbers)
    client = make_user(f"outcomes-{n}@north.test", f"Zed Outcome{n}")
    enrollment = enroll_client(
        client=client, clinician_profile=profile, by=profile.user, at=days_ago(joined, now)
    )
    for when, stage in stages:
        change_stage(
            enrollment=enrollment,
            to_stage=stage,
            reason="Ready for the next step.",
            by=profile.user,
            at=days_ago(when, now),
        )
    enrollment.refresh_from_db()
    return enrollment


def check_ins(enrollment, days: list[date]) -> None:
    """Check-ins on these days (stored directly: the service keeps only the last few days)."""
    CheckIn.objects.bulk_create(
        [
            CheckIn(
                enrollment=enrollment,
                local_date=day,
                client_uuid=uuid.uuid4(),
                sober=True,
                mood=3,
                urge=2,
                created_at=NOW,
                updated_at=NOW,
            )
            for day in days
        ]
    )


def phq9(enrollment, *scores: tuple[float, int], now: datetime = NOW) -> None:
    """Completed PHQ-9 forms: ``(days ago, total)`` each; never a critical answer."""
    for when, total in scores:
        record_completed(
            enrollment=enrollment,
            instrument_id="phq-9",
            answers=answers_for("phq-9", total, keep_zero=("phq9-9",)),
            at=days_ago(when, now),
            notify=False,
        )


def expired(enrollment, instrument_id: str, closed_days_ago: float) -> Administration:
    """A form whose window closed unanswered ``closed_days_ago`` days ago."""
    closes = days_ago(closed_days_ago)
    return Administration.objects.create(
        enrollment=enrollment,
        instrument_id=instrument_id,
        status=Administration.Status.EXPIRED,
        opens_at=closes - timedelta(days=7),
        closes_at=closes,
    )


def an_alert(enrollment, *, raised: float, acknowledged_after: timedelta | None = None, now=NOW):
    """A risk alert raised ``raised`` days ago, acknowledged so long after (or still open)."""
    alert = raise_alert(
        enrollment=enrollment,
        kind="critical_item",
        summary="A critical answer.",
        source_label="PHQ-9",
        at=days_ago(raised, now),
        notify=False,
    )
    if acknowledged_after is not None:
        acknowledge(
            alert=alert,
            by=enrollment.primary_clinician.user,
            note="Called them.",
            at=days_ago(raised, now) + acknowledged_after,
        )
    return alert


def outcomes_url(cast, **query) -> str:
    from urllib.parse import urlencode

    from django.urls import reverse

    url = reverse("outcomes:clinic_outcomes", args=[cast.clinic.slug])
    return f"{url}?{urlencode(query)}" if query else url
