"""Allies in "download my data": who the client shares with, what, and since when; the
family sessions with their agreements (not the clinician's notes of what was said); and,
for an ally, their own wellbeing check-ins."""

from __future__ import annotations

from typing import TYPE_CHECKING, Any

from django.utils.translation import gettext_lazy as _

from waypost.accounts.models import Invitation
from waypost.connect import scopes
from waypost.connect.models import AllyLink, AllyWellbeingCheckIn, FamilySession
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
    sessions = (
        FamilySession.objects.filter(enrollment__client=user)
        .prefetch_related("allies__ally")
        .order_by("held_on", "pk")
    )
    check_ins = AllyWellbeingCheckIn.objects.filter(ally=user).order_by("created_at", "pk")
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
        "family_sessions": [
            {
                "held_on": session.held_on,
                "took_part": [
                    link.ally.name for link in sorted(session.allies.all(), key=lambda x: x.pk)
                ]
                + session.other_people,
                "agreements": session.agreements,
            }
            for session in sessions
        ],
        "wellbeing_check_ins": [
            {
                "at": entry.created_at,
                "feeling": entry.feeling_label,
                "feeling_1_to_5": entry.feeling,
                "chips": entry.chip_labels,
                "note": entry.note,
            }
            for entry in check_ins
        ],
    }


SECTION = exports.Section(
    key="allies",
    title=_("Allies and what you share"),
    order=80,
    collect=allies,
    machine_only=frozenset({"share_keys"}),
    description=_(
        "The people you invited as allies, what you chose to share with each, and your "
        "family and partner sessions; as an ally, your own check-ins."
    ),
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
        "family_sessions": _("Family and partner sessions"),
        "held_on": _("Date"),
        "took_part": _("Who took part"),
        "agreements": _("Agreements"),
        "wellbeing_check_ins": _("Your own check-ins as an ally"),
        "feeling": _("How you were doing"),
        "feeling_1_to_5": _("From 1 to 5"),
        "chips": _("Sleep, stress and support"),
    },
)


def register() -> None:
    exports.register(SECTION)
