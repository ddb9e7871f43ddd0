"""What each app sends reaches the person's list in Waypost too (and their devices).

The e-mails keep their words (each app's own tests); here: the in-app side of each.
"""

from __future__ import annotations

from datetime import UTC, datetime, time, timedelta

import pytest
import time_machine
from django.core import mail

from tests.notifications.helpers import choose
from waypost.accounts.models import User
from waypost.notifications.models import Notification

pytestmark = pytest.mark.django_db


def test_a_questionnaire_waiting_is_in_the_clients_list(cast):
    from tests.assessments.helpers import assign
    from waypost.assessments import tasks

    assign(cast, "phq-9")
    tasks.send_reminders()
    row = Notification.objects.get(user=cast.client)
    assert (row.kind, row.url, row.emailed) == ("assessments.due", "/measures/", True)
    assert row.title == "A questionnaire is waiting for you"
    assert len(mail.outbox) == 1


def test_with_only_the_list_chosen_a_questionnaire_sends_no_e_mail(cast):
    from tests.assessments.helpers import assign
    from waypost.assessments import tasks
    from waypost.assessments.models import Administration

    choose(cast.client, "assessments.due", in_app=True, email=False, push=False)
    assign(cast, "phq-9")
    result = tasks.send_reminders()
    assert result["reminders"] == 0 and mail.outbox == []
    assert Notification.objects.get(user=cast.client).shown
    assert Administration.objects.get().reminded_at is not None  # and not asked again


def test_a_risk_alert_is_in_the_clinicians_list_even_if_they_chose_otherwise(
    cast, django_capture_on_commit_callbacks
):
    from waypost.safety import services

    choose(cast.clinician, "safety.risk_alert", in_app=False, email=False, push=False)
    with django_capture_on_commit_callbacks(execute=True):
        services.raise_alert(
            enrollment=cast.enrollment, kind="critical_item", summary="x", source_label="PHQ-9"
        )
    row = Notification.objects.get(user=cast.clinician)
    assert (row.kind, row.url, row.shown) == ("safety.risk_alert", "/risk/", True)
    # nothing clinical: not the summary, not the questionnaire
    assert (row.title, row.body) == (
        "Something needs your attention",
        "A risk alert is open in your risk inbox.",
    )
    assert [m.to for m in mail.outbox] == [[cast.clinician.email]]


def test_a_new_message_is_in_the_other_sides_list(cast, django_capture_on_commit_callbacks):
    from tests.messaging.helpers import send

    with django_capture_on_commit_callbacks(execute=True):
        send(cast, cast.client, "About last night", notify=True)
    row = Notification.objects.get(user=cast.clinician)
    assert row.kind == "messages.new" and row.title == "You have a new message"
    assert "last night" not in row.title + row.body


def test_messages_with_e_mail_off_still_reach_the_list(cast, django_capture_on_commit_callbacks):
    from tests.messaging.helpers import send

    choose(cast.clinician, "messages.new", in_app=True, email=False, push=False)
    with django_capture_on_commit_callbacks(execute=True):
        send(cast, cast.client, "Hello", notify=True)
    assert mail.outbox == []
    assert Notification.objects.filter(user=cast.clinician, kind="messages.new").exists()


def test_an_appointment_reminder_says_when_in_the_list(cast):
    from tests.appointments.helpers import book
    from waypost.caseload.appointments import tasks

    now = datetime(2026, 3, 2, 2, 0, tzinfo=UTC)  # 10:00 Monday in Singapore
    with time_machine.travel(now - timedelta(days=7), tick=False):
        book(cast, first_day=(now + timedelta(days=1)).date(), start_time=time(10, 0))
    with time_machine.travel(now + timedelta(minutes=5), tick=False):
        assert tasks.send_reminders()["reminders"] == 1
    row = Notification.objects.get(user=cast.client)
    assert row.kind == "appointments.reminder" and row.url == "/appointments/"
    assert row.body == "Tuesday 3 March at 10:00"


def test_an_ally_update_is_in_the_allys_list(cast, django_capture_on_commit_callbacks):
    from waypost.connect.alerts import services
    from waypost.connect.alerts.models import Rhythm
    from waypost.core import events
    from waypost.shield import silence

    link = cast.links["shield"]
    services.set_rhythm(link=link, rhythm=Rhythm.IMMEDIATE, by=link.ally)
    with django_capture_on_commit_callbacks(execute=True):
        events.record(
            enrollment=cast.enrollment,
            kind=silence.SILENT,
            actor=None,
            data={"device": "Laptop", "hours": 30, "never": False},
        )
    row = Notification.objects.get(user=link.ally)
    # the list keeps it after consent may have ended: it names nobody
    assert row.kind == "ally.updates" and row.title == "An update from someone you support"
    assert "Sam" not in row.title + row.body
    assert row.url == f"/ally/{link.pk}/updates/"


def test_a_request_for_support_in_the_allys_list_names_nobody(
    cast, django_capture_on_commit_callbacks
):
    import uuid

    from waypost.connect.alerts.support import request_support

    with django_capture_on_commit_callbacks(execute=True):
        request_support(enrollment=cast.enrollment, by=cast.client, client_uuid=uuid.uuid4())
    rows = Notification.objects.filter(kind="ally.support")
    assert rows.exists()
    for row in rows:
        assert row.title == "Someone you support would like your support"
        assert "Sam" not in row.title + row.body


def test_an_ally_who_turned_everything_off_is_marked_not_mailed(
    cast, django_capture_on_commit_callbacks
):
    from waypost.connect.alerts import services
    from waypost.connect.alerts.models import AllyAlert, Rhythm
    from waypost.core import events
    from waypost.shield import silence

    link = cast.links["shield"]
    services.set_rhythm(link=link, rhythm=Rhythm.IMMEDIATE, by=link.ally)
    choose(link.ally, "ally.updates", in_app=False, email=False, push=False)
    with django_capture_on_commit_callbacks(execute=True):
        events.record(
            enrollment=cast.enrollment,
            kind=silence.SILENT,
            actor=None,
            data={"device": "Laptop", "hours": 30, "never": False},
        )
    assert AllyAlert.objects.get(link=link).status == AllyAlert.Status.NOT_MAILED
    assert not Notification.objects.filter(user=link.ally).exists()


def test_a_closed_account_hears_nothing_at_all(cast):
    from tests.assessments.helpers import assign
    from waypost.assessments import tasks

    User.objects.filter(pk=cast.client.pk).update(is_active=False)
    assign(cast, "phq-9")
    tasks.send_reminders()
    assert not Notification.objects.exists()
