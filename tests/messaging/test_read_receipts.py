"""Read receipts: opening the thread marks the other side's messages read, shown discreetly."""

from __future__ import annotations

from datetime import UTC, datetime, timedelta

import pytest
import time_machine
from django.urls import reverse

from tests.assessments.helpers import sign_in
from tests.messaging.helpers import send
from waypost.caseload.messages.models import Message

pytestmark = pytest.mark.django_db

NOON = datetime(2030, 3, 4, 5, 6, tzinfo=UTC)


def test_opening_the_thread_marks_only_the_other_sides_messages_read(client, cast):
    with time_machine.travel(NOON - timedelta(hours=1), tick=False) as clock:
        from_client = send(cast, cast.client, "Question").message
        from_clinician = send(cast, cast.clinician, "Answer").message
        sign_in(client, cast.clinician)
        clock.move_to(NOON)
        assert client.get(reverse("messaging:thread", args=[cast.enrollment.pk])).status_code == 200
    from_client.refresh_from_db()
    from_clinician.refresh_from_db()
    assert from_client.read_at == NOON
    assert from_clinician.read_at is None


def test_the_sender_sees_read_with_the_time_in_their_zone(client, cast):
    message = send(cast, cast.client, "Question").message
    sign_in(client, cast.client)
    assert "Sent" in client.get(reverse("messaging:mine")).content.decode()
    Message.objects.filter(pk=message.pk).update(read_at=NOON)
    page = client.get(reverse("messaging:mine")).content.decode()
    # North clinic is in Singapore (UTC+8): 05:06 UTC reads 13:06
    assert "Read 4 Mar, 13:06" in page


def test_a_second_opening_keeps_the_first_read_time(client, cast):
    with time_machine.travel(NOON, tick=False) as clock:
        message = send(cast, cast.clinician, "Hello").message
        sign_in(client, cast.client)
        client.get(reverse("messaging:mine"))
        clock.shift(timedelta(hours=2))
        client.get(reverse("messaging:mine"))
    message.refresh_from_db()
    assert message.read_at == NOON
