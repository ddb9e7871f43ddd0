"""Reads: an ally's rhythm and updates, who gets a client's requests for support.

Everything an ally reads is narrowed by consent at the moment of reading: an alert
whose scope the client has since withdrawn is not shown, whatever its status.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime, timedelta
from typing import TYPE_CHECKING

from django.utils import timezone

from waypost.access.policy import Action, can
from waypost.connect.alerts import registry
from waypost.connect.alerts.models import AlertPreference, AllyAlert, Rhythm, SupportRequest
from waypost.connect.models import AllyLink

if TYPE_CHECKING:
    from waypost.accounts.models import User
    from waypost.program.models import Enrollment

#: The consent scope of "I need support now" (registered in ``support.py``).
SUPPORT_SCOPE = "support"
#: How far back the Updates page and the ally's support section look.
UPDATES_DAYS = 60
SUPPORT_SECTION_DAYS = 14
#: At most this many updates on one page.
UPDATES_LIMIT = 50


def rhythm_of(link: AllyLink) -> str:
    """The rhythm the ally chose for this link; a daily digest if they never chose."""
    preference: AlertPreference | None = getattr(link, "alert_preference", None)
    return preference.rhythm if preference is not None else Rhythm.DAILY.value


def support_links(enrollment: Enrollment) -> list[AllyLink]:
    """The client's open ally links that get their requests for support, oldest first."""
    links = (
        AllyLink.objects.filter(enrollment=enrollment, ended_at__isnull=True)
        .select_related("ally")
        .order_by("created_at", "pk")
    )
    return [link for link in links if link.allows(SUPPORT_SCOPE)]


def last_request(enrollment: Enrollment) -> SupportRequest | None:
    """The client's latest request for support, if any."""
    return SupportRequest.objects.filter(enrollment=enrollment).order_by("-created_at").first()


def requests_reaching(
    link: AllyLink, *, now: datetime | None = None, days: int = SUPPORT_SECTION_DAYS
) -> list[SupportRequest]:
    """The client's recent requests for support that went to this ally, newest first."""
    since = (now or timezone.now()) - timedelta(days=days)
    recent = SupportRequest.objects.filter(
        enrollment_id=link.enrollment_id, created_at__gte=since
    ).order_by("-created_at", "-pk")[:UPDATES_LIMIT]
    return [request for request in recent if link.pk in request.links]


@dataclass(frozen=True)
class Update:
    """One alert as the ally reads it on their Updates page."""

    at: datetime
    kind: registry.AlertKind
    text: str
    detail: str


def updates_for(link: AllyLink, *, viewer: User, now: datetime | None = None) -> list[Update]:
    """What ``viewer`` may read of this link's alerts: the consented ones, newest first.

    Alerts dropped at send time, of kinds whose app is gone, or under a scope the
    client has withdrawn since are left out; each scope is asked of the access policy.
    """
    since = (now or timezone.now()) - timedelta(days=UPDATES_DAYS)
    alerts = list(
        AllyAlert.objects.filter(link=link, raised_at__gte=since)
        .exclude(status=AllyAlert.Status.DROPPED)
        .select_related("event")
        .order_by("-raised_at", "-pk")[:UPDATES_LIMIT]
    )
    allowed = {
        scope
        for scope in {alert.scope for alert in alerts}
        if can(viewer, Action.VIEW_SHARED, link, scope=scope)
    }
    shown: list[tuple[AllyAlert, registry.AlertKind]] = []
    for alert in alerts:
        kind = registry.get(alert.kind)
        if kind is not None and alert.scope in allowed:
            shown.append((alert, kind))
    details: dict[int, str] = {}
    for kind in {kind for _alert, kind in shown}:
        if kind.details is not None:
            details.update(kind.details([alert for alert, k in shown if k == kind]))
    name = link.enrollment.client.get_short_name()
    return [
        Update(
            at=alert.raised_at,
            kind=kind,
            text=kind.describe(name=name, data={**alert.event.data}),
            detail=details.get(alert.pk, ""),
        )
        for alert, kind in shown
    ]
