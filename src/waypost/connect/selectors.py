"""Reads of ally links, scoped by the access policy."""

from __future__ import annotations

from typing import TYPE_CHECKING

from django.db.models import QuerySet

from waypost.connect.models import AllyLink

if TYPE_CHECKING:
    from django.contrib.auth.models import AnonymousUser

    from waypost.accounts.models import User


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
