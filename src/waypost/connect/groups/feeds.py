"""Private calendar feeds: a secret address per person, and what it serves.

A calendar app cannot sign in, so the address itself is the key: a random token, of
which only the SHA-256 hash is stored (as for API tokens). A person has at most one
open address; renewing makes a new one and revokes the old, which answers 410 Gone on
its very next fetch. Each fetch asks every registered ``CalendarSource``
(``waypost.connect.calendars``) for the person's events at that moment, so a withdrawn
consent, a place given up or a favourite removed is gone from the next fetch.

This module also provides group therapy's own source: the sessions of a client's
groups, of the groups a clinician facilitates, and, for an ally, of the client's
groups while the client shares "Group sessions" with them (checked on every fetch).
"""

from __future__ import annotations

import logging
import secrets
from dataclasses import dataclass, replace
from datetime import date, datetime, timedelta
from typing import TYPE_CHECKING
from urllib.parse import urlsplit

from django.conf import settings
from django.db import transaction
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext as _

from waypost.accounts.models import User, hash_token
from waypost.connect import calendars
from waypost.connect.groups import ical, schedule
from waypost.connect.groups.models import CalendarFeed, GroupMember, GroupProgramme
from waypost.connect.groups.selectors import changes_by_programme
from waypost.connect.models import AllyLink
from waypost.core.discretion import discreet
from waypost.program.models import Enrollment

if TYPE_CHECKING:
    from icalendar import Event

    from waypost.core.models import TimelineEvent

log = logging.getLogger(__name__)

TOKEN_PREFIX = "wpc_"  # noqa: S105 - a prefix, not a secret
#: How often a fetch moves "last used" on (one write per fetch would be wasteful).
LAST_USED_EVERY = timedelta(minutes=5)
#: The ally scope that lets an ally's feed carry the client's group sessions.
ALLY_SCOPE = "groups"
CALENDAR_NAME = "Waypost"
#: The years of zone rules written into the feed after today (calendar apps know the rest).
ZONE_YEARS_AHEAD = 3


# --- the address ---------------------------------------------------------------------------


def feed_url(raw: str) -> str:
    return settings.SITE_URL + reverse("group_therapy:feed", args=[raw])


def open_feed(user: User) -> CalendarFeed | None:
    return CalendarFeed.objects.filter(user=user, revoked_at__isnull=True).first()


@transaction.atomic
def renew_feed(*, user: User, at: datetime | None = None) -> tuple[CalendarFeed, str]:
    """A new private address for ``user``; any earlier one stops working at once.

    The raw token is returned once, to be shown once, and never stored.
    """
    at = at or timezone.now()
    # Lock the person's row first (where the database can): a second press sent at the
    # same moment waits here for the first, then revokes the address the first made,
    # instead of adding a second open one (which ``one_open_feed`` would refuse).
    User.objects.select_for_update().filter(pk=user.pk).first()
    CalendarFeed.objects.filter(user=user, revoked_at__isnull=True).update(revoked_at=at)
    raw = TOKEN_PREFIX + secrets.token_urlsafe(32)
    feed = CalendarFeed.objects.create(user=user, token_hash=hash_token(raw), created_at=at)
    return feed, raw


def revoke_feed(*, user: User, at: datetime | None = None) -> bool:
    """Turn the person's address off; returns whether there was one."""
    changed = CalendarFeed.objects.filter(user=user, revoked_at__isnull=True).update(
        revoked_at=at or timezone.now()
    )
    return bool(changed)


@dataclass(frozen=True)
class Lookup:
    """Who a raw token belongs to, or why nobody: unknown (404) or revoked (410)."""

    user: User | None
    gone: bool = False


def find_feed(raw: str, now: datetime | None = None) -> Lookup:
    """The active person behind an open address; ``gone`` for a revoked one.

    The address of a deactivated account is revoked on the way: it stays off if the
    account is switched on again.
    """
    if not raw or not raw.startswith(TOKEN_PREFIX) or len(raw) > 100:
        return Lookup(None)
    feed = CalendarFeed.objects.select_related("user").filter(token_hash=hash_token(raw)).first()
    if feed is None:
        return Lookup(None)
    now = now or timezone.now()
    if feed.revoked_at is None and not feed.user.is_active:
        revoke_feed(user=feed.user, at=now)
        feed.revoked_at = now
    if feed.revoked_at is not None:
        return Lookup(None, gone=True)
    if feed.last_used_at is None or now - feed.last_used_at > LAST_USED_EVERY:
        CalendarFeed.objects.filter(pk=feed.pk).update(last_used_at=now)
    return Lookup(feed.user)


