"""When an ally's alert is due, given the rhythm they chose (pure: no Django).

- ``immediate``: as soon as it is raised (outside the ally's quiet hours).
- ``daily``: in the digest at :data:`DIGEST_TIME` in the ally's time zone, the first
  one after the alert was raised: an update at 09:00 goes at 18:00 that day, one at
  18:30 at 18:00 the next.
- ``weekly``: in the digest on :data:`WEEKLY_DAY` at :data:`DIGEST_TIME`, the first
  one after it was raised.

The evening was chosen because that is when most people have time for a calm
conversation; the digest task runs every 15 minutes, so a digest leaves within a
quarter of an hour of its time (later when the ally's quiet hours hold it back).
"""

from __future__ import annotations

from datetime import UTC, datetime, time, timedelta, tzinfo

IMMEDIATE = "immediate"
DAILY = "daily"
WEEKLY = "weekly"
RHYTHMS = (IMMEDIATE, DAILY, WEEKLY)

#: The local time digests go out.
DIGEST_TIME = time(18, 0)
#: The day of the weekly digest (Monday is 0): Sunday.
WEEKLY_DAY = 6


def due_at(rhythm: str, raised_at: datetime, zone: tzinfo) -> datetime:
    """When an alert raised at ``raised_at`` (aware) is due, in UTC, for ``rhythm``.

    An unknown rhythm raises ``ValueError``.
    """
    if raised_at.tzinfo is None:
        raise ValueError("raised_at must be an aware datetime")
    if rhythm == IMMEDIATE:
        return raised_at.astimezone(UTC)
    local = raised_at.astimezone(zone)
    if rhythm == DAILY:
        ahead = 0
        step = 1
    elif rhythm == WEEKLY:
        ahead = (WEEKLY_DAY - local.weekday()) % 7
        step = 7
    else:
        raise ValueError(f"unknown rhythm {rhythm!r}")
    day = local.date() + timedelta(days=ahead)
    digest = datetime.combine(day, DIGEST_TIME, tzinfo=zone)
    # Compared in UTC: a wall-clock comparison would be wrong across a DST change.
    if digest.astimezone(UTC) <= raised_at.astimezone(UTC):
        digest = datetime.combine(day + timedelta(days=step), DIGEST_TIME, tzinfo=zone)
    return digest.astimezone(UTC)


def is_due(rhythm: str, raised_at: datetime, zone: tzinfo, now: datetime) -> bool:
    """Has the alert's time come by ``now``?"""
    return due_at(rhythm, raised_at, zone) <= now
