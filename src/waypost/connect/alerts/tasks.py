"""Background work: send an alert due at once, and every 15 minutes whatever else is due."""

from __future__ import annotations

from huey import crontab
from huey.contrib.djhuey import db_periodic_task, db_task

from waypost.connect.alerts import delivery


@db_task()  # type: ignore[untyped-decorator]  # huey is untyped
def send_alert(alert_id: int) -> dict[str, int]:
    """One alert due at once (a request for support; an ally who chose "straight away").

    No retries here: a failed send puts the alert back to waiting, and the digest run
    within 15 minutes sends it.
    """
    return delivery.deliver(alert_id=alert_id).as_dict()


@db_periodic_task(crontab(minute="*/15"))  # type: ignore[untyped-decorator]  # huey is untyped
def send_due_alerts() -> dict[str, int]:
    """The digests whose time has come, and what quiet hours or a failure held back."""
    return delivery.send_due().as_dict()
