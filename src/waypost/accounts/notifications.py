"""Whether Waypost may e-mail someone now: quiet hours and the e-mail reminders switch.

The ground rules under ``waypost.notifications``, which builds on them: its kinds
registry, per-kind channel choices (in-app, e-mail, web push) and ``notify`` are what
the sending tasks use now; :func:`is_quiet`, :func:`zone_of` and ``Decision`` come from
here. :func:`decide` (or :func:`may_email`) still answers for an e-mail alone:

- ``SEND``: send it now.
- ``LATER``: it is the person's quiet hours; leave it for a run after they end
  (the reminder task runs every 15 minutes, so it goes out soon after).
- ``NEVER``: they turned this kind off, have no address, or the account is closed;
  mark the work done without a mail.

Risk alerts to clinicians are about someone's safety: they ignore quiet hours and
cannot be turned off. Invitations are not a preference either (someone asked for
them by hand) and do not come through here.

Quiet hours are local times in the person's own time zone, else the one the caller
passes (their clinic's), else UTC. A start later than the end spans midnight:
22:00–07:00 is quiet from ten at night until seven in the morning. The start is
quiet, the end is not.
"""

from __future__ import annotations

from datetime import datetime, time, tzinfo
from enum import StrEnum
from typing import TYPE_CHECKING

from django.utils import timezone

from waypost.core.timezones import first_zone

if TYPE_CHECKING:
    from waypost.accounts.models import User


class Kind(StrEnum):
    """The e-mails a person can receive that their choices apply to."""

    REMINDER = "reminder"  # a questionnaire is waiting (to a client)
    RISK_ALERT = "risk_alert"  # something needs attention (to the clinician): never held back


class Decision(StrEnum):
    SEND = "send"
    LATER = "later"
    NEVER = "never"


# Kinds sent whatever the quiet hours say, and that cannot be switched off.
ALWAYS = frozenset({Kind.RISK_ALERT})


def zone_of(user: User, fallback: str | None = None) -> tzinfo:
    """The person's own time zone, else ``fallback`` (their clinic's), else UTC."""
    return first_zone(user.time_zone, fallback)


def in_quiet_hours(start: time | None, end: time | None, local: time) -> bool:
    """Is the local time ``local`` inside quiet hours from ``start`` to ``end``?

    Both must be set and differ. A start after the end spans midnight.
    """
    if start is None or end is None or start == end:
        return False
    local = local.replace(tzinfo=None)
    if start < end:
        return start <= local < end
    return local >= start or local < end


def is_quiet(user: User, now: datetime, *, fallback_time_zone: str | None = None) -> bool:
    """Is ``now`` inside the person's quiet hours, in their time zone?"""
    if not user.has_quiet_hours:
        return False
    local = timezone.localtime(now, zone_of(user, fallback_time_zone)).time()
    return in_quiet_hours(user.quiet_hours_start, user.quiet_hours_end, local)


def decide(
    user: User, kind: Kind, now: datetime, *, fallback_time_zone: str | None = None
) -> Decision:
    """Send this kind of e-mail to ``user`` now, later, or not at all."""
    if not user.is_active or not user.email:
        return Decision.NEVER
    if kind in ALWAYS:
        return Decision.SEND
    if kind == Kind.REMINDER and not user.email_reminders:
        return Decision.NEVER
    if is_quiet(user, now, fallback_time_zone=fallback_time_zone):
        return Decision.LATER
    return Decision.SEND


def may_email(
    user: User, kind: Kind, now: datetime, *, fallback_time_zone: str | None = None
) -> bool:
    """May this kind of e-mail go to ``user`` now?"""
    return decide(user, kind, now, fallback_time_zone=fallback_time_zone) == Decision.SEND
