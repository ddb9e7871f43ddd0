"""An hour before a favourite meeting: once per start, discreet, as the client chose.

The meeting is held on Wednesdays at 19:30 in Singapore (the cast clinic's zone); on
Wednesday 13 March 2030 it starts at 11:30 UTC, so the reminder is due from 10:30 UTC
until it starts. The worker runs every five minutes.
"""

from __future__ import annotations

import re
import sqlite3
import threading
import time as clock
from datetime import UTC, datetime, time, timedelta

import pytest
import time_machine
from django.core import mail
from django.core.mail.backends.base import BaseEmailBackend
from django.db import connection, connections, transaction
from django.test import Client
from django.test.utils import CaptureQueriesContext
from django.urls import reverse

from tests.cast import make_user
from tests.meetings.helpers import hand_meeting
from waypost.connect.meetings import reminders, services
from waypost.connect.meetings.models import Favourite, Meeting, MeetingReminder
from waypost.notifications.models import Notification
from waypost.program.models import Enrollment
from waypost.program.services import enroll_client

START = datetime(2030, 3, 13, 11, 30, tzinfo=UTC)  # Wednesday 19:30 in Singapore
DUE = START - timedelta(hours=1)
# The meeting's name says what it is for: it must reach no e-mail and no title.
NAME = "Sexaholics Anonymous Harbour Lights"
INDISCREET = re.compile(r"porn|sex|addict|recover|relapse|abstinen|urge|lapse", re.IGNORECASE)


def _meeting(cast, **fields) -> Meeting:
    values = {"name": NAME, "days": [3], "time": time(19, 30), "time_zone": "Asia/Singapore"}
    values.update(fields)
    return hand_meeting(cast.clinic, **values)


def _keep(enrollment, meeting: Meeting, *, remind: bool = True) -> Favourite:
    """``meeting`` among the client's favourites, reminding them or not (through the services)."""
    client = enrollment.client
    services.set_favourite(enrollment=enrollment, meeting=meeting, favourite=True, by=client)
    favourite = Favourite.objects.get(enrollment=enrollment, meeting=meeting)
    if remind:
        services.set_reminder(favourite=favourite, remind=True, by=client)
    return favourite


@pytest.fixture
def meeting(cast):
    return _meeting(cast)


@pytest.fixture
def reminded(cast, meeting):
    return _keep(cast.enrollment, meeting)


def _run(at: datetime) -> dict[str, int]:
    with time_machine.travel(at, tick=False):
        return reminders.send_reminders()


def _assert_discreet(message) -> None:
    for text in (message.subject, message.body):
        assert not INDISCREET.search(text)
        assert "Harbour" not in text  # not even the rest of the meeting's name
        assert "meet.example" not in text  # the link to join stays behind sign-in


def _second_client(cast, email: str = "client-2@north.test"):
    other = make_user(email, "Robin Second")
    return enroll_client(client=other, clinician_profile=cast.clinician_profile, by=cast.clinician)


# --- the sweep -------------------------------------------------------------------------------


@pytest.mark.django_db
def test_a_reminded_favourite_is_reminded_once_an_hour_before(cast, meeting, reminded):
    assert _run(DUE - timedelta(minutes=5))["reminders"] == 0  # 65 minutes ahead: not yet
    assert _run(DUE) == {"reminders": 1, "held": 0, "not_mailed": 0}
    assert _run(DUE + timedelta(minutes=5))["reminders"] == 0
    assert _run(START - timedelta(minutes=1))["reminders"] == 0
    (message,) = mail.outbox
    assert message.to == [cast.client.email]
    assert message.subject == "Waypost: a reminder"
    assert "Wednesday 13 March at 19:30 (Asia/Singapore time)" in message.body
    assert f"/meetings/{meeting.pk}/" in message.body
    _assert_discreet(message)
    (row,) = Notification.objects.filter(user=cast.client, kind="meetings.reminder")
    assert row.title == "A meeting you keep starts soon"
    assert row.body == "Wednesday 13 March at 19:30 (Asia/Singapore time)"
    assert row.url == f"/meetings/{meeting.pk}/"
    assert not INDISCREET.search(row.title + row.body)
    (claim,) = MeetingReminder.objects.all()
    assert (claim.enrollment, claim.meeting, claim.starts_at, claim.mailed) == (
        cast.enrollment,
        meeting,
        START,
        True,
    )


