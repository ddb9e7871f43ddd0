"""The worker's part: fetch again the feeds whose clinics asked for it (huey, checked hourly),
and remind clients an hour before the favourite meetings they asked about (every five
minutes; see ``reminders``, which registers the ``meetings.reminder`` kind).

A source is due when it refreshes automatically, has a web address and its
``next_refresh_at`` has passed (or was never set). The worker claims it by moving
``next_refresh_at`` forward with a conditional update, so two workers never fetch the
same feed at once; the import then sets the next time (12 hours on, or 2 after a failure).

One source never stops the others: an import that raises is logged (which source, the
kind of error and where, never the feed's content), kept on the source as a failed
import, and the worker goes on to the next source.
"""

from __future__ import annotations

import logging
import traceback
from datetime import datetime

from django.db.models import Q
from django.utils import timezone
from huey import crontab
from huey.contrib.djhuey import db_periodic_task

from waypost.connect.meetings import reminders
from waypost.connect.meetings.imports import RETRY_AFTER, import_feed, keep_failure
from waypost.connect.meetings.models import MeetingSource

logger = logging.getLogger(__name__)


def refresh_due(now: datetime | None = None) -> dict[str, int]:
    """Import every due source once. Returns how many were read and how many could not be."""
    now = now or timezone.now()
    done = {"read": 0, "failed": 0}
    due = (
        MeetingSource.objects.filter(refresh=True)
        .exclude(url="")
        .filter(Q(next_refresh_at__isnull=True) | Q(next_refresh_at__lte=now))
        .select_related("clinic")
    )
    for source in due:
        claimed = MeetingSource.objects.filter(
            pk=source.pk, next_refresh_at=source.next_refresh_at
        ).update(next_refresh_at=now + RETRY_AFTER)
        if claimed != 1:
            continue  # another worker has it
        try:
            report = import_feed(source=source, now=now)
        except Exception as exc:  # one source must not stop the rest
            _log_failure(source, exc)
            try:
                keep_failure(source=source, now=now)
            except Exception as again:  # the database itself may be what failed
                _log_failure(source, again)
            done["failed"] += 1
            continue
        done["read" if report.read else "failed"] += 1
    return done


def _log_failure(source: MeetingSource, exc: Exception) -> None:
    # The message of an exception may quote the feed; the place it was raised does not.
    frames = traceback.extract_tb(exc.__traceback__)
    where = f"{frames[-1].filename}:{frames[-1].lineno}" if frames else "?"
    logger.error(
        "meeting source %s of clinic %s could not be imported: %s at %s",
        source.pk,
        source.clinic_id,
        type(exc).__name__,
        where,
    )


@db_periodic_task(crontab(minute="23"))  # type: ignore[untyped-decorator]  # huey is untyped
def refresh_meeting_feeds() -> dict[str, int]:
    return refresh_due()


# Every five minutes: the reminder comes 55 to 60 minutes before the start (an hourly
# reminder needs a finer sweep than the day-before ones, which run every 15).
@db_periodic_task(crontab(minute="*/5"))  # type: ignore[untyped-decorator]  # huey is untyped
def remind_favourite_meetings() -> dict[str, int]:
    return reminders.send_reminders()
