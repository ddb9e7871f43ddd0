"""Web push for clinicians, clinic admins and allies, not only clients.

Each of them turns a device on through the same endpoint a client uses, and what they
are told about reaches it through the real push service path: a small push service on
127.0.0.1 receives the request and the test decrypts it as the browser would
(``tests/notifications/test_push.py`` has the push service and the device's keys).
Pages for them ask for the worker in push-only mode (``data-push-only``), a client's
pages for the worker that keeps pages (``data-offline-user``); the browser side is
``tests/e2e/test_push_worker.py``.
"""

from __future__ import annotations

import json
from datetime import datetime, time
from zoneinfo import ZoneInfo

import pytest
import time_machine
from django.urls import reverse
from django.utils import timezone

from tests.notifications.helpers import quiet
from tests.notifications.test_push import Device, PushService, b64url
from waypost.accounts.notifications import is_quiet
from waypost.notifications.models import Notification, PushSubscription

pytestmark = pytest.mark.django_db

CHOICES = reverse("notifications:choices")
TURN_ON = "Turn on notifications on this device"
# A Tuesday, 09:00 in Singapore (the cast's clinic): in everyone's waking hours.
MORNING = datetime(2026, 6, 2, 9, 0, tzinfo=ZoneInfo("Asia/Singapore"))


@pytest.fixture
def service(settings):
    settings.WAYPOST_PUSH_ALLOW_LOOPBACK = True
    with PushService() as running:
        yield running


def turn_on(client, user, device: Device):
    """Sign in as ``user`` and give Waypost this device, as push.js does."""
    client.force_login(user)
    return client.post(
        reverse("notifications:device_on"),
        json.dumps(
            {
                "endpoint": device.endpoint,
                "keys": {"p256dh": device.p256dh, "auth": b64url(device.auth)},
            }
        ),
        content_type="application/json",
    )


def only_request(service: PushService) -> dict:
    (request,) = service.received
    request["headers"] = {k.lower(): v for k, v in request["headers"].items()}
    return request


# --- turning a device on --------------------------------------------------------------------


@pytest.mark.parametrize("who", ["clinician", "admin", "ally_all", "ally_none"])
def test_staff_and_allies_can_turn_a_device_on(cast, client, service, who):
    # given someone who is not a client
    user = cast.role(who)
    device = Device(service.origin + f"/push/{who}")
    # when they turn notifications on for this device
    response = turn_on(client, user, device)
    # then Waypost keeps it for them
    assert response.status_code == 200, response.content
    assert response.json()["message"] == "Notifications are on for this device."
    assert PushSubscription.objects.get().user == user


def test_someone_who_gets_nothing_is_not_offered_push(cast, client, service):
    # an ally whose only link has ended gets no kind of notification
    response = turn_on(client, cast.ally_ended, Device(service.origin + "/push/ended"))
    assert response.status_code == 403
    assert response.json()["code"] == "push_not_offered"
    assert not PushSubscription.objects.exists()
    page = client.get(CHOICES).content.decode()
    assert TURN_ON not in page


# --- what arrives -----------------------------------------------------------------------------


def test_a_clinician_gets_a_risk_alert_on_their_device_at_once(
    cast, client, service, django_capture_on_commit_callbacks
):
    from waypost.safety.services import raise_alert

    # given the client's clinician turned on one device, and is in quiet hours
    device = Device(service.origin + "/push/clinician")
    assert turn_on(client, cast.clinician, device).status_code == 200
    with time_machine.travel(MORNING.replace(hour=3), tick=False):
        quiet(cast.clinician, time(22, 0), time(7, 0))
        assert is_quiet(cast.clinician, timezone.now(), fallback_time_zone="Asia/Singapore")
        # when something the client wrote raises a risk alert
        with django_capture_on_commit_callbacks(execute=True):
            raise_alert(
                enrollment=cast.enrollment,
                kind="critical_answer",
                summary="A critical answer on a questionnaire.",
                source_label="Questionnaire",
            )
    # then it reaches their device at once, urgent, and says nothing about what it is
    request = only_request(service)
    assert request["path"] == "/push/clinician"
    assert request["headers"]["urgency"] == "high"
    message = device.read(request["body"])
    assert message == {
        "title": "Waypost",
        "body": "You have something new.",
        "url": reverse("safety:inbox"),
        "icon": message["icon"],
        "tag": message["tag"],
    }
    row = Notification.objects.get(user=cast.clinician, kind="safety.risk_alert")
    assert row.push == Notification.Push.SENT


