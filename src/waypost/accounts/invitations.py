"""Invitation kinds: how each app says who may invite, and what accepting grants.

``accounts`` owns the invitation itself (the link, its expiry, single use, the
account it creates); the role it grants belongs to another app. Each app
registers its kinds from ``AppConfig.ready()``, as panels and gate criteria are
registered, so ``accounts`` never imports the apps above it:

- ``clinics``: clinician, clinic admin and client;
- ``connect``: ally.
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass, field
from typing import TYPE_CHECKING, Any

if TYPE_CHECKING:
    from waypost.accounts.models import Invitation, User
    from waypost.clinics.models import Clinic
    from waypost.program.models import Enrollment


@dataclass(frozen=True)
class InvitationRequest:
    """What the person inviting asked for, before any access check."""

    by: User
    clinic: Clinic
    enrollment: Enrollment | None = None
    scopes: list[str] = field(default_factory=list)


@dataclass(frozen=True)
class InvitationKind:
    """One kind of invitation.

    ``prepare`` checks that the person may send it (raising ``PermissionDenied``)
    and returns the extra fields the invitation stores (``primary_clinician``,
    ``scopes`` …). ``grant`` gives the accepting person their role, inside the
    same transaction that claims the invitation. ``details`` lists what the
    invitation page tells the invitee (an ally's shared scopes). A ``discreet``
    invitation never names the clinic, on the page or in the e-mail. ``landing``
    is the URL name the new member is sent to once they have accepted (a new
    client's welcome).
    """

    kind: str
    prepare: Callable[[InvitationRequest], dict[str, Any]]
    grant: Callable[[Invitation, User], None]
    details: Callable[[Invitation], list[str]] = lambda invitation: []
    discreet: bool = False
    landing: str = "home"


_kinds: dict[str, InvitationKind] = {}


def register(kind: InvitationKind) -> InvitationKind:
    """Add or replace a kind (from an app's ``AppConfig.ready()``)."""
    _kinds[kind.kind] = kind
    return kind


def get(kind: str) -> InvitationKind:
    """The registered kind, or ``ValueError`` for one no app registered."""
    try:
        return _kinds[kind]
    except KeyError:
        raise ValueError(f"unknown invitation kind {kind!r}") from None


def registered() -> list[str]:
    return sorted(_kinds)