@pytest.mark.django_db
def test_each_week_brings_its_own_reminder(cast, reminded):
    assert _run(DUE)["reminders"] == 1
    assert _run(DUE + timedelta(weeks=1))["reminders"] == 1
    assert "Wednesday 20 March at 19:30" in mail.outbox[1].body


@pytest.mark.django_db
def test_a_meeting_that_has_begun_is_not_reminded_of(cast, reminded):
    assert _run(START)["reminders"] == 0  # starting this very minute: too late
    assert _run(START + timedelta(minutes=5))["reminders"] == 0
    assert not mail.outbox and not MeetingReminder.objects.exists()


@pytest.mark.django_db
def test_the_time_is_in_the_clients_own_zone(cast, reminded):
    cast.client.time_zone = "Europe/London"
    cast.client.save(update_fields=["time_zone"])
    _run(DUE)
    assert "Wednesday 13 March at 11:30 (Europe/London time)" in mail.outbox[0].body
    assert Notification.objects.get().body == "Wednesday 13 March at 11:30 (Europe/London time)"


@pytest.mark.django_db
def test_a_favourite_without_a_reminder_sends_nothing(cast, meeting):
    _keep(cast.enrollment, meeting, remind=False)
    assert _run(DUE) == {"reminders": 0, "held": 0, "not_mailed": 0}
    assert not mail.outbox and not Notification.objects.exists()
    assert not MeetingReminder.objects.exists()


@pytest.mark.django_db
def test_two_runs_at_once_remind_once(cast, reminded):
    assert _run(DUE)["reminders"] == 1
    assert _run(DUE) == {"reminders": 0, "held": 0, "not_mailed": 0}
    assert len(mail.outbox) == 1
    assert Notification.objects.count() == MeetingReminder.objects.count() == 1


@pytest.mark.django_db
def test_taking_the_meeting_off_and_back_on_does_not_remind_twice(cast, meeting, reminded):
    assert _run(DUE)["reminders"] == 1
    services.set_favourite(
        enrollment=cast.enrollment, meeting=meeting, favourite=False, by=cast.client
    )
    _keep(cast.enrollment, meeting)
    assert _run(DUE + timedelta(minutes=5))["reminders"] == 0
    assert len(mail.outbox) == 1


class RefusingBackend(BaseEmailBackend):
    """A mail server that is down."""

    def send_messages(self, email_messages):
        raise ConnectionRefusedError("mail server down")


@pytest.mark.django_db
def test_a_failed_send_is_tried_again_on_the_next_run(cast, reminded, settings):
    settings.EMAIL_BACKEND = "tests.meetings.test_reminders.RefusingBackend"
    assert _run(DUE)["reminders"] == 0
    assert not MeetingReminder.objects.exists() and not Notification.objects.exists()
    settings.EMAIL_BACKEND = "django.core.mail.backends.locmem.EmailBackend"
    assert _run(DUE + timedelta(minutes=5))["reminders"] == 1
    assert len(mail.outbox) == 1


@pytest.mark.django_db
def test_quiet_hours_hold_the_reminder_until_they_end(cast, reminded):
    # quiet from 18:00 to 19:10 in Singapore (10:00 to 11:10 UTC)
    cast.client.quiet_hours_start, cast.client.quiet_hours_end = time(18), time(19, 10)
    cast.client.save(update_fields=["quiet_hours_start", "quiet_hours_end"])
    assert _run(DUE) == {"reminders": 0, "held": 1, "not_mailed": 0}
    assert _run(DUE + timedelta(minutes=35))["held"] == 1
    assert not mail.outbox and not MeetingReminder.objects.exists()
    assert not Notification.objects.exists()
    # 19:10 in Singapore: quiet hours are over and the meeting is 20 minutes ahead
    assert _run(DUE + timedelta(minutes=40))["reminders"] == 1
    assert len(mail.outbox) == 1
    assert _run(DUE + timedelta(minutes=45))["reminders"] == 0


