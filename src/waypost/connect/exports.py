"""Allies in "download my data": who the client shares with, what, and since when."""

from __future__ import annotations

from typing import TYPE_CHECKING, Any

from django.utils.translation import gettext_lazy as _

from waypost.accounts.models import Invitation
from waypost.connect import scopes
from waypost.connect.models import AllyLink
from waypost.connect.relationships import relationship_label
from waypost.core import exports

if TYPE_CHECKING:
    from waypost.accounts.models import User


def allies(user: User) -> dict[str, Any]:
    links = (
        AllyLink.objects.filter(enrollment__client=user)
        .select_related("ally")
        .order_by("created_at", "pk")
    )
    invitations = Invitation.objects.filter(
        kind=Invitation.Kind.ALLY, enrollment__client=user
    ).order_by("created_at", "pk")
    return {
        "allies": [
            {
                "name": link.ally.name,
                "relationship": relationship_label(link.relationship),
                "shares": scopes.labels(link.scopes),
                "share_keys": list(link.scopes),
                "since": link.created_at,
                "ended_at": link.ended_at,
            }
            for link in links
        ],
        "invitations": [
            {
                "email": invitation.email,
                "relationship": relationship_label(invitation.relationship),
                "sent_at": invitation.created_at,
                "accepted_at": invitation.accepted_at,
                "withdrawn_at": invitation.revoked_at,
            }
            for invitation in invitations
        ],
    }


SECTION = exports.Section(
    key="allies",
    title=_("Allies and what you share"),
    order=80,
    collect=allies,
    machine_only=frozenset({"share_keys"}),
    description=_("The people you invited as allies, and what you chose to share with each."),
    labels={
        "allies": _("Allies"),
        "relationship": _("Who they are to you"),
        "shares": _("What you share"),
        "since": _("Since"),
        "ended_at": _("Stopped sharing"),
        "invitations": _("Invitations you sent"),
        "email": _("E-mail"),
        "sent_at": _("Sent"),
        "accepted_at": _("Accepted"),
        "withdrawn_at": _("Withdrawn"),
    },
)


def register() -> None:
    exports.register(SECTION)
