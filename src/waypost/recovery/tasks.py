"""Background work of the recovery app: the check-in reminder, every 15 minutes."""

from __future__ import annotations

from huey import crontab
from huey.contrib.djhuey import db_periodic_task

from waypost.recovery import reminders


@db_periodic_task(crontab(minute="*/15"))  # type: ignore[untyped-decorator]  # huey is untyped
def remind_to_check_in() -> dict[str, int]:
    return reminders.send_check_in_reminders()
