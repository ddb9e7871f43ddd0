"""Allies and consent: the client decides, and a change takes effect at once."""

from __future__ import annotations

from typing import Any

from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from waypost.connect import scopes as scope_registry
from waypost.connect.models import AllyLink
from waypost.core import timeline
from waypost.core.policy import Action, require


def _labels(keys: list[str]) -> str:
    return ", ".join(str(scope_registry.get(k).label) for k in keys) or _("nothing")


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
