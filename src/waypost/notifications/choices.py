"""Which channels a notification takes for one person, and whether it goes now.

The rules, in order:

1. A closed account gets nothing.
2. The channels: a ``locked`` kind's defaults, always; else the person's choice for
   the kind (``Preference``), else the kind's defaults.
3. E-mail needs an address, and for ``reminder`` kinds the "E-mail me reminders"
   switch on Me (``User.email_reminders``). Push needs a device turned on.
4. Nothing left: ``NEVER`` (the sender marks its work done).
5. In the person's quiet hours (``accounts.notifications.is_quiet``, in their time
   zone, else the one the sender passes: their clinic's), a kind that does not
   ignore them waits if it would interrupt (e-mail or push): ``LATER``, nothing is
   written, and the sender's next run, after they end, sends it. The in-app list
   alone interrupts nobody, so it goes at once.
6. Else ``SEND``.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime, time
from typing import TYPE_CHECKING

from waypost.accounts.notifications import Decision, is_quiet
from waypost.notifications.kinds import Channel, NotificationKind

if TYPE_CHECKING:
    from waypost.accounts.models import User
    from waypost.notifications.models import Preference

INTERRUPTING = frozenset({Channel.EMAIL, Channel.PUSH})


@dataclass(frozen=True)
class Choice:
    """A person's choice for one kind, as the choices page shows and saves it."""

    channels: frozenset[Channel]
    at_time: time | None = None


def chosen(kind: NotificationKind, preference: Preference | None) -> Choice:
    """What the person chose for ``kind`` (its defaults without a choice; locked: defaults)."""
    if kind.locked or preference is None:
        return Choice(kind.defaults, preference.at_time if preference is not None else None)
    on = {
        Channel.IN_APP: preference.in_app,
        Channel.EMAIL: preference.email,
        Channel.PUSH: preference.push,
    }
    return Choice(frozenset(c for c, is_on in on.items() if is_on), preference.at_time)


def email_possible(user: User, kind: NotificationKind) -> bool:
    """Whether e-mail can reach ``user`` for ``kind`` at all (an address; the reminders switch)."""
    if not user.is_active or not user.email:
        return False
    return kind.locked or not kind.reminder or user.email_reminders


def reachable(
    user: User, kind: NotificationKind, choice: Choice, *, has_devices: bool
) -> frozenset[Channel]:
    """The chosen channels that can reach ``user`` now."""
    if not user.is_active:
        return frozenset()
    channels = set(choice.channels)
    if not email_possible(user, kind):
        channels.discard(Channel.EMAIL)
    if not has_devices:
        channels.discard(Channel.PUSH)
    return frozenset(channels)


@dataclass(frozen=True)
class Plan:
    """What :func:`plan` decided: send now, later, or never, and on which channels."""

    decision: Decision
    channels: frozenset[Channel]


def plan(
    user: User,
    kind: NotificationKind,
    channels: frozenset[Channel],
    now: datetime,
    *,
    fallback_time_zone: str | None = None,
) -> Plan:
    """Now, later (quiet hours) or never, for notifying ``user`` on ``channels``."""
    if not channels:
        return Plan(Decision.NEVER, channels)
    if (
        not kind.ignores_quiet_hours
        and channels & INTERRUPTING
        and is_quiet(user, now, fallback_time_zone=fallback_time_zone)
    ):
        return Plan(Decision.LATER, channels)
    return Plan(Decision.SEND, channels)
