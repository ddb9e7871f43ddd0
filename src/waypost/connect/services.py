"""Allies and consent: the client decides, and a change takes effect at once.

Writes (``invite_ally``, ``set_consent``, ``end_link`` …) check the access
policy themselves and leave a timeline event; reads for the ally
(``shared_sections``) check each scope and leave an audit record.
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any

from django.db import transaction
from django.db.models import QuerySet
from django.utils import timezone
from django.utils.translation import gettext as _

from waypost.access.policy import Action, require, roles_of
from waypost.accounts.models import Invitation
from waypost.accounts.services import create_invitation, revoke_invitation
from waypost.connect import scopes as scope_registry
from waypost.connect.models import AllyLink
from waypost.core import audit, timeline


class AllyInviteError(ValueError):
    """An ally invitation cannot be sent; the message says why, kindly."""


@dataclass(frozen=True)
class SharedSection:
    """One consented scope, ready for the ally's page: its template and its data."""

    scope: scope_registry.ConsentScope
    template: str
    data: dict


def _labels(keys: list[str]) -> str:
    return ", ".join(scope_registry.labels(keys)) or _("nothing")


# --- reads for the client ---------------------------------------------------------


def managed_links(user: Any) -> QuerySet[AllyLink]:
    """Open ally links on the client's own active enrollments: the ones they may change."""
    enrollment_ids = [e.pk for e in roles_of(user).enrollments]
    return (
        AllyLink.objects.filter(enrollment_id__in=enrollment_ids, ended_at__isnull=True)
        .select_related("ally", "enrollment")
        .order_by("created_at", "pk")
    )


def pending_invitations(user: Any) -> QuerySet[Invitation]:
    """Ally invitations the client sent that nobody has used or withdrawn yet."""
    enrollment_ids = [e.pk for e in roles_of(user).enrollments]
    return Invitation.objects.filter(
        kind=Invitation.Kind.ALLY,
        enrollment_id__in=enrollment_ids,
        invited_by=user,
        accepted_at__isnull=True,
        revoked_at__isnull=True,
    ).order_by("created_at", "pk")


# --- writes for the client --------------------------------------------------------


def invite_ally(
    *,
    enrollment: Any,
    email: str,
    name: str,
    relationship: str,
    scopes: list[str],
    by: Any,
) -> Invitation:
    """Invite someone to be the client's ally, with the scopes the client chose first.

    Refuses the client's own address, someone who is already an ally and an
    address with an invitation still waiting, so one person never holds two
    competing sets of consent.
    """
    require(by, Action.MANAGE_ALLIES, enrollment)
    keys = scope_registry.clean(scopes)
    email = email.strip().lower()
    if email == (enrollment.client.email or "").lower():
        raise AllyInviteError(_("That is your own e-mail address. Please enter your ally's."))
    if AllyLink.objects.filter(
        enrollment=enrollment, ally__email__iexact=email, ended_at__isnull=True
    ).exists():
        raise AllyInviteError(
            _("This person is already your ally. You can change what they see on your list.")
        )
    if (
        pending_invitations(by)
        .filter(enrollment=enrollment, email__iexact=email, expires_at__gt=timezone.now())
        .exists()
    ):
        raise AllyInviteError(
            _("You have already invited this address. Withdraw that invitation to send a new one.")
        )
    with transaction.atomic():
        invitation, _raw = create_invitation(
            kind=Invitation.Kind.ALLY,
            clinic=enrollment.clinic,
            email=email,
            name=name,
            enrollment=enrollment,
            scopes=keys,
            relationship=relationship,
            by=by,
        )
        timeline.add_event(
            enrollment=enrollment,
            kind="connect.ally_invited",
            summary=_("Invited an ally; would share: %(scopes)s") % {"scopes": _labels(keys)},
            actor=by,
            data={"invitation": invitation.pk, "scopes": keys},
        )
    return invitation


def withdraw_invitation(*, invitation: Invitation, by: Any) -> None:
    """Cancel an ally invitation that has not been used; its link stops working at once."""
    require(by, Action.MANAGE_ALLIES, invitation.enrollment)
    with transaction.atomic():
        revoke_invitation(invitation=invitation, by=by)
        timeline.add_event(
            enrollment=invitation.enrollment,
            kind="connect.invitation_withdrawn",
            summary=_("Withdrew an ally invitation"),
            actor=by,
            data={"invitation": invitation.pk},
        )


def link_ally(
    *, enrollment: Any, ally: Any, scopes: list[str], relationship: str = "", by: Any
) -> AllyLink:
    """Connect ``ally`` to the client with the scopes the client chose."""
    keys = scope_registry.clean(scopes)
    with transaction.atomic():
        link, created = AllyLink.objects.get_or_create(
            enrollment=enrollment,
            ally=ally,
            ended_at=None,
            defaults={"scopes": keys, "relationship": relationship},
        )
        if not created:
            link.scopes = keys
            link.save(update_fields=["scopes"])
        timeline.add_event(
            enrollment=enrollment,
            kind="connect.ally_joined",
            summary=_("An ally joined; shared: %(scopes)s") % {"scopes": _labels(keys)},
            actor=by,
            data={"link": link.pk, "scopes": keys},
        )
    return link


def set_consent(*, link: AllyLink, scopes: list[str], by: Any) -> AllyLink:
    """Replace what the ally may see. Only the client may; takes effect immediately."""
    require(by, Action.MANAGE_ALLIES, link.enrollment)
    keys = scope_registry.clean(scopes)
    if not link.is_active:
        raise ValueError("this ally connection has ended")
    with transaction.atomic():
        before = list(link.scopes)
        if before == keys:
            return link
        link.scopes = keys
        link.save(update_fields=["scopes"])
        timeline.add_event(
            enrollment=link.enrollment,
            kind="connect.consent_changed",
            summary=_("Sharing with an ally changed to: %(scopes)s") % {"scopes": _labels(keys)},
            actor=by,
            data={"link": link.pk, "before": before, "after": keys},
        )
    return link


def end_link(*, link: AllyLink, by: Any) -> AllyLink:
    """Stop sharing anything with this ally. The client may do it at any time."""
    require(by, Action.MANAGE_ALLIES, link.enrollment)
    with transaction.atomic():
        if link.ended_at is None:
            link.ended_at = timezone.now()
            link.save(update_fields=["ended_at"])
            timeline.add_event(
                enrollment=link.enrollment,
                kind="connect.ally_removed",
                summary=_("Stopped sharing with an ally"),
                actor=by,
                data={"link": link.pk},
            )
    return link


# --- reads for the ally -----------------------------------------------------------


def shared_sections(*, link: AllyLink, viewer: Any, path: str = "") -> list[SharedSection]:
    """The sections ``viewer`` may see on this link, one per consented scope.

    Each scope is checked through the policy on its own and each one shown
    is audited, so the client's clinic can see who looked at what.
    """
    sections = []
    for scope in scope_registry.known(link.scopes):
        require(viewer, Action.VIEW_SHARED, link, scope=scope.key)
        if not scope.template:
            continue
        sections.append(
            SharedSection(scope=scope, template=scope.template, data=scope.context(link))
        )
        audit.record_access(
            actor=viewer,
            enrollment=link.enrollment,
            action="view",
            what=f"shared: {scope.key}",
            path=path,
        )
    return sections
