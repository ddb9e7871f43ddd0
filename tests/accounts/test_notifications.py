"""Notification choices: which e-mails someone gets, and quiet hours in their own time zone.

One rule (``accounts.notifications``) for every task that sends mail: reminders can
be turned off and wait out quiet hours; risk alerts to clinicians always go at once.
"""

from __future__ import annotations

from datetime import UTC, datetime, time

import pytest
from django.urls import reverse

from waypost.accounts.models import User
from waypost.accounts.notifications import (
    Decision,
    Kind,
    decide,
    in_quiet_hours,
    is_quiet,
    may_email,
)

pytestmark = pytest.mark.django_db

NIGHT = (time(22, 0), time(7, 0))  # overnight
AFTERNOON = (time(13, 0), time(15, 30))  # within one day


@pytest.mark.parametrize(
    ("hours", "local", "quiet"),
    [
        (NIGHT, time(21, 59), False),
        (NIGHT, time(22, 0), True),  # the start is quiet
        (NIGHT, time(23, 59), True),
        (NIGHT, time(0, 0), True),
        (NIGHT, time(3, 15), True),
        (NIGHT, time(6, 59), True),
        (NIGHT, time(7, 0), False),  # the end is not
        (NIGHT, time(12, 0), False),
        (AFTERNOON, time(12, 59), False),
        (AFTERNOON, time(13, 0), True),
        (AFTERNOON, time(15, 29), True),
        (AFTERNOON, time(15, 30), False),
        (AFTERNOON, time(23, 0), False),
        ((None, None), time(3, 0), False),
        ((time(9, 0), time(9, 0)), time(9, 0), False),  # no length, no quiet
    ],
)
def test_quiet_hours_within_a_day_and_across_midnight(hours, local, quiet):
    assert in_quiet_hours(*hours, local) is quiet


def _person(**fields) -> User:
    defaults = {"email": "someone@example.test", "name": "Someone", "is_active": True}
    return User(**{**defaults, **fields})


def test_quiet_hours_are_read_in_the_persons_own_time_zone():
    # given quiet hours 22:00–07:00 for someone in Singapore (UTC+8)
    person = _person(
        time_zone="Asia/Singapore", quiet_hours_start=NIGHT[0], quiet_hours_end=NIGHT[1]
    )
    # 15:00 UTC is 23:00 in Singapore: quiet; 23:30 UTC is 07:30 there: not
    assert is_quiet(person, datetime(2026, 5, 1, 15, 0, tzinfo=UTC))
    assert not is_quiet(person, datetime(2026, 5, 1, 23, 30, tzinfo=UTC))
    assert is_quiet(person, datetime(2026, 5, 1, 22, 59, tzinfo=UTC))  # 06:59 there


def test_without_their_own_time_zone_the_clinics_is_used_then_utc():
    person = _person(time_zone="", quiet_hours_start=NIGHT[0], quiet_hours_end=NIGHT[1])
    moment = datetime(2026, 1, 15, 23, 0, tzinfo=UTC)  # 23:00 in London, 07:00 in Singapore
    assert is_quiet(person, moment, fallback_time_zone="Europe/London")
    assert not is_quiet(person, moment, fallback_time_zone="Asia/Singapore")
    assert is_quiet(person, moment)  # UTC
    # and the person's own choice wins over the clinic's
    person.time_zone = "Asia/Singapore"
    assert not is_quiet(person, moment, fallback_time_zone="Europe/London")


def test_quiet_hours_follow_summer_time():
    # 22:00–07:00 in London: 21:30 UTC is 22:30 in July (BST) but 21:30 in January
    person = _person(
        time_zone="Europe/London", quiet_hours_start=NIGHT[0], quiet_hours_end=NIGHT[1]
    )
    assert is_quiet(person, datetime(2026, 7, 1, 21, 30, tzinfo=UTC))
    assert not is_quiet(person, datetime(2026, 1, 1, 21, 30, tzinfo=UTC))


def test_reminders_wait_out_quiet_hours_and_can_be_turned_off():
    night = datetime(2026, 5, 1, 15, 0, tzinfo=UTC)  # 23:00 in Singapore
    day = datetime(2026, 5, 1, 3, 0, tzinfo=UTC)  # 11:00 there
    person = _person(
        time_zone="Asia/Singapore", quiet_hours_start=NIGHT[0], quiet_hours_end=NIGHT[1]
    )
    assert decide(person, Kind.REMINDER, night) == Decision.LATER
    assert decide(person, Kind.REMINDER, day) == Decision.SEND
    person.email_reminders = False
    assert decide(person, Kind.REMINDER, day) == Decision.NEVER
    assert decide(person, Kind.REMINDER, night) == Decision.NEVER
    assert not may_email(person, Kind.REMINDER, day)