def build(user: User, now: datetime) -> bytes:
    """The person's calendar now: every registered source's events, with their zones."""
    found: list[Event] = []
    for source in calendars.sources():
        try:
            found.extend(source.events(user, now))
        except Exception:  # one faulty source must not take the person's calendar down
            log.exception("calendar source %r failed", source.key)
    starts = [_start_day(event) for event in found]
    first = min((day for day in starts if day is not None), default=now.date())
    cal = ical.calendar(
        found,
        name=CALENDAR_NAME,
        first=min(first, now.date()) - timedelta(days=1),
        last=date(now.year + ZONE_YEARS_AHEAD, 12, 31),
    )
    body: bytes = cal.to_ical()
    return body


def _start_day(event: Event) -> date | None:
    start = event.get("dtstart")
    value = getattr(start, "dt", None)
    if isinstance(value, datetime):
        return value.date()
    return value if isinstance(value, date) else None


# --- group therapy's source --------------------------------------------------------------------


def _uid(programme: GroupProgramme, suffix: str = "") -> str:
    host = urlsplit(settings.SITE_URL).hostname or "waypost"
    return f"group-{programme.pk}{suffix}@{host}"


def _details(programme: GroupProgramme, *, for_ally_of: Enrollment | None) -> ical.Details:
    # New names are checked when a group is defined; one from before shows neutrally.
    name = discreet(programme.name, _("Group session"))
    if for_ally_of is not None:
        # An ally learns when, never where or how to join.
        return ical.Details(
            uid=_uid(programme, f"-for-{for_ally_of.pk}"),
            summary=_("%(group)s (%(name)s)") % {"group": name, "name": for_ally_of.client.name},
        )
    where = programme.room or programme.online_url
    description = ""
    if programme.room and programme.online_url:
        description = _("Online: %(url)s") % {"url": programme.online_url}
    return ical.Details(
        uid=_uid(programme),
        summary=name,
        location=where,
        url=programme.online_url,
        description=description,
    )


def group_events(user: User, now: datetime) -> list[Event]:
    """The group sessions ``user`` may see now, as a client, a facilitator or an ally."""
    own = list(
        GroupProgramme.objects.filter(
            members__enrollment__client=user,
            members__enrollment__status=Enrollment.Status.ACTIVE,
            members__left_at__isnull=True,
        ).distinct()
    )
    facilitated = list(
        GroupProgramme.objects.filter(
            facilitators__user=user, facilitators__is_active=True
        ).distinct()
    )
    # The ally's links are read now, on every fetch: a withdrawn consent counts at once.
    shared = [
        link
        for link in AllyLink.objects.filter(ally=user, ended_at__isnull=True).select_related(
            "enrollment__client"
        )
        if link.allows(ALLY_SCOPE) and link.enrollment.status == Enrollment.Status.ACTIVE
    ]
    for_allies: list[tuple[GroupProgramme, Enrollment]] = []
    if shared:
        by_enrollment = {link.enrollment_id: link.enrollment for link in shared}
        for member in GroupMember.objects.filter(
            enrollment_id__in=list(by_enrollment), left_at__isnull=True
        ).select_related("programme"):
            for_allies.append((member.programme, by_enrollment[member.enrollment_id]))
    mine = {p.pk: p for p in [*own, *facilitated]}
    changes = changes_by_programme([*mine, *(p.pk for p, _e in for_allies)])
    found: list[Event] = []
    for programme in mine.values():
        found += ical.series_events(
            programme.series,
            _details(programme, for_ally_of=None),
            changes.get(programme.pk, []),
            stamp=now,
        )
    for programme, enrollment in for_allies:
        details = _details(programme, for_ally_of=enrollment)
        # An ally sees when a session moved, not the room it moved to.
        found += ical.series_events(
            programme.series,
            details,
            [_without_room(c) for c in changes.get(programme.pk, [])],
            stamp=now,
        )
    return found


def _without_room(change: schedule.Change) -> schedule.Change:
    return replace(change, room="", reason="")


def close_when_sharing_ends(event: TimelineEvent) -> None:
    """A client stopped sharing with an ally: if that was the ally's last reason for a
    calendar, their address goes now, before a new invitation could bring it back."""
    from waypost.access.policy import Action, can

    link = AllyLink.objects.filter(pk=event.data.get("link")).select_related("ally").first()
    if link is not None and not can(link.ally, Action.USE_CALENDAR_FEED):
        revoke_feed(user=link.ally)


def register() -> None:
    from django.utils.translation import gettext_lazy

    from waypost.connect.events import ALLY_REMOVED
    from waypost.core import events

    calendars.register(
        calendars.CalendarSource("groups", gettext_lazy("Group sessions"), group_events)
    )
    events.listen(ALLY_REMOVED, close_when_sharing_ends)