@pytest.mark.django_db
def test_quiet_hours_past_the_start_mean_no_reminder_at_all(cast, reminded):
    cast.client.quiet_hours_start, cast.client.quiet_hours_end = time(18), time(20)
    cast.client.save(update_fields=["quiet_hours_start", "quiet_hours_end"])
    for minutes in range(0, 61, 5):
        _run(DUE + timedelta(minutes=minutes))
    assert not mail.outbox and not MeetingReminder.objects.exists()


@pytest.mark.django_db
def test_reminders_turned_off_by_e_mail_leave_the_list_entry(cast, reminded):
    cast.client.email_reminders = False
    cast.client.save(update_fields=["email_reminders"])
    assert _run(DUE) == {"reminders": 0, "held": 0, "not_mailed": 1}
    assert not mail.outbox
    assert Notification.objects.get().kind == "meetings.reminder"
    assert MeetingReminder.objects.get().mailed is False
    assert _run(DUE + timedelta(minutes=5))["not_mailed"] == 0


@pytest.mark.django_db
def test_an_unlisted_meeting_is_not_reminded_of(cast, meeting, reminded):
    Meeting.objects.filter(pk=meeting.pk).update(active=False)  # it left its feed
    assert _run(DUE)["reminders"] == 0
    assert not mail.outbox


@pytest.mark.django_db
def test_a_meeting_now_by_appointment_is_not_reminded_of(cast, meeting, reminded):
    Meeting.objects.filter(pk=meeting.pk).update(days=[], time=None)  # its feed changed
    assert _run(DUE)["reminders"] == 0
    assert not mail.outbox


@pytest.mark.django_db
def test_a_client_whose_enrollment_ended_is_not_reminded(cast, reminded):
    Enrollment.objects.filter(pk=cast.enrollment.pk).update(status=Enrollment.Status.ENDED)
    assert _run(DUE)["reminders"] == 0
    assert not mail.outbox


@pytest.mark.django_db
def test_the_sweep_reads_the_same_few_rows_however_many_favourites(cast, reminded):
    def queries() -> int:
        with (
            time_machine.travel(DUE - timedelta(hours=3), tick=False),
            CaptureQueriesContext(connection) as done,
        ):
            reminders.send_reminders()
        return len(done.captured_queries)

    one = queries()
    for n in range(4):
        enrollment = _second_client(cast, f"client-{n + 2}@north.test")
        meeting = _meeting(cast, days=[n], time=time(8 + n))
        Favourite.objects.create(
            enrollment=enrollment, meeting=meeting, created_at=DUE, remind=True
        )
    assert queries() == one <= 2


# --- clocks changing --------------------------------------------------------------------------


@pytest.mark.django_db
@pytest.mark.parametrize(
    ("at", "start", "words"),
    [
        # Sunday 31 March 2030, clocks go forward at 01:00 UTC: 10:00 is 09:00 UTC (not 10:00)
        (time(10), datetime(2030, 3, 31, 9, tzinfo=UTC), "Sunday 31 March at 10:00"),
        # 01:30 does not exist that night: it is held as much later as the clocks jumped
        (time(1, 30), datetime(2030, 3, 31, 1, 30, tzinfo=UTC), "Sunday 31 March at 02:30"),
        # Sunday 27 October 2030, clocks go back: 01:30 comes twice, the meeting at the first
        (time(1, 30), datetime(2030, 10, 27, 0, 30, tzinfo=UTC), "Sunday 27 October at 01:30"),
        (time(10), datetime(2030, 10, 27, 10, tzinfo=UTC), "Sunday 27 October at 10:00"),
    ],
)
def test_the_sunday_the_clocks_change_in_london(cast, at, start, words):
    cast.client.time_zone = "Europe/London"
    cast.client.save(update_fields=["time_zone"])
    _keep(cast.enrollment, _meeting(cast, days=[0], time=at, time_zone="Europe/London"))
    assert _run(start - timedelta(minutes=65))["reminders"] == 0
    assert _run(start - timedelta(minutes=55))["reminders"] == 1
    # an hour either side of the right instant sends nothing more (no reminder by the
    # offset of the day before, nor for the second 01:30)
    for minutes in (-5, 5, 30, 55, 65):
        _run(start + timedelta(minutes=minutes))
    (message,) = mail.outbox
    assert f"{words} (Europe/London time)" in message.body
    assert MeetingReminder.objects.get().starts_at == start


