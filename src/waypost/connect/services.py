"""Allies and consent: the client decides, and a change takes effect at once.

Writes (``invite_ally``, ``set_consent``, ``end_link`` …) check the access
policy themselves and leave a timeline event; reads for the ally
(``shared_sections``, ``shared_data``) check each scope (the ally's page and the
API audit what they show). Also here: family and partner sessions, recorded by the
primary clinician with the client's consent (``record_family_session``), and the
ally's own private wellbeing check-in (``record_ally_wellbeing``).
"""

from __future__ import annotations

import uuid
from collections.abc import Iterable
from dataclasses import dataclass
from datetime import date, datetime
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
from waypost.connect.models import (
    WELLBEING_MAX,
    WELLBEING_MIN,
    AllyLink,
    AllyWellbeingCheckIn,
    FamilySession,
)
from waypost.core import events
from waypost.core.errors import DomainError
from waypost.core.timezones import first_zone

if TYPE_CHECKING:
    from django.contrib.auth.models import AnonymousUser

    from waypost.accounts.models import User
    from waypost.program.models import Enrollment


class AllyInviteError(DomainError):
    """An ally invitation cannot be sent; the message says why, kindly."""

    code = "ally_invitation_refused"


class FamilySessionError(DomainError):
    """A family session cannot be recorded as given; the message says why."""

    code = "family_session_refused"


class WellbeingError(DomainError):
    """An ally's wellbeing check-in cannot be kept as given; the message says why."""

    code = "ally_wellbeing_refused"


# Long enough for a session's notes, short enough that nothing pasted by mistake is kept.
FAMILY_TEXT_MAX = 4000
WELLBEING_NOTE_MAX = 1000


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


def consent_change(before: list[str], after: list[str]) -> tuple[list[str], list[str]]:
    """The scopes added and the scopes withdrawn between two consents, in reading order."""
    added = [key for key in after if key not in before]
    withdrawn = [scope.key for scope in scope_registry.known(before) if scope.key not in after]
    return added, withdrawn


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


@dataclass(frozen=True)
class SharedData:
    """One consented scope as JSON for the API: its key, label and what its ``api`` gives."""

    key: str
    label: str
    data: dict[str, scope_registry.JSON] | None


def shared_data(*, link: AllyLink, viewer: User) -> list[SharedData]:
    """What ``viewer`` may read on this link through the API, one entry per consented scope.

    The same check as the page (``shared_sections``), scope by scope; a scope without
    an ``api`` view is listed by key and label only.
    """
    out = []
    for scope in scope_registry.known(link.scopes):
        require(viewer, Action.VIEW_SHARED, link, scope=scope.key)
        out.append(
            SharedData(
                key=scope.key,
                label=str(scope.label),
                data=scope.api(link) if scope.api is not None else None,
            )
        )
    return out


# --- family and partner sessions ----------------------------------------------------


def _clinic_today(enrollment: Enrollment, now: datetime) -> date:
    return now.astimezone(first_zone(enrollment.clinic.time_zone)).date()


def _text(value: str, what: str) -> str:
    value = (value or "").strip()
    if len(value) > FAMILY_TEXT_MAX:
        raise FamilySessionError(
            _("%(what)s is too long: please keep it under %(n)d characters.")
            % {"what": what, "n": FAMILY_TEXT_MAX}
        )
    return value


