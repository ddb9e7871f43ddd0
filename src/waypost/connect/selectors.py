"""Reads of ally links, family sessions and the ally's own check-ins, scoped by the policy."""

from __future__ import annotations

from typing import TYPE_CHECKING

from django.db.models import Prefetch, QuerySet
from django.http import Http404

from waypost.connect import events as connect_events
from waypost.connect.models import AllyLink, AllyWellbeingCheckIn, FamilySession
from waypost.core import events

if TYPE_CHECKING:
    from django.contrib.auth.models import AnonymousUser

    from waypost.accounts.models import User
    from waypost.program.models import Enrollment

# The ally's own history of wellbeing check-ins shows this many, newest first.
WELLBEING_HISTORY = 8


def visible_ally_links(user: User | AnonymousUser | None) -> QuerySet[AllyLink]:
    """Open ally links in which ``user`` is the ally."""
    if not user or not user.is_authenticated:
        return AllyLink.objects.none()
    return AllyLink.objects.filter(ally=user, ended_at__isnull=True).select_related(
        "enrollment__client", "enrollment__clinic", "enrollment__primary_clinician__user"
    )


def open_links_of(user: User) -> list[AllyLink]:
    """The ally's open links: the access policy's ``ally_links`` role."""
    return list(
        AllyLink.objects.filter(ally=user, ended_at__isnull=True).select_related(
            "enrollment__client", "enrollment__clinic"
        )
    )


def was_ever_ally(user: User) -> bool:
    """Had an ally link once, open or ended: the access policy's ``was_ally`` role."""
    return AllyLink.objects.filter(ally=user).exists()


def shared_link(user: User | AnonymousUser | None, link_id: int, *, path: str = "") -> AllyLink:
    """The open link ``link_id`` on which ``user`` is the ally: the one way to a shared page.

    Anyone else (an ally whose sharing has ended included) gets ``Http404``, and the
    attempt is recorded in the client's clinic's audit trail (or, for a link that does
    not exist, in the security log). Used by the ally's page and the API alike.
    """
    link = visible_ally_links(user).filter(pk=link_id).first()
    if link is None:
        target = AllyLink.objects.filter(pk=link_id).select_related("enrollment").first()
        events.record_refused(
            actor=user,
            enrollment=target.enrollment if target is not None else None,
            what=connect_events.SHARED_PAGE,
            asked_for=link_id,
            path=path,
        )
        raise Http404
    return link


def family_sessions_for(enrollment: Enrollment) -> QuerySet[FamilySession]:
    """The client's family and partner sessions, newest first, with the allies who came.

    The caller has checked access (the primary clinician, or the client themself); the
    clinician's pages audit what they show.
    """
    return (
        FamilySession.objects.filter(enrollment=enrollment)
        .select_related("recorded_by")
        .prefetch_related(
            Prefetch("allies", queryset=AllyLink.objects.select_related("ally").order_by("pk"))
        )
    )


def wellbeing_history(ally: User) -> list[AllyWellbeingCheckIn]:
    """The ally's own latest wellbeing check-ins, newest first: for them alone."""
    return list(AllyWellbeingCheckIn.objects.filter(ally=ally)[:WELLBEING_HISTORY])
