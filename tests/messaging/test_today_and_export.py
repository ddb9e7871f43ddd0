"""Messages from Today and in "download my data"."""

from __future__ import annotations

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse

from tests.assessments.helpers import sign_in
from tests.messaging.helpers import send
from waypost.caseload.messages import exports, services

pytestmark = pytest.mark.django_db


def test_an_unread_reply_is_a_next_step_on_today(client, cast):
    send(cast, cast.clinician, "How did Tuesday go?")
    sign_in(client, cast.client)
    page = client.get(reverse("program:today")).content.decode()
    assert "A new message" in page and reverse("messaging:mine") in page
    assert "How did Tuesday go?" not in page
    # once read, Today keeps quiet about messages (the way to them is on Me)
    client.get(reverse("messaging:mine"))
    page = client.get(reverse("program:today")).content.decode()
    assert "A new message" not in page
    assert reverse("messaging:mine") not in page


def test_messages_add_no_query_to_today(client, cast):
    sign_in(client, cast.client)
    client.get(reverse("program:today"))
    with CaptureQueriesContext(connection) as before:
        client.get(reverse("program:today"))
    for n in range(5):
        send(cast, cast.clinician, f"Note {n}")
    with CaptureQueriesContext(connection) as after:
        client.get(reverse("program:today"))
    assert len(before.captured_queries) == len(after.captured_queries) <= 8


def test_the_me_tab_holds_the_messages_page(client, cast):
    sign_in(client, cast.client)
    page = client.get(reverse("messaging:mine")).content.decode()
    assert f'href="{reverse("accounts:account")}" aria-current="page"' in page


def test_download_my_data_has_every_message_with_its_read_time(cast):
    send(cast, cast.client, "My question")
    send(cast, cast.clinician, "The answer")
    services.mark_read(enrollment=cast.enrollment, reader=cast.client)
    rows = exports.messages(cast.client)
    assert [(r["from"], r["text"]) for r in rows] == [
        ("You", "My question"),
        (cast.clinician.name, "The answer"),
    ]
    assert rows[0]["read_at"] is None and rows[1]["read_at"] is not None
    # nobody else's messages
    assert exports.messages(cast.foreign_client) == []
