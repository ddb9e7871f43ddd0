"""Reads of the notifications app, for pages and the header (never writing).

The unread count is in the header of every page, so it must be cheap:

- on a client's Today it costs nothing: it is one of Today's facts (``core.facts``),
  read in the one query every app's facts share;
- elsewhere it is one ``COUNT`` on an index of the person's unread rows
  (``notification_unread``), once per request.

The count says how many, never what: the header shows no title, body or kind.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime, time
from typing import TYPE_CHECKING, Any

from django.db.models import Count, IntegerField, OuterRef, Q, Subquery
from django.db.models.functions import Coalesce

from waypost.core import facts
from waypost.notifications.models import Notification, Preference

if TYPE_CHECKING:
    from django.http import HttpRequest

    from waypost.accounts.models import User
    from waypost.program.models import Enrollment

UNREAD_FACT = "notifications.unread"
#: The page lists every unread notification up to this many, then the newest read ones.
UNREAD_SHOWN = 100
READ_SHOWN = 30
_CACHE = "_waypost_notifications_unread"


def unread(user: User) -> Any:
    return Notification.objects.filter(user=user, shown=True, read_at__isnull=True)


def unread_count(user: User) -> int:
    return int(unread(user).count())


def _unread_fact(enrollment: Enrollment, now: datetime) -> Coalesce:
    """The client's unread count, on the enrollment's row (``OuterRef("client_id")``)."""
    counted = (
        Notification.objects.filter(user_id=OuterRef("client_id"), shown=True, read_at__isnull=True)
        .order_by()
        .values("user_id")
        .annotate(n=Count("pk"))
        .values("n")[:1]
    )
    return Coalesce(Subquery(counted, output_field=IntegerField()), 0)


def register_facts() -> None:
    facts.register(UNREAD_FACT, _unread_fact)


def _facts_already_read(request: HttpRequest, enrollment: Enrollment) -> facts.Facts | None:
    """Today's facts if this request has read them already (``facts.facts_for``), else None."""
    cached: dict[int, facts.Facts] = getattr(request, facts._CACHE, None) or {}
    return cached.get(enrollment.pk)


def unread_count_for(request: HttpRequest) -> int:
    """The signed-in person's unread count, once per request; free where facts were read."""
    cached = getattr(request, _CACHE, None)
    if cached is not None:
        return int(cached)
    user = getattr(request, "user", None)
    if user is None or not user.is_authenticated:
        return 0
    from waypost.access.policy import roles_of

    enrollment = roles_of(user).enrollment
    known = _facts_already_read(request, enrollment) if enrollment is not None else None
    if known is not None and UNREAD_FACT in known.values:
        count = int(known[UNREAD_FACT] or 0)
    else:
        count = unread_count(user)
    setattr(request, _CACHE, count)
    return count


@dataclass(frozen=True)
class Listing:
    """The Notifications page: unread first (newest first), then the newest read ones."""

    unread: list[Notification]
    read: list[Notification]
    more_unread: bool


def listing(user: User) -> Listing:
    """What the person's Notifications page shows, in two queries."""
    waiting = list(unread(user).order_by("-created_at", "-pk")[: UNREAD_SHOWN + 1])
    done = list(
        Notification.objects.filter(user=user, shown=True, read_at__isnull=False).order_by(
            "-created_at", "-pk"
        )[:READ_SHOWN]
    )
    return Listing(
        unread=waiting[:UNREAD_SHOWN], read=done, more_unread=len(waiting) > UNREAD_SHOWN
    )


# --- for senders -----------------------------------------------------------------------


def chosen_times(kind: str) -> dict[int, tuple[time, datetime]]:
    """Who chose a time of day for the timed ``kind`` (and left some channel on).

    ``{user id: (the local time, when they chose that time)}``: when the time itself last
    changed, not when another choice was saved.
    """
    rows = (
        Preference.objects.filter(kind=kind, at_time__isnull=False)
        .filter(Q(in_app=True) | Q(email=True) | Q(push=True))
        .annotate(chosen_at=Coalesce("time_chosen_at", "updated_at"))
    )
    return {
        user_id: (at, chosen_at)
        for user_id, at, chosen_at in rows.values_list("user_id", "at_time", "chosen_at")
        if at is not None
    }


def sent_keys(wanted: list[tuple[int, str]]) -> set[tuple[int, str]]:
    """Which of the (person, key) pairs were notified already: for a sender's sweep.

    One query, on the unique index of person and key.
    """
    if not wanted:
        return set()
    rows = Notification.objects.filter(
        user_id__in={user_id for user_id, _key in wanted},
        dedupe_key__in={key for _user_id, key in wanted},
    ).values_list("user_id", "dedupe_key")
    return set(rows) & set(wanted)
