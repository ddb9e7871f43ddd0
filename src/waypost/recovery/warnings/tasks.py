"""The hourly evaluation of the early-warning rules (huey)."""

from __future__ import annotations

from huey import crontab
from huey.contrib.djhuey import db_periodic_task

from waypost.recovery.warnings import services


def evaluate_all() -> dict[str, int]:
    """Evaluate every rule for every active client; what was raised, updated, resolved."""
    result = services.evaluate()
    return {
        "clients": result.clients,
        "raised": len(result.raised),
        "updated": result.updated,
        "resolved": result.resolved,
    }


@db_periodic_task(crontab(minute="23"))  # type: ignore[untyped-decorator]  # huey is untyped
def early_warnings_every_hour() -> dict[str, int]:
    return evaluate_all()