def test_risk_alerts_ignore_quiet_hours_and_cannot_be_turned_off():
    night = datetime(2026, 5, 1, 15, 0, tzinfo=UTC)
    clinician = _person(
        time_zone="Asia/Singapore",
        quiet_hours_start=NIGHT[0],
        quiet_hours_end=NIGHT[1],
        email_reminders=False,
    )
    assert decide(clinician, Kind.RISK_ALERT, night) == Decision.SEND
    assert may_email(clinician, Kind.RISK_ALERT, night)


@pytest.mark.parametrize("change", [{"is_active": False}, {"email": ""}])
def test_nobody_is_e_mailed_without_an_address_or_an_open_account(change):
    person = _person(**change)
    for kind in Kind:
        assert decide(person, kind, datetime(2026, 5, 1, 3, 0, tzinfo=UTC)) == Decision.NEVER


# --- choosing them on Me ---------------------------------------------------------------

NOTIFICATIONS = reverse("accounts:notifications")


def test_a_client_turns_reminders_off_and_sets_quiet_hours(cast, client):
    client.force_login(cast.client)
    response = client.post(
        NOTIFICATIONS, {"quiet_hours_start": "22:00", "quiet_hours_end": "07:00"}
    )
    assert response.status_code == 302
    assert response["Location"] == reverse("accounts:account") + "#notifications"
    cast.client.refresh_from_db()
    assert cast.client.email_reminders is False  # the box was left unticked
    assert (cast.client.quiet_hours_start, cast.client.quiet_hours_end) == NIGHT
    # and Me shows them as saved
    page = client.get(reverse("accounts:account")).content.decode()
    assert 'value="22:00"' in page and 'value="07:00"' in page


def test_clearing_both_times_ends_quiet_hours(cast, client):
    User.objects.filter(pk=cast.client.pk).update(
        quiet_hours_start=NIGHT[0], quiet_hours_end=NIGHT[1]
    )
    client.force_login(cast.client)
    client.post(NOTIFICATIONS, {"email_reminders": "on"})
    cast.client.refresh_from_db()
    assert cast.client.email_reminders is True
    assert cast.client.quiet_hours_start is None and cast.client.quiet_hours_end is None


@pytest.mark.parametrize(
    ("start", "end", "message"),
    [
        ("22:00", "", "Please give both times for quiet hours, or leave both empty."),
        ("", "07:00", "Please give both times for quiet hours, or leave both empty."),
        ("08:00", "08:00", "Quiet hours need to start and end at different times."),
    ],
)
def test_half_given_or_empty_quiet_hours_are_refused_kindly(cast, client, start, end, message):
    client.force_login(cast.client)
    response = client.post(
        NOTIFICATIONS,
        {"email_reminders": "on", "quiet_hours_start": start, "quiet_hours_end": end},
    )
    assert response.status_code == 200
    assert message in response.content.decode()
    cast.client.refresh_from_db()
    assert cast.client.quiet_hours_start is None and cast.client.quiet_hours_end is None


def test_reminders_are_a_clients_choice_and_clinicians_are_told_about_risk_alerts(cast, client):
    client.force_login(cast.client)
    page = client.get(reverse("accounts:account")).content.decode()
    assert 'name="email_reminders"' in page
    assert "Risk-alert e-mails always come at once" not in page
    client.force_login(cast.clinician)
    page = client.get(reverse("accounts:account")).content.decode()
    assert 'name="email_reminders"' not in page and 'name="quiet_hours_start"' in page
    assert "Risk-alert e-mails always come at once, even in quiet hours:" in page
    # a clinician's POST cannot switch a client's reminders setting on or off
    client.post(NOTIFICATIONS, {"quiet_hours_start": "21:00", "quiet_hours_end": "06:00"})
    cast.clinician.refresh_from_db()
    assert cast.clinician.email_reminders is True
    assert cast.clinician.quiet_hours_start == time(21, 0)


def test_saving_needs_a_post(cast, client):
    client.force_login(cast.client)
    assert client.get(NOTIFICATIONS).status_code == 405


def test_an_ally_sets_quiet_hours_for_the_updates_of_those_they_support(cast, client):
    client.force_login(cast.ally_all)
    page = client.get(reverse("accounts:account")).content.decode()
    assert 'name="quiet_hours_start"' in page and 'name="email_reminders"' not in page
    client.post(NOTIFICATIONS, {"quiet_hours_start": "22:00", "quiet_hours_end": "07:00"})
    cast.ally_all.refresh_from_db()
    assert cast.ally_all.quiet_hours_start == time(22, 0)
