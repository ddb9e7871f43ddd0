"""Reads of ally links, scoped by the access policy."""

from __future__ import annotations

from typing import Any

from django.db.models import QuerySet

from waypost.connect.models import AllyLink


def visible_ally_links(user: Any) -> QuerySet[AllyLink]:
    """Open ally links in which ``user`` is the ally."""
    if not user or not user.is_authenticated:
        return AllyLink.objects.none()
    return AllyLink.objects.filter(ally=user, ended_at__isnull=True).select_related(
        "enrollment__client", "enrollment__clinic", "enrollment__primary_clinician__user"
    )


def open_links_of(user: Any) -> list[AllyLink]:
    """The ally's open links: the access policy's ``ally_links`` role."""
    return list(
        AllyLink.objects.filter(ally=user, ended_at__isnull=True).select_related(
            "enrollment__client", "enrollment__clinic"
        )
    )
