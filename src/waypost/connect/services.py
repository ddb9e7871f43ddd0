"""Allies and consent: the client decides, and a change takes effect at once.

Writes (``invite_ally``, ``set_consent``, ``end_link`` …) check the access
policy themselves and leave a timeline event; reads for the ally
(``shared_sections``) check each scope (the ally's view audits what it shows).
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import TYPE_CHECKING

from django.core.exceptions import PermissionDenied
from django.db import transaction
from django.db.models import QuerySet
from django.utils import timezone
from django.utils.translation import gettext as _

from waypost.access.policy import Action, require, roles_of
from waypost.accounts.models import Invitation
from waypost.accounts.services import create_invitation, revoke_invitation
from waypost.connect import events as connect_events
from waypost.connect import scopes as scope_registry
from waypost.connect.models import AllyLink
from waypost.core import events
from waypost.core.errors import DomainError

if TYPE_CHECKING:
    from django.contrib.auth.models import AnonymousUser

    from waypost.accounts.models import User
    from waypost.program.models import Enrollment


class AllyInviteError(DomainError):
    """An ally invitation cannot be sent; the message says why, kindly."""

    code = "ally_invitation_refused"


@dataclass(frozen=True)
class SharedSection:
    """One consented scope, ready for the ally's page: its template and its data."""

    scope: scope_registry.ConsentScope
    template: str
    data: scope_registry.SectionContext


# --- reads for the client ---------------------------------------------------------


def managed_links(user: User | AnonymousUser) -> QuerySet[AllyLink]:
    """Open ally links on the client's own active enrollments: the ones they may change."""
    enrollment_ids = [e.pk for e in roles_of(user).enrollments]
    return (
        AllyLink.objects.filter(enrollment_id__in=enrollment_ids, ended_at__isnull=True)
        .select_related("ally", "enrollment")
        .order_by("created_at", "pk")
    )


def pending_invitations(user: User) -> QuerySet[Invitation]:
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
    enrollment: Enrollment,
    email: str,
    name: str,
    relationship: str,
    scopes: list[str],
    by: User,
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
        events.record(
            enrollment=enrollment,
            kind=connect_events.ALLY_INVITED,
            actor=by,
            data={"invitation": invitation.pk, "scopes": keys},
        )
    return invitation


def withdraw_invitation(*, invitation: Invitation, by: User) -> None:
    """Cancel an ally invitation that has not been used; its link stops working at once."""
    enrollment = invitation.enrollment
    if enrollment is None:  # not an ally invitation; the policy would refuse it too
        raise PermissionDenied
    require(by, Action.MANAGE_ALLIES, enrollment)
    with transaction.atomic():
        revoke_invitation(invitation=invitation, by=by)
        events.record(
            enrollment=enrollment,
            kind=connect_events.INVITATION_WITHDRAWN,
            actor=by,
            data={"invitation": invitation.pk},
        )


def link_ally(
    *, enrollment: Enrollment, ally: User, scopes: list[str], relationship: str = "", by: User
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
        events.record(
            enrollment=enrollment,
            kind=connect_events.ALLY_JOINED,
            actor=by,
            data={"link": link.pk, "scopes": keys},
        )
    return link


def set_consent(*, link: AllyLink, scopes: list[str], by: User) -> AllyLink:
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
        events.record(
            enrollment=link.enrollment,
            kind=connect_events.CONSENT_CHANGED,
            actor=by,
            data={"link": link.pk, "before": before, "after": keys},
        )
    return link


def end_link(*, link: AllyLink, by: User) -> AllyLink:
    """Stop sharing anything with this ally. The client may do it at any time."""
    require(by, Action.MANAGE_ALLIES, link.enrollment)
    with transaction.atomic():
        if link.ended_at is None:
            link.ended_at = timezone.now()
            link.save(update_fields=["ended_at"])
            events.record(
                enrollment=link.enrollment,
                kind=connect_events.ALLY_REMOVED,
                actor=by,
                data={"link": link.pk},
            )
    return link


# --- reads for the ally -----------------------------------------------------------


def shared_sections(*, link: AllyLink, viewer: User) -> list[SharedSection]:
    """The sections ``viewer`` may see on this link, one per consented scope.

    Each scope is checked through the policy on its own; the view that shows
    them audits each one, so the client's clinic can see who looked at what.
    """
    sections = []
    for scope in scope_registry.known(link.scopes):
        require(viewer, Action.VIEW_SHARED, link, scope=scope.key)
        if not scope.template:
            continue
        sections.append(
            SharedSection(scope=scope, template=scope.template, data=scope.context(link))
        )
    return sections