def test_an_ally_gets_an_update_on_their_device(
    cast, client, service, django_capture_on_commit_callbacks
):
    from waypost.connect.alerts import services as alert_services
    from waypost.connect.alerts.models import Rhythm
    from waypost.core import events
    from waypost.shield import silence

    # given an ally who shares the Shield scope, chose "straight away", and turned a device on
    link = cast.links["shield"]
    ally = link.ally
    device = Device(service.origin + "/push/ally")
    with time_machine.travel(MORNING, tick=False):
        assert turn_on(client, ally, device).status_code == 200
        alert_services.set_rhythm(link=link, rhythm=Rhythm.IMMEDIATE, by=ally)
        # when something they may hear about happens (a device of the client went silent)
        with django_capture_on_commit_callbacks(execute=True):
            events.record(
                enrollment=cast.enrollment,
                kind=silence.SILENT,
                actor=None,
                data={"device": "Laptop", "hours": 30, "never": False},
            )
    # then the update reaches their device, discreetly, linking to their updates page
    request = only_request(service)
    assert request["path"] == "/push/ally"
    assert request["headers"]["urgency"] == "normal"
    message = device.read(request["body"])
    assert message["title"] == "Waypost" and message["body"] == "You have something new."
    assert message["url"] == f"/ally/{link.pk}/updates/"
    assert "Sam" not in json.dumps(message) and "shield" not in json.dumps(message).lower()
    assert Notification.objects.get(user=ally).kind == "ally.updates"


# --- the choices page -------------------------------------------------------------------------


def test_a_clinician_is_offered_push_for_what_they_hear_about(cast, client):
    client.force_login(cast.clinician)
    page = client.get(CHOICES).content.decode()
    assert TURN_ON in page and 'src="/static/notifications/push.js"' in page
    assert "keeps none of the pages you open on this device" in page
    assert 'name="messages-new__push"' in page
    # risk alerts stay always on, and list the devices among their channels
    risk = page[page.index("<legend>Risk alerts</legend>") :]
    risk = risk[: risk.index("</fieldset>")]
    assert "On my devices" in risk and 'name="safety-risk_alert__push"' not in risk


def test_a_clinic_admin_is_offered_push_for_alerts_passed_on(cast, client):
    client.force_login(cast.admin)
    page = client.get(CHOICES).content.decode()
    assert TURN_ON in page
    passed_on = page[page.index("<legend>Alerts passed on to you</legend>") :]
    assert "On my devices" in passed_on[: passed_on.index("</fieldset>")]


def test_an_ally_is_offered_push_and_can_choose_it(cast, client):
    client.force_login(cast.ally_all)
    page = client.get(CHOICES).content.decode()
    assert TURN_ON in page
    assert 'name="ally-updates__push"' in page and 'name="ally-support__push"' in page
    # when they untick push for updates, it is kept so
    response = client.post(
        CHOICES,
        {
            "ally-updates__in_app": "on",
            "ally-updates__email": "on",
            "ally-support__in_app": "on",
            "ally-support__push": "on",
        },
    )
    assert response.status_code == 302
    page = client.get(CHOICES).content.decode()
    assert 'name="ally-updates__push" id="id_ally-updates__push"' in page
    assert 'name="ally-updates__push" id="id_ally-updates__push" checked' not in page
    assert 'name="ally-support__push" id="id_ally-support__push" checked' in page


def test_a_client_is_not_told_their_pages_stay_off_the_device(cast, client):
    client.force_login(cast.client)
    page = client.get(CHOICES).content.decode()
    assert TURN_ON in page
    assert "keeps none of the pages" not in page


# --- which worker a page asks for ---------------------------------------------------------------


@pytest.mark.parametrize("who", ["clinician", "admin", "ally_all", "ally_ended"])
def test_pages_for_anyone_but_a_client_ask_for_the_push_only_worker(cast, client, who):
    client.force_login(cast.role(who))
    body = _body(client.get(reverse("notifications:list")).content.decode())
    assert "data-push-only" in body and "data-offline-user" not in body


def test_a_clients_pages_ask_for_the_worker_that_keeps_pages(cast, client):
    client.force_login(cast.client)
    body = _body(client.get(reverse("notifications:list")).content.decode())
    assert f'data-offline-user="{cast.client.pk}"' in body and "data-push-only" not in body


def test_nobody_signed_in_gets_no_worker(client):
    body = _body(client.get("/login/").content.decode())
    assert "data-push-only" not in body and "data-offline-user" not in body


def _body(html: str) -> str:
    start = html.index("<body")
    return html[start : html.index(">", start) + 1]
