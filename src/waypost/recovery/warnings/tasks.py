"""The hourly evaluation of the early-warning rules (huey)."""

from __future__ import annotations

from huey import crontab
from huey.contrib.djhuey import db_periodic_task

from waypost.recovery.warnings import risk, services


def evaluate_all() -> dict[str, int]:
    """Evaluate every rule for every active client; what was raised, updated, resolved.

    Long silences (no check-in for a week in Stage 2 or 3) go to the risk inbox in the
    same run (``risk.raise_missed_check_in_alerts``).
    """
    result = services.evaluate()
    return {
        "missed_check_in_alerts": risk.raise_missed_check_in_alerts(),
        "clients": result.clients,
        "raised": len(result.raised),
        "updated": result.updated,
        "resolved": result.resolved,
    }


@db_periodic_task(crontab(minute="23"))  # type: ignore[untyped-decorator]  # huey is untyped
def early_warnings_every_hour() -> dict[str, int]:
    return evaluate_all()