def record_family_session(
    *,
    enrollment: Enrollment,
    held_on: date,
    allies: Iterable[AllyLink] = (),
    others: str = "",
    topics: str = "",
    agreements: str = "",
    client_consented: bool,
    by: User,
    client_uuid: uuid.UUID | None = None,
    path: str = "",
    at: datetime | None = None,
) -> FamilySession:
    """Record a family or partner session in the client's record.

    Only the primary clinician (``Action.RECORD_FAMILY_SESSION``), and only with the
    client's agreement (``client_consented``): without it nothing is written. ``allies``
    must be the client's own open ally links; ``others`` names anyone else who took part,
    one per line. The session must have happened (today or earlier, in the clinic's
    zone) and someone besides the client must have taken part. The same form sent
    twice (the same ``client_uuid``) is recorded once: the second time returns the first.
    """
    require(by, Action.RECORD_FAMILY_SESSION, enrollment)
    if client_uuid is not None:
        stored = FamilySession.objects.filter(enrollment=enrollment, client_uuid=client_uuid)
        if (already := stored.first()) is not None:
            return already
    if client_consented is not True:
        raise FamilySessionError(
            _("A session is recorded only when the client agrees. Please ask them first.")
        )
    now = at or timezone.now()
    if held_on > _clinic_today(enrollment, now):
        raise FamilySessionError(_("The session's date is in the future. Please check it."))
    links = list(allies)
    own = set(
        AllyLink.objects.filter(enrollment=enrollment, ended_at__isnull=True).values_list(
            "pk", flat=True
        )
    )
    if any(link.pk not in own for link in links):
        raise FamilySessionError(
            _("Only the client's own allies can be chosen. Nothing was saved.")
        )
    others = _text(others, _("Others who took part"))
    if not links and not others:
        raise FamilySessionError(
            _("Please choose an ally who took part, or name the others who did.")
        )
    with transaction.atomic():
        session = FamilySession.objects.create(
            enrollment=enrollment,
            held_on=held_on,
            others=others,
            topics=_text(topics, _("What was talked about")),
            agreements=_text(agreements, _("Agreements")),
            client_consented=True,
            client_uuid=client_uuid,
            recorded_by=by,
            created_at=now,
        )
        session.allies.set(links)
        events.record(
            enrollment=enrollment,
            kind=connect_events.FAMILY_SESSION_RECORDED,
            actor=by,
            data={"session": session.pk, "held_on": held_on.isoformat(), "allies": len(links)},
            path=path,
            at=now,
        )
    return session


# --- the ally's own wellbeing -------------------------------------------------------


def record_ally_wellbeing(
    *,
    ally: User,
    client_uuid: uuid.UUID,
    feeling: int,
    sleep: str = "",
    stress: str = "",
    support: str = "",
    note: str = "",
    at: datetime | None = None,
) -> AllyWellbeingCheckIn:
    """Keep an ally's own check-in on how they are doing; only they will ever see it.

    Anyone who is an ally now (``Action.ALLY_WELLBEING``). No timeline, no audit: it is
    not part of any client's record. A retried form (the same ``client_uuid``) is kept
    once and the first one is returned.
    """
    require(ally, Action.ALLY_WELLBEING)
    stored = AllyWellbeingCheckIn.objects.filter(ally=ally, client_uuid=client_uuid).first()
    if stored is not None:
        return stored
    if isinstance(feeling, bool) or not isinstance(feeling, int):
        raise WellbeingError(_("Please choose how you are doing, from 1 to 5."))
    if not WELLBEING_MIN <= feeling <= WELLBEING_MAX:
        raise WellbeingError(_("Please choose how you are doing, from 1 to 5."))
    for value, choices in (
        (sleep, AllyWellbeingCheckIn.Sleep),
        (stress, AllyWellbeingCheckIn.Stress),
        (support, AllyWellbeingCheckIn.Support),
    ):
        if value and value not in choices.values:
            raise WellbeingError(_("One of the choices was not recognised. Nothing was saved."))
    note = (note or "").strip()
    if len(note) > WELLBEING_NOTE_MAX:
        raise WellbeingError(
            _("Please keep the note under %(n)d characters.") % {"n": WELLBEING_NOTE_MAX}
        )
    check_in, _created = AllyWellbeingCheckIn.objects.get_or_create(
        ally=ally,
        client_uuid=client_uuid,
        defaults={
            "feeling": feeling,
            "sleep": sleep,
            "stress": stress,
            "support": support,
            "note": note,
            "created_at": at or timezone.now(),
        },
    )
    return check_in
