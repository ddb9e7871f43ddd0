"""The one way group pages find their programme and occurrence: by id and key, then the policy."""

from __future__ import annotations

from typing import TYPE_CHECKING

from django.core.exceptions import PermissionDenied
from django.http import Http404

from waypost.access.policy import Action, can
from waypost.connect.groups import schedule, selectors

if TYPE_CHECKING:
    from django.http import HttpRequest

    from waypost.connect.groups.models import GroupProgramme


def programme_for(
    request: HttpRequest, pk: int, action: Action = Action.MANAGE_GROUPS
) -> GroupProgramme:
    """The programme if the person may ``action`` it (or its clinic); else 404 or 403.

    Someone with nothing to do with the clinic gets a 404, so the answer does not say
    whether the group exists; a colleague without the finer right gets a 403.
    """
    programme = selectors.programme_with_facilitators(pk)
    if programme is None or not can(request.user, Action.MANAGE_GROUPS, programme.clinic):
        raise Http404
    target = programme.clinic if action == Action.MANAGE_GROUPS else programme
    if not can(request.user, action, target):
        raise PermissionDenied
    return programme


def occurrence_for(programme: GroupProgramme, key: str) -> schedule.Occurrence:
    """The programme's occurrence named by ``key`` (its original start), or 404."""
    original = schedule.parse_key(key)
    if original is None:
        raise Http404
    try:
        found = schedule.occurrence(programme.series, original, selectors.changes_of(programme))
    except OverflowError:  # a time with no local time in the group's zone: no session
        raise Http404 from None
    if found is None:
        raise Http404
    return found
