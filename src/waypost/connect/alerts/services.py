"""Writes: raising alerts for allies when something happens, and the rhythm each ally picks.

Sending lives in ``delivery.py``; "I need support now" in ``support.py``.
"""

from __future__ import annotations

from datetime import datetime, timedelta
from typing import TYPE_CHECKING

from django.db import transaction
from django.utils import timezone

from waypost.access.policy import Action, require
from waypost.connect.alerts import registry, selectors
from waypost.connect.alerts.models import AlertPreference, AllyAlert, Rhythm
from waypost.connect.models import AllyLink

if TYPE_CHECKING:
    from waypost.accounts.models import User
    from waypost.core.models import TimelineEvent

#: An event recorded with a time further back than this (backdated demo data, an
#: import) is history, not news: it raises no alert.
RAISE_WINDOW = timedelta(days=1)


def raise_alerts(*, event: TimelineEvent, now: datetime | None = None) -> list[AllyAlert]:
    """Raise the alerts this event means for the client's allies; return the new ones.

    Called through ``core.events.listen`` once the event is committed. One alert per
    ally whose open link allows the kind's scope, per kind the event raises (none for
    a kind no app registered). Idempotent: the same event again raises nothing more.
    Alerts due at once (an urgent kind, or an ally who chose "straight away") are
    queued for sending when this transaction commits; the rest wait for the digest.
    """
    kinds = registry.for_event(event.kind)
    now = now or timezone.now()
    if not kinds or event.created_at < now - RAISE_WINDOW:
        return []
    links = list(
        AllyLink.objects.filter(
            enrollment_id=event.enrollment_id, ended_at__isnull=True
        ).select_related("alert_preference")
    )
    wanted = [
        AllyAlert(
            link=link, event=event, kind=kind.key, scope=kind.scope, raised_at=event.created_at
        )
        for kind in kinds
        for link in links
        if link.allows(kind.scope)
    ]
    if not wanted:
        return []
    with transaction.atomic():
        existing = set(AllyAlert.objects.filter(event=event).values_list("link_id", "kind"))
        new = [alert for alert in wanted if (alert.link_id, alert.kind) not in existing]
        # A run at the same moment may have stored some: the unique rule keeps one.
        AllyAlert.objects.bulk_create(new, ignore_conflicts=True)
        pairs = {(alert.link_id, alert.kind) for alert in new}
        raised = [
            alert
            for alert in AllyAlert.objects.filter(
                event=event,
                status=AllyAlert.Status.PENDING,
                link_id__in=[link_id for link_id, _kind in pairs],
            ).select_related("link__alert_preference")
            if (alert.link_id, alert.kind) in pairs
        ]
        by_key = {kind.key: kind for kind in kinds}
        due_now = [
            alert.pk
            for alert in raised
            if by_key[alert.kind].urgent or selectors.rhythm_of(alert.link) == Rhythm.IMMEDIATE
        ]
        if due_now:
            transaction.on_commit(lambda: _queue_sending(due_now))
    return raised


def _queue_sending(alert_ids: list[int]) -> None:
    from waypost.connect.alerts import tasks

    for alert_id in alert_ids:
        tasks.send_alert(alert_id)


def set_rhythm(*, link: AllyLink, rhythm: str, by: User) -> AlertPreference:
    """The ally chooses how often they hear about this person's updates.

    Only the ally of the open link (``Action.SET_ALLY_ALERTS``). Applies to alerts
    already waiting too: they go at the new rhythm's next time.
    """
    require(by, Action.SET_ALLY_ALERTS, link)
    chosen = Rhythm(rhythm)
    preference, _created = AlertPreference.objects.update_or_create(
        link=link, defaults={"rhythm": chosen.value, "updated_at": timezone.now()}
    )
    return preference
