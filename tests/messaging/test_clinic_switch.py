"""A clinic can turn messages off: pages say so kindly, old messages stay readable."""

from __future__ import annotations

import pytest
from django.urls import reverse

from tests.assessments.helpers import sign_in
from tests.messaging.helpers import post_message, send
from waypost.caseload.messages import services
from waypost.caseload.messages.models import Message

pytestmark = pytest.mark.django_db


def _turn_off(client, cast):
    sign_in(client, cast.admin)
    response = client.post(reverse("messaging:clinic_settings", args=[cast.clinic.slug]), {})
    assert response.status_code == 302
    assert not services.is_enabled(cast.clinic.pk)


def test_an_admin_turns_messages_off_and_on(client, cast):
    _turn_off(client, cast)
    page = client.get(reverse("messaging:clinic_settings", args=[cast.clinic.slug]))
    assert "Secure messages are off" in page.content.decode()
    client.post(reverse("messaging:clinic_settings", args=[cast.clinic.slug]), {"enabled": "on"})
    assert services.is_enabled(cast.clinic.pk)
    # the other clinic was never touched
    assert services.is_enabled(cast.other_clinic.pk)


def test_when_off_the_client_reads_old_messages_and_is_pointed_elsewhere(client, cast):
    send(cast, cast.clinician, "An earlier reply")
    cast.clinic.contact_phone = "+65 6000 0000"
    cast.clinic.save(update_fields=["contact_phone"])
    _turn_off(client, cast)
    sign_in(client, cast.client)
    page = client.get(reverse("messaging:mine")).content.decode()
    assert "An earlier reply" in page
    assert "Messages are turned off for now" in page
    assert "+65 6000 0000" in page and f'href="{reverse("help")}"' in page
    assert "<textarea" not in page


def test_when_off_nothing_can_be_sent(client, cast):
    _turn_off(client, cast)
    sign_in(client, cast.client)
    response = post_message(client, reverse("messaging:mine"), "Hello?")
    assert response.status_code == 400
    assert not Message.objects.exists()
    with pytest.raises(services.MessageError) as refused:
        send(cast, cast.clinician, "Hi")
    assert refused.value.code == services.MessageErrorCode.TURNED_OFF


def test_the_clinic_page_is_among_the_admins_tabs(client, cast):
    sign_in(client, cast.admin)
    page = client.get(reverse("clinics:manage_index")).content.decode()
    assert reverse("messaging:clinic_settings", args=[cast.clinic.slug]) in page
