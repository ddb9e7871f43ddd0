"""The demo's ally updates: Hui Min (client 2's partner) also gets "I need support now".

Client 2 asked for support three hours ago, with a short message; the Shield silence
the demo raised two days ago reached Hui Min too. Both show on her Updates page as
already e-mailed. (History written backdated raises no alert by itself, and the demo
runs no worker, so they are raised and marked sent here.)
"""

from __future__ import annotations

import uuid
from datetime import timedelta
from typing import TYPE_CHECKING

from django.db.models import F

from waypost.connect.alerts import registry, services, support
from waypost.connect.alerts.models import AllyAlert
from waypost.connect.models import AllyLink
from waypost.connect.services import set_consent

if TYPE_CHECKING:
    from waypost.demo import DemoContext

DEMO_ALLY = "ally@demo.waypost.test"
MESSAGE = "Rough evening after work. Could you call me when you’re free?"


def load(context: DemoContext) -> None:
    enrollment = context.client(2)
    link = AllyLink.objects.filter(
        enrollment=enrollment, ally__email=DEMO_ALLY, ended_at__isnull=True
    ).first()
    if link is None:
        return
    client = enrollment.client
    set_consent(link=link, scopes=[*link.scopes, support.SCOPE], by=client)
    support.request_support(
        enrollment=enrollment,
        by=client,
        client_uuid=uuid.uuid5(uuid.NAMESPACE_URL, "waypost-demo/support/1"),
        message=MESSAGE,
        at=context.now - timedelta(hours=3),
    )
    event_kinds = {kind.event_kind for kind in registry.kinds()}
    for event in enrollment.timeline.filter(kind__in=event_kinds):
        services.raise_alerts(event=event, now=event.created_at)
    AllyAlert.objects.filter(link=link).update(status=AllyAlert.Status.SENT, done_at=F("raised_at"))