# --- two workers at the same moment -----------------------------------------------------------


@pytest.fixture
def shared_database(tmp_path):
    """One database that threads really share (see tests/group_therapy/test_double_submits.py).

    PostgreSQL as it is; SQLite's in-memory test database copied to a file, where a
    second writer waits its turn as on the real database.
    """
    if connection.vendor != "sqlite" or not connection.is_in_memory_db():
        yield
        return
    memory = connections["default"]
    memory.ensure_connection()
    path = tmp_path / "shared.sqlite3"
    target = sqlite3.connect(path)
    memory.connection.backup(target)
    target.close()
    dicts = {id(d): d for d in (memory.settings_dict, connections.settings["default"])}
    name = memory.settings_dict["NAME"]
    for settings_dict in dicts.values():
        settings_dict["NAME"] = str(path)
    connections["default"] = connections.create_connection("default")
    try:
        yield
    finally:
        connections["default"].close()
        for settings_dict in dicts.values():
            settings_dict["NAME"] = name
        connections["default"] = memory


@pytest.mark.django_db(transaction=True)
def test_two_workers_at_once_remind_once(shared_database):
    from tests.cast import build_cast

    cast = build_cast()
    _keep(cast.enrollment, _meeting(cast))
    written = threading.Event()
    answers: dict[str, object] = {}

    def run(name: str, work) -> None:
        try:
            answers[name] = work()
        except Exception as exc:  # the answer to check: the second must not fail
            answers[name] = exc
        finally:
            written.set()
            connections.close_all()

    def first() -> object:
        with transaction.atomic():
            sent = reminders.send_reminders(DUE)
            written.set()
            clock.sleep(1.0)  # the second worker's run arrives while this is uncommitted
        return sent

    def second() -> object:
        written.wait(10)
        return reminders.send_reminders(DUE + timedelta(seconds=1))

    threads = [
        threading.Thread(target=run, args=("first", first)),
        threading.Thread(target=run, args=("second", second)),
    ]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join(30)
    assert answers["first"] == {"reminders": 1, "held": 0, "not_mailed": 0}
    assert answers["second"] == {"reminders": 0, "held": 0, "not_mailed": 0}
    assert len(mail.outbox) == 1
    assert MeetingReminder.objects.count() == 1
    assert Notification.objects.filter(kind="meetings.reminder").count() == 1


# --- the choices page and the data download ----------------------------------------------------


@pytest.mark.django_db
def test_the_kind_is_on_the_clients_notification_choices(cast, as_user):
    page = as_user(cast.client).get(reverse("notifications:choices")).content.decode()
    assert "Favourite meetings" in page
    assert "An hour before a favourite meeting starts" in page
    staff = as_user(cast.clinician).get(reverse("notifications:choices")).content.decode()
    assert "Favourite meetings" not in staff


@pytest.mark.django_db
def test_the_data_download_says_which_favourites_remind(cast, meeting, reminded):
    from waypost.core import exports

    _keep(cast.enrollment, _meeting(cast, name="Quiet Hour"), remind=False)
    (section,) = [s for s in exports.sections() if s.key == "meetings"]
    data = section.collect(cast.client)
    assert {(f["name"], f["remind"]) for f in data["favourites"]} == {
        (NAME, True),
        ("Quiet Hour", False),
    }


# --- the toggle -----------------------------------------------------------------------------------


def _toggle(browser, meeting: Meeting, value: str | None):
    data = {} if value is None else {"remind": value}
    return browser.post(reverse("meetings:reminder", args=[meeting.pk]), data)


