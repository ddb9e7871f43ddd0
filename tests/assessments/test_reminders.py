"""The sweep: open what fell due, remind once discreetly, a last call, close what was left."""

from __future__ import annotations

from datetime import timedelta

import pytest
from django.conf import settings
from django.urls import reverse
from django.utils import timezone

from tests.assessments.helpers import assign
from waypost.assessments import tasks
from waypost.assessments.models import Administration

pytestmark = pytest.mark.django_db

SUBJECT = "Waypost: something is waiting for you"
# Nothing in a reminder may say what the questionnaire is about, or that it is clinical.
NOT_IN_A_REMINDER = [
    "PHQ",
    "GAD",
    "WHO-5",
    "AUDIT",
    "Readiness",
    "depress",
    "anxi",
    "mood",
    "alcohol",
    "drink",
    "wellbeing",
    "score",
    "therap",
    "porn",
    "sex",
    "addict",
    "recovery",
    "risk",
    "Sam",
]


def _discreet(mail) -> None:
    text = f"{mail.subject}\n{mail.body}".lower()
    for word in NOT_IN_A_REMINDER:
        assert word.lower() not in text, word


@pytest.fixture
def weekly(cast):
    """PHQ-9 every week, open for 3 days, first form opened at ``start``."""
    start = timezone.now() - timedelta(weeks=3)
    assign(cast, "phq-9", schedule="weeks", every_weeks=1, window_days=3, at=start)
    return start


def test_a_new_form_brings_one_discreet_e_mail(cast, weekly, mailoutbox):
    # when the sweep runs just after the form opened
    sent = tasks.send_reminders(now=weekly + timedelta(minutes=5))
    # then the client gets one e-mail, saying only that something is waiting, with a link
    assert sent["reminders"] == 1
    assert [m.to for m in mailoutbox] == [[cast.client.email]]
    mail = mailoutbox[0]
    assert mail.subject == SUBJECT
    assert "Something new is waiting for you in Waypost." in mail.body
    assert settings.SITE_URL + reverse("assessments:measures") in mail.body
    assert "If now is not a good time, that is fine." in mail.body
    _discreet(mail)
    form = Administration.objects.get()
    assert form.reminded_at == weekly + timedelta(minutes=5)


def test_a_second_run_sends_nothing_again(cast, weekly, mailoutbox):
    tasks.send_reminders(now=weekly + timedelta(minutes=5))
    # when the sweep runs again a quarter of an hour later, and again an hour later
    second = tasks.send_reminders(now=weekly + timedelta(minutes=20))
    third = tasks.send_reminders(now=weekly + timedelta(hours=1))
    # then no one is e-mailed twice
    assert second == {"opened": 0, "expired": 0, "reminders": 0, "last_calls": 0}
    assert third["reminders"] == 0 and third["last_calls"] == 0
    assert len(mailoutbox) == 1


def test_a_last_call_goes_once_within_a_day_of_closing(cast, weekly, mailoutbox):
    tasks.send_reminders(now=weekly + timedelta(minutes=5))
    closes = weekly + timedelta(days=3)
    # when the sweep runs with more than a day left, then just under a day left
    assert tasks.send_reminders(now=closes - timedelta(hours=25))["last_calls"] == 0
    sent = tasks.send_reminders(now=closes - timedelta(hours=23))
    # then one last call goes out, as discreet as the first
    assert sent["last_calls"] == 1
    assert len(mailoutbox) == 2
    last = mailoutbox[1]
    assert last.subject == SUBJECT and last.to == [cast.client.email]
    assert "Something in Waypost closes tomorrow." in last.body
    _discreet(last)
    # and only once
    assert tasks.send_reminders(now=closes - timedelta(hours=2))["last_calls"] == 0
    assert len(mailoutbox) == 2


def test_a_finished_form_gets_no_last_call(cast, weekly, mailoutbox):
    tasks.send_reminders(now=weekly + timedelta(minutes=5))
    form = Administration.objects.get()
    Administration.objects.filter(pk=form.pk).update(status=Administration.Status.COMPLETED)
    tasks.send_reminders(now=weekly + timedelta(days=2, hours=12))
    assert len(mailoutbox) == 1


def test_closed_forms_expire_and_the_next_one_opens_with_its_own_e_mail(cast, weekly, mailoutbox):
    tasks.send_reminders(now=weekly + timedelta(minutes=5))
    # when the sweep runs a week later
    sent = tasks.send_reminders(now=weekly + timedelta(weeks=1, minutes=5))
    # then the unfinished first form has expired, the second is open and announced
    assert sent == {"opened": 1, "expired": 1, "reminders": 1, "last_calls": 0}
    first, second = Administration.objects.order_by("opens_at")
    assert first.status == Administration.Status.EXPIRED
    assert second.status == Administration.Status.OPEN
    assert second.opens_at == weekly + timedelta(weeks=1)
    assert len(mailoutbox) == 2


def test_after_a_long_gap_only_one_form_opens_and_one_e_mail_goes(cast, weekly, mailoutbox):
    # given the sweep did not run for over two weeks after the first form
    sent = tasks.send_reminders(now=weekly + timedelta(weeks=2, days=1))
    # then the missed week is not made up: one new form, one e-mail about it
    assert sent["opened"] == 1 and sent["expired"] == 1
    open_forms = Administration.objects.filter(status="open")
    assert [f.opens_at for f in open_forms] == [weekly + timedelta(weeks=2)]
    assert len(mailoutbox) == 1


def test_each_new_form_gets_its_e_mail(cast, mailoutbox):
    now = timezone.now()
    assign(cast, "phq-9", at=now)
    assign(cast, "gad-7", at=now)
    sent = tasks.send_reminders(now=now + timedelta(minutes=1))
    assert sent["reminders"] == 2
    assert all(m.subject == SUBJECT for m in mailoutbox) and len(mailoutbox) == 2


@pytest.mark.parametrize("change", [{"is_active": False}, {"email": ""}])
def test_no_e_mail_for_a_deactivated_client_or_one_without_an_address(
    cast, weekly, mailoutbox, change
):
    type(cast.client).objects.filter(pk=cast.client.pk).update(**change)
    sent = tasks.send_reminders(now=weekly + timedelta(minutes=5))
    assert sent["reminders"] == 0 and mailoutbox == []
    # and it is not tried again on every sweep
    assert Administration.objects.get().reminded_at is not None


def test_the_periodic_task_runs_the_sweep(cast, mailoutbox):
    # given a form opened a moment ago
    assign(cast, "phq-9")
    # when the scheduled task runs (immediately, in tests)
    result = tasks.remind_and_close.call_local()
    # then it reminded the client
    assert result["reminders"] == 1 and len(mailoutbox) == 1
