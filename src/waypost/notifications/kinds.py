"""The kinds of notification, each registered by the app that sends it.

A kind says what the person is told about (its label on their choices page), who
gets it (the roles it is for), on which channels by default, whether the person can
switch it off, and whether it waits out their quiet hours::

    notifications.register(NotificationKind(
        key="appointments.reminder",
        label=_("Appointment reminders"),
        description=_("The day before a session with your clinician."),
        audience=frozenset({CLIENT}),
        reminder=True,
    ))

Risk alerts and escalations to clinicians are ``locked``: always on, on every
channel, at any hour (``ignores_quiet_hours``); the choices page shows them so,
with the reason. ``reminder`` kinds also follow the person's "E-mail me
reminders" switch on Me (``User.email_reminders``); ``timed`` kinds let the person
pick a local time of day (the check-in reminder).

The sending apps register from the module that sends (their ``tasks.py``, or a
module it imports). The worker imports every app's ``tasks`` module at start-up
(huey's consumer); the web process does the same, once, the first time anything
reads the registry (:func:`discover`), so the choices page lists every kind
without this app naming the apps above it.
"""

from __future__ import annotations

from dataclasses import dataclass
from enum import StrEnum
from typing import TYPE_CHECKING

if TYPE_CHECKING:
    from django_stubs_ext import StrOrPromise

    from waypost.access.policy import Roles


class Channel(StrEnum):
    """How a notification reaches someone."""

    IN_APP = "in_app"  # the list on the Notifications page, and the count in the header
    EMAIL = "email"
    PUSH = "push"  # web push, to the devices the person turned it on for


ALL_CHANNELS: frozenset[Channel] = frozenset(Channel)

# Who a kind is for: the roles ``access.policy.roles_of`` knows.
CLIENT = "client"
CLINICIAN = "clinician"
ADMIN = "admin"
ALLY = "ally"
AUDIENCES = frozenset({CLIENT, CLINICIAN, ADMIN, ALLY})


@dataclass(frozen=True)
class NotificationKind:
    """One kind of notification; see the module's docstring."""

    key: str
    label: StrOrPromise
    audience: frozenset[str]
    description: StrOrPromise = ""
    defaults: frozenset[Channel] = ALL_CHANNELS
    locked: bool = False
    locked_reason: StrOrPromise = ""
    ignores_quiet_hours: bool = False
    reminder: bool = False
    timed: bool = False
    order: int = 100
    # Shown on the choices page next to a timed kind's time field.
    time_label: StrOrPromise = ""
    # The subject of the short e-mail ``notify`` makes when the sender gives none.
    email_subject: StrOrPromise = ""

    def __post_init__(self) -> None:
        if not self.audience or not self.audience <= AUDIENCES:
            raise ValueError(f"kind {self.key!r}: audience must be some of {sorted(AUDIENCES)}")
        if not self.defaults <= ALL_CHANNELS:
            raise ValueError(f"kind {self.key!r}: unknown channels in {self.defaults}")
        if self.locked and not self.locked_reason:
            raise ValueError(f"kind {self.key!r}: a locked kind says why (locked_reason)")

    @property
    def field_key(self) -> str:
        """The kind's key as a form field prefix ("recovery.check_in" → "recovery-check_in")."""
        return self.key.replace(".", "-")

    def is_for(self, roles: Roles) -> bool:
        """Whether someone with these roles gets this kind."""
        held = {
            CLIENT: roles.is_client,
            CLINICIAN: roles.is_clinician,
            ADMIN: roles.is_admin,
            ALLY: roles.is_ally,
        }
        return any(held[who] for who in self.audience)


_kinds: dict[str, NotificationKind] = {}
_discovered = False


def register(kind: NotificationKind) -> NotificationKind:
    """Add (or, with the same key, replace) a kind."""
    _kinds[kind.key] = kind
    return kind


def unregister(key: str) -> None:
    _kinds.pop(key, None)


def discover() -> None:
    """Import every installed app's ``tasks`` module once, so their kinds are registered."""
    global _discovered
    if _discovered:
        return
    from django.utils.module_loading import autodiscover_modules

    # Two threads may both import at first: harmless (a module is imported once); the
    # flag is set after, so neither reads a half-filled registry.
    autodiscover_modules("tasks")
    _discovered = True


def get(key: str) -> NotificationKind:
    """The kind registered as ``key``; KeyError for one no app registered."""
    if key not in _kinds:
        discover()
    return _kinds[key]


def all_kinds() -> list[NotificationKind]:
    """Every kind, in the order the choices page shows them."""
    discover()
    return sorted(_kinds.values(), key=lambda kind: (kind.order, kind.key))


def kinds_for(roles: Roles) -> list[NotificationKind]:
    """The kinds someone with ``roles`` gets, in order."""
    return [kind for kind in all_kinds() if kind.is_for(roles)]
