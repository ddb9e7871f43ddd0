"""The ally invitation: a client invites someone and chooses what they may see."""

from __future__ import annotations

from typing import TYPE_CHECKING, Any

from waypost.access.policy import Action, require
from waypost.accounts import invitations
from waypost.accounts.invitations import InvitationKind, InvitationRequest
from waypost.accounts.models import Invitation
from waypost.connect import scopes as scope_registry
from waypost.connect.services import link_ally

if TYPE_CHECKING:
    from waypost.accounts.models import User


def _prepare(request: InvitationRequest) -> dict[str, Any]:
    # Consent is the client's: only they invite an ally, with the scopes chosen first.
    require(request.by, Action.MANAGE_ALLIES, request.enrollment)
    return {"scopes": scope_registry.clean(request.scopes)}


def _grant(invitation: Invitation, user: User) -> None:
    # ``_prepare`` let the invitation be made only for the client's own enrollment.
    assert invitation.enrollment is not None
    link_ally(
        enrollment=invitation.enrollment,
        ally=user,
        scopes=invitation.scopes,
        relationship=invitation.relationship,
        by=user,
    )


def _details(invitation: Invitation) -> list[str]:
    """The scopes the client chose to share, for the invitation page."""
    found = (scope_registry.get(key) for key in invitation.scopes)
    return [str(scope.label) for scope in found if scope is not None]


def register_all() -> None:
    invitations.register(
        InvitationKind(
            Invitation.Kind.ALLY,
            prepare=_prepare,
            grant=_grant,
            details=_details,
            # The page and e-mail may be seen by others: no clinic name.
            discreet=True,
        )
    )
