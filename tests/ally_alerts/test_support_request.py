""" "I need support now": one tap tells the allies the client chose, once, kindly paced."""

from __future__ import annotations

import re
import uuid
from datetime import timedelta

import pytest
from django.core import mail
from django.db import connection
from django.template.loader import render_to_string
from django.test import RequestFactory
from django.urls import reverse

from waypost.connect.alerts import events as alert_events
from waypost.connect.alerts import support
from waypost.connect.alerts.models import AllyAlert, SupportRequest
from waypost.connect.services import set_consent
from waypost.core import nav, panels

pytestmark = pytest.mark.django_db

URL = "/connect/support/"


def ask(cast, message="", client_uuid=None):
    return support.request_support(
        enrollment=cast.enrollment,
        by=cast.client,
        client_uuid=client_uuid or uuid.uuid4(),
        message=message,
    )


def nobody_shares_support(cast):
    for name in ("support", "all"):
        link = cast.links[name]
        set_consent(link=link, scopes=[s for s in link.scopes if s != "support"], by=cast.client)


# --- the service ------------------------------------------------------------------------


def test_the_same_request_sent_twice_is_stored_and_sent_once(cast, clock, commit):
    key = uuid.uuid4()
    with commit():
        first = ask(cast, "Rough evening.", client_uuid=key)
    with commit():
        again = ask(cast, "Rough evening.", client_uuid=key)
    assert again.pk == first.pk
    assert SupportRequest.objects.count() == 1
    assert cast.enrollment.timeline.filter(kind=alert_events.SUPPORT_REQUESTED).count() == 1
    assert AllyAlert.objects.count() == 2
    assert len(mail.outbox) == 2


def test_one_request_every_five_minutes(cast, clock):
    ask(cast)
    clock.shift(timedelta(minutes=4, seconds=59))
    with pytest.raises(support.TooSoon) as refused:
        ask(cast)
    assert refused.value.code == "support_too_soon"
    assert SupportRequest.objects.count() == 1
    clock.shift(timedelta(seconds=1))
    ask(cast)
    assert SupportRequest.objects.count() == 2


def test_the_message_is_encrypted_at_rest_and_kept_off_the_timeline(cast, clock):
    sent = ask(cast, "Could you call me tonight?")
    with connection.cursor() as cursor:
        cursor.execute("SELECT message FROM ally_alerts_supportrequest WHERE id = %s", [sent.pk])
        (raw,) = cursor.fetchone()
    assert raw.startswith("fernet:")
    assert "call me" not in raw
    assert SupportRequest.objects.get(pk=sent.pk).message == "Could you call me tonight?"
    event = cast.enrollment.timeline.get(kind=alert_events.SUPPORT_REQUESTED)
    assert event.data == {"request": sent.pk, "allies": 2}
    assert event.detail == ""
    assert event.summary == "Asked 2 allies for support"


def test_a_message_longer_than_280_characters_is_refused(cast, clock):
    with pytest.raises(support.SupportError) as refused:
        ask(cast, "x" * 281)
    assert refused.value.code == "support_too_long"
    assert not SupportRequest.objects.exists()


def test_with_nobody_to_tell_nothing_is_stored(cast, clock):
    nobody_shares_support(cast)
    with pytest.raises(support.SupportError) as refused:
        ask(cast)
    assert refused.value.code == "support_no_allies"
    assert not SupportRequest.objects.exists()


def test_only_the_client_may_ask(cast, clock):
    from django.core.exceptions import PermissionDenied

    for someone in (cast.clinician, cast.ally_all):
        with pytest.raises(PermissionDenied):
            support.request_support(
                enrollment=cast.enrollment, by=someone, client_uuid=uuid.uuid4()
            )


# --- the pages --------------------------------------------------------------------------


