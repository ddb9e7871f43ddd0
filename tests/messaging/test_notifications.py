"""E-mail about a new message: discreet, once per thread, never in quiet hours."""

from __future__ import annotations

from datetime import UTC, datetime, time, timedelta

import pytest
import time_machine
from django.core import mail

from tests.messaging.helpers import send
from waypost.caseload.messages import services, tasks
from waypost.caseload.messages.models import Message

pytestmark = pytest.mark.django_db

# 03:00 UTC is 11:00 in Singapore, the North clinic's zone
MORNING = datetime(2030, 5, 6, 3, 0, tzinfo=UTC)


def test_the_clinician_gets_a_discreet_mail(cast, django_capture_on_commit_callbacks):
    with django_capture_on_commit_callbacks(execute=True):
        send(cast, cast.client, "Something about my urges last night", notify=True)
    assert len(mail.outbox) == 1
    sent = mail.outbox[0]
    assert sent.subject == "Waypost: you have a new message"
    assert sent.to == [cast.clinician.email]
    assert "urges" not in sent.body and cast.client.name not in sent.body
    assert Message.objects.get().mail == Message.Mail.SENT


def test_the_client_gets_a_mail_about_a_reply(cast, django_capture_on_commit_callbacks):
    with django_capture_on_commit_callbacks(execute=True):
        send(cast, cast.clinician, "See you Friday", notify=True)
    assert [m.to for m in mail.outbox] == [[cast.client.email]]
    assert "/messages/" in mail.outbox[0].body


def test_in_quiet_hours_the_mail_waits_until_they_end(cast, django_capture_on_commit_callbacks):
    cast.clinician.quiet_hours_start = time(10, 0)
    cast.clinician.quiet_hours_end = time(12, 0)
    cast.clinician.time_zone = "Asia/Singapore"
    cast.clinician.save()
    with time_machine.travel(MORNING, tick=False) as clock:
        with django_capture_on_commit_callbacks(execute=True):
            send(cast, cast.client, "First", notify=True)
            send(cast, cast.client, "Second", notify=True)
        assert mail.outbox == []
        assert tasks.deliver_waiting() == 0
        clock.move_to(MORNING + timedelta(hours=2))  # 13:00 local
        assert tasks.deliver_waiting() == 1
    # one mail for both messages
    assert len(mail.outbox) == 1
    assert set(Message.objects.values_list("mail", flat=True)) == {Message.Mail.SENT}


def test_a_message_read_before_its_mail_goes_is_not_mailed(cast):
    message = send(cast, cast.client, "Hello", notify=True).message
    services.mark_read(enrollment=cast.enrollment, reader=cast.clinician)
    assert tasks.deliver(message_id=message.pk) is False
    assert mail.outbox == []
    message.refresh_from_db()
    assert message.mail == Message.Mail.NOT_MAILED
