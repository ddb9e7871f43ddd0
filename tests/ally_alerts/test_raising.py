"""Each kind of alert reaches the allies whose link allows its scope, and nobody else."""

from __future__ import annotations

from datetime import timedelta

import pytest
from django.utils import timezone

from waypost.connect.alerts import registry, support
from waypost.connect.alerts.models import AllyAlert
from waypost.connect.services import set_consent
from waypost.core import events
from waypost.recovery import events as recovery_events
from waypost.shield import silence

from .conftest import new_uuid

pytestmark = pytest.mark.django_db


def alerted(cast) -> set[str]:
    """Which cast allies got an alert, by the name of their link."""
    names = {link.pk: name for name, link in cast.links.items()}
    return {names[link_id] for link_id in AllyAlert.objects.values_list("link_id", flat=True)}


def test_a_lapse_alerts_the_allies_who_share_lapses(lapses_scope, cast, clock, commit):
    # when the client logs a lapse
    with commit():
        events.record(
            enrollment=cast.enrollment,
            kind=recovery_events.LAPSE_LOGGED,
            actor=cast.client,
            data={"day": "2026-06-01"},
        )
    # then the allies sharing "lapses" hear of it; nobody else, not the ended link
    assert alerted(cast) == {"lapses", "all"}
    alert = AllyAlert.objects.get(link=cast.links["lapses"])
    assert (alert.kind, alert.scope, alert.status) == ("recovery.lapse_logged", "lapses", "pending")


def test_a_silent_device_alerts_the_allies_who_share_shield(cast, clock, commit):
    with commit():
        events.record(
            enrollment=cast.enrollment,
            kind=silence.SILENT,
            actor=None,
            data={"device": "Laptop", "hours": 30, "never": False},
        )
    assert alerted(cast) == {"shield", "all"}
    assert set(AllyAlert.objects.values_list("kind", flat=True)) == {"shield.silent"}


def test_a_request_for_support_alerts_the_allies_who_share_support(cast, clock, commit):
    with commit():
        support.request_support(enrollment=cast.enrollment, by=cast.client, client_uuid=new_uuid())
    assert alerted(cast) == {"support", "all"}


def test_other_events_alert_nobody(cast, clock, commit):
    with commit():
        set_consent(link=cast.links["none"], scopes=["journey"], by=cast.client)
    assert not AllyAlert.objects.exists()


def test_the_same_event_twice_raises_one_alert_per_ally(cast, clock, commit):
    from waypost.connect.alerts import services

    with commit():
        event = events.record(
            enrollment=cast.enrollment,
            kind=silence.SILENT,
            actor=None,
            data={"device": "Laptop", "hours": 30, "never": False},
        )
    again = services.raise_alerts(event=event)
    assert again == []
    assert AllyAlert.objects.count() == 2


def test_a_change_that_is_rolled_back_alerts_nobody(
    cast, clock, django_capture_on_commit_callbacks
):
    with django_capture_on_commit_callbacks(execute=False):
        events.record(
            enrollment=cast.enrollment,
            kind=silence.SILENT,
            actor=None,
            data={"device": "Laptop", "hours": 30, "never": False},
        )
    # (the callbacks were never run: as if the transaction rolled back)
    assert not AllyAlert.objects.exists()


def test_backdated_history_is_not_news(cast, clock, commit):
    # e.g. demo data, written as if it happened two days ago
    with commit():
        events.record(
            enrollment=cast.enrollment,
            kind=silence.SILENT,
            actor=None,
            data={"device": "Laptop", "hours": 30, "never": False},
            at=timezone.now() - timedelta(days=2),
        )
    assert not AllyAlert.objects.exists()


def test_an_alert_kind_is_registered_once_and_listens_to_its_event_kind():
    kind = registry.get("shield.silent")
    assert kind is not None and kind.scope == "shield" and kind.event_kind == silence.SILENT
    assert registry.register(kind) is kind  # the same again: fine
    with pytest.raises(ValueError):
        registry.register(
            registry.AlertKind(
                key="shield.silent", scope="other", event_kind=silence.SILENT, label="x", text="x"
            )
        )
    from waypost.core import events as core_events

    assert registry._raise_alerts in core_events.listeners(silence.SILENT)
    assert registry._raise_alerts in core_events.listeners(recovery_events.LAPSE_LOGGED)