def test_the_page_says_who_will_get_it_and_sends(cast, clock, client, commit):
    client.force_login(cast.client)
    page = client.get(URL)
    text = page.content.decode()
    assert "Who will get it" in text
    assert "Ally support" in text and "Alex Everything" in text
    assert "Nell Nothing" not in text and "Eddie Ended" not in text
    key = re.search(r'name="client_uuid" value="([^"]+)"', text).group(1)
    with commit():
        response = client.post(URL, {"client_uuid": key, "message": "Hard evening."})
    sent = SupportRequest.objects.get()
    assert response.status_code == 302
    assert response["Location"] == reverse("ally_alerts:support_sent", args=[sent.pk])
    assert sent.message == "Hard evening."
    # a second tap of the same form goes to the same place and sends nothing more
    with commit():
        again = client.post(URL, {"client_uuid": key, "message": "Hard evening."})
    assert again["Location"] == response["Location"]
    assert len(mail.outbox) == 2


def test_after_sending_a_warm_line_and_the_crisis_lines_one_tap_away(cast, clock, client):
    sent = ask(cast, "Hard evening.")
    client.force_login(cast.client)
    text = client.get(reverse("ally_alerts:support_sent", args=[sent.pk])).content.decode()
    assert "Reaching out is a brave and good thing to do." in text
    assert "Ally support" in text and "Alex Everything" in text
    assert "North crisis line" in text and 'href="tel:1767"' in text
    assert "Hard evening." in text


def test_a_second_request_within_five_minutes_is_explained(cast, clock, client):
    ask(cast, "First.")
    client.force_login(cast.client)
    page = client.get(URL).content.decode()
    assert "one message can go every 5 minutes" in page
    assert 'name="message"' not in page
    response = client.post(URL, {"client_uuid": str(uuid.uuid4()), "message": "Second."})
    assert response.status_code == 400
    assert "you can send another from" in response.content.decode()
    assert SupportRequest.objects.count() == 1


def test_with_nobody_to_tell_the_page_says_so_kindly(cast, clock, client):
    nobody_shares_support(cast)
    client.force_login(cast.client)
    text = client.get(URL).content.decode()
    assert "Nobody gets these messages yet" in text
    assert reverse("connect:allies") in text
    assert "North crisis line" in text
    assert 'name="message"' not in text
    response = client.post(URL, {"client_uuid": str(uuid.uuid4())})
    assert response.status_code == 400
    assert not SupportRequest.objects.exists()


def test_a_too_long_message_is_refused_on_the_page(cast, clock, client):
    client.force_login(cast.client)
    response = client.post(URL, {"client_uuid": str(uuid.uuid4()), "message": "x" * 281})
    assert response.status_code == 400
    assert not SupportRequest.objects.exists()


def test_someone_elses_request_is_not_found(cast, clock, client):
    sent = ask(cast)
    client.force_login(cast.foreign_client)
    assert client.get(reverse("ally_alerts:support_sent", args=[sent.pk])).status_code == 404


def test_get_help_now_has_the_door_for_clients_only(cast, client):
    client.force_login(cast.client)
    assert f'href="{URL}"' in client.get("/help/").content.decode()
    client.force_login(cast.clinician)
    assert f'href="{URL}"' not in client.get("/help/").content.decode()
    client.logout()
    assert f'href="{URL}"' not in client.get("/help/").content.decode()


def test_the_connect_page_panel_has_the_button(cast):
    request = RequestFactory().get("/connect/")
    request.user = cast.client
    (panel,) = [p for p in panels.panels_for("client_connect") if p.key == "ally_alerts.support"]
    html = render_to_string(
        panel.template, panel.context(request, cast.enrollment) or {}, request=request
    )
    assert f'href="{URL}"' in html
    assert "Alex Everything" in html
    # and it is a page of Connect
    assert nav.tab_for_view("ally_alerts:support") == "connect"
    assert nav.tab_for_view("ally_alerts:support_sent") == "connect"


def test_the_ally_sees_the_requests_that_reached_them_in_their_section(cast, clock, client):
    ask(cast, "Could you call me tonight?")
    client.force_login(cast.allies["support"])
    link = cast.links["support"]
    text = client.get(reverse("connect:ally_shared", args=[link.pk])).content.decode()
    assert "Could you call me tonight?" in text
    # an ally without the scope sees no such section
    client.force_login(cast.allies["journey"])
    other = cast.links["journey"]
    text = client.get(reverse("connect:ally_shared", args=[other.pk])).content.decode()
    assert "Could you call me tonight?" not in text
