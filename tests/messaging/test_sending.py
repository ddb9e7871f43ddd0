"""A client and their clinician write to each other: kept once, encrypted, audited."""

from __future__ import annotations

import uuid

import pytest
from django.core.exceptions import PermissionDenied
from django.urls import reverse

from tests.assessments.helpers import sign_in
from tests.messaging.helpers import post_message, raw_body, send
from waypost.caseload.messages import services
from waypost.caseload.messages.models import BODY_MAX_LENGTH, Message
from waypost.core.models import AuditEvent

pytestmark = pytest.mark.django_db


def test_a_client_sends_a_message_and_the_clinician_reads_it(client, cast):
    # given the client on their messages page
    sign_in(client, cast.client)
    # when they send a message
    response = post_message(client, reverse("messaging:mine"), "Can we talk about Friday?")
    # then it is kept in their thread, from them
    assert response.status_code == 302
    message = Message.objects.get()
    assert message.enrollment == cast.enrollment and message.from_client
    assert message.sender == cast.client and message.read_at is None
    # and the clinician sees it on the client's thread
    sign_in(client, cast.clinician)
    page = client.get(reverse("messaging:thread", args=[cast.enrollment.pk]))
    assert "Can we talk about Friday?" in page.content.decode()


def test_the_clinician_replies_and_the_client_sees_the_reply(client, cast):
    send(cast, cast.client, "A question")
    sign_in(client, cast.clinician)
    response = post_message(
        client, reverse("messaging:thread", args=[cast.enrollment.pk]), "Yes, on Friday."
    )
    assert response.status_code == 302
    reply = Message.objects.get(from_client=False)
    assert reply.sender == cast.clinician
    sign_in(client, cast.client)
    assert "Yes, on Friday." in client.get(reverse("messaging:mine")).content.decode()


def test_a_message_is_encrypted_at_rest(cast):
    sent = send(cast, cast.client, "Something private about my week")
    raw = raw_body(sent.message.pk)
    assert raw.startswith("fernet:") and "private" not in raw
    assert Message.objects.get().body == "Something private about my week"


def test_the_same_client_uuid_keeps_one_message(client, cast):
    key = str(uuid.uuid4())
    sign_in(client, cast.client)
    url = reverse("messaging:mine")
    post_message(client, url, "Only once, please", key)
    post_message(client, url, "Only once, please", key)
    assert Message.objects.count() == 1
    # the service says the second was not new
    again = services.send_message(
        enrollment=cast.enrollment, by=cast.client, body="Only once, please", client_uuid=key
    )
    assert not again.created and Message.objects.count() == 1


@pytest.mark.parametrize(
    ("body", "client_uuid", "words"),
    [
        ("   ", None, "Please write your message first."),
        ("x" * (BODY_MAX_LENGTH + 1), None, "Please keep a message under"),
        ("Hello", "not-a-uuid", "The page was out of date"),
    ],
    ids=["empty", "too long", "bad uuid"],
)
def test_bad_input_says_what_to_change_and_saves_nothing(client, cast, body, client_uuid, words):
    sign_in(client, cast.client)
    response = client.post(
        reverse("messaging:mine"), {"body": body, "client_uuid": client_uuid or str(uuid.uuid4())}
    )
    assert response.status_code == 400
    assert words in response.content.decode()
    assert not Message.objects.exists()


def test_the_service_refuses_bad_input_too(cast):
    with pytest.raises(services.MessageError) as empty:
        send(cast, cast.client, "")
    assert empty.value.code == services.MessageErrorCode.EMPTY
    with pytest.raises(services.MessageError) as long:
        send(cast, cast.client, "y" * (BODY_MAX_LENGTH + 1))
    assert long.value.code == services.MessageErrorCode.TOO_LONG
    with pytest.raises(services.MessageError) as bad:
        send(cast, cast.client, "Hi", client_uuid="nope")
    assert bad.value.code == services.MessageErrorCode.BAD_UUID
    assert not Message.objects.exists()


@pytest.mark.parametrize("who", ["other_clinician", "foreign_clinician", "admin", "ally_all"])
def test_only_the_client_and_their_clinician_may_send(cast, who):
    with pytest.raises(PermissionDenied):
        send(cast, getattr(cast, who), "Hi")
    assert not Message.objects.exists()


def test_the_timeline_says_a_message_was_sent_but_not_its_words(cast):
    send(cast, cast.client, "My words stay in the thread")
    event = cast.enrollment.timeline.get(kind="messaging.message_sent")
    assert "words" not in event.summary
    assert event.summary == "Sent a message to the clinician"


def test_a_clinicians_reading_is_audited_and_their_message_too(client, cast):
    send(cast, cast.client, "Hello")
    sign_in(client, cast.clinician)
    client.get(reverse("messaging:thread", args=[cast.enrollment.pk]))
    assert AuditEvent.objects.filter(
        actor=cast.clinician, client=cast.client, action="view", what="secure messages"
    ).exists()
    send(cast, cast.clinician, "Hi Sam")
    assert AuditEvent.objects.filter(
        actor=cast.clinician, client=cast.client, action="change", what="secure message"
    ).exists()


def test_another_clinician_is_refused_and_it_is_audited(client, cast):
    send(cast, cast.client, "Hello")
    sign_in(client, cast.other_clinician)
    response = client.get(reverse("messaging:thread", args=[cast.enrollment.pk]))
    assert response.status_code == 404
    assert "Hello" not in response.content.decode()
    assert AuditEvent.objects.filter(actor=cast.other_clinician, client=cast.client).exists()


def test_every_message_page_says_it_is_not_watched_around_the_clock(client, cast):
    for user, url in (
        (cast.client, reverse("messaging:mine")),
        (cast.clinician, reverse("messaging:thread", args=[cast.enrollment.pk])),
    ):
        sign_in(client, user)
        page = client.get(url).content.decode()
        assert "not watched around the clock" in page
        assert f'href="{reverse("help")}"' in page