@pytest.mark.django_db
def test_the_client_turns_the_reminder_on_and_off_on_the_meetings_page(cast, meeting, as_user):
    favourite = _keep(cast.enrollment, meeting, remind=False)
    browser = as_user(cast.client)
    page = browser.get(reverse("meetings:meeting", args=[meeting.pk])).content.decode()
    assert 'aria-pressed="false"' in page and "Remind me an hour before" in page
    assert f'action="{reverse("meetings:reminder", args=[meeting.pk])}"' in page
    response = _toggle(browser, meeting, "1")
    assert response.status_code == 302
    assert response["Location"] == reverse("meetings:meeting", args=[meeting.pk])
    favourite.refresh_from_db()
    assert favourite.remind is True
    page = browser.get(response["Location"]).content.decode()
    assert "We will remind you an hour before" in page
    assert 'class="button-quiet reminder-button" aria-pressed="true"' in page
    assert _toggle(browser, meeting, "0").status_code == 302
    favourite.refresh_from_db()
    assert favourite.remind is False


@pytest.mark.django_db
def test_turning_the_reminder_on_changes_nothing_else(cast, meeting):
    favourite = _keep(cast.enrollment, meeting, remind=False)
    before = Favourite.objects.filter(pk=favourite.pk).values().get()
    services.set_reminder(favourite=favourite, remind=True, by=cast.client)
    after = Favourite.objects.filter(pk=favourite.pk).values().get()
    assert after == {**before, "remind": True}


@pytest.mark.django_db
def test_a_meeting_not_among_the_clients_favourites_is_a_404(cast, meeting, as_user):
    # given another client of the clinic who keeps the meeting, reminded
    other = _second_client(cast)
    theirs = Favourite.objects.create(
        enrollment=other, meeting=meeting, created_at=DUE, remind=True
    )
    # when our client tries to switch it off
    response = _toggle(as_user(cast.client), meeting, "0")
    # then there is no such favourite of theirs, and the other's stays as it was
    assert response.status_code == 404
    theirs.refresh_from_db()
    assert theirs.remind is True
    assert not Favourite.objects.filter(enrollment=cast.enrollment).exists()


@pytest.mark.django_db
@pytest.mark.parametrize("value", [None, "", "yes", "2", "on"])
def test_bad_input_is_refused_with_a_reason_and_changes_nothing(cast, meeting, as_user, value):
    favourite = _keep(cast.enrollment, meeting, remind=True)
    response = _toggle(as_user(cast.client), meeting, value)
    assert response.status_code == 400
    assert "Please say whether to remind you: on or off." in response.content.decode()
    favourite.refresh_from_db()
    assert favourite.remind is True
    # the page shown again sends the favourite button back to the meeting's page
    assert f'name="next" value="/meetings/{meeting.pk}/"' in response.content.decode()


@pytest.mark.django_db
def test_a_meeting_by_appointment_cannot_remind(cast, as_user):
    meeting = _meeting(cast, days=[], time=None)
    favourite = _keep(cast.enrollment, meeting, remind=False)
    browser = as_user(cast.client)
    page = browser.get(reverse("meetings:meeting", args=[meeting.pk])).content.decode()
    assert "Remind me an hour before" not in page
    response = _toggle(browser, meeting, "1")
    assert response.status_code == 400
    assert "there is no set time to remind you of" in response.content.decode()
    favourite.refresh_from_db()
    assert favourite.remind is False


@pytest.mark.django_db
def test_the_toggle_needs_the_forms_csrf_token(cast, meeting):
    favourite = _keep(cast.enrollment, meeting, remind=False)
    browser = Client(enforce_csrf_checks=True)
    browser.force_login(cast.client)
    assert _toggle(browser, meeting, "1").status_code == 403
    favourite.refresh_from_db()
    assert favourite.remind is False


@pytest.mark.django_db
def test_a_meeting_kept_again_starts_without_a_reminder(cast, meeting, reminded):
    services.set_favourite(
        enrollment=cast.enrollment, meeting=meeting, favourite=False, by=cast.client
    )
    again = _keep(cast.enrollment, meeting, remind=False)
    assert again.remind is False


@pytest.mark.django_db
def test_the_connect_page_says_which_favourites_remind(cast, reminded, as_user):
    page = as_user(cast.client).get(reverse("connect:allies")).content.decode()
    assert "reminder an hour before" in page
