"""A client's day is their local date: around midnight, Singapore and UTC disagree."""

from __future__ import annotations

from datetime import UTC, date, datetime, timedelta

import pytest
import time_machine
from django.urls import reverse
from django.utils import timezone

from tests.assessments.helpers import sign_in
from tests.recovery.helpers import keep
from waypost.recovery.models import CheckIn

pytestmark = pytest.mark.django_db


def _tomorrow_at(hour: int, minute: int) -> datetime:
    tomorrow = timezone.now().astimezone(UTC).date() + timedelta(days=1)
    return datetime(tomorrow.year, tomorrow.month, tomorrow.day, hour, minute, tzinfo=UTC)


def test_after_midnight_in_singapore_the_check_in_is_for_the_new_day(cast, client):
    # given 17:30 UTC, which is 01:30 the next day in Singapore (the clinic's zone)
    moment = _tomorrow_at(17, 30)
    with time_machine.travel(moment, tick=False):
        browser = sign_in(client, cast.client)

        # when the client opens the check-in and submits
        response = browser.post(
            reverse("recovery:checkin"),
            {
                "client_uuid": "7d3c5a44-3c2e-4f6e-8a51-2a0f1d9a0c11",
                "sober": "yes",
                "mood": "3",
                "urge": "1",
                "sleep_hours": "",
                "mindfulness_minutes": "",
            },
        )

    # then it is kept for Singapore's date, a day after UTC's
    assert response.status_code == 302
    assert CheckIn.objects.get().local_date == moment.date() + timedelta(days=1)


def test_a_client_who_lives_by_utc_checks_in_for_utcs_date(cast):
    cast.client.time_zone = "UTC"
    cast.client.save(update_fields=["time_zone"])
    cast.enrollment.client.time_zone = "UTC"
    moment = _tomorrow_at(17, 30)

    with time_machine.travel(moment, tick=False):
        entry = keep(cast)

    assert entry.local_date == moment.date()


def test_just_before_midnight_in_singapore_it_is_still_the_same_day(cast):
    moment = _tomorrow_at(15, 59)  # 23:59 in Singapore

    with time_machine.travel(moment, tick=False):
        entry = keep(cast)

    assert entry.local_date == date(moment.year, moment.month, moment.day)


def test_flying_west_over_the_date_line_takes_no_day_away(cast):
    from waypost.recovery import selectors

    # given a client in Kiritimati (UTC+14) whose plan began four days ago, checked in today
    cast.client.time_zone = "Pacific/Kiritimati"
    cast.client.save(update_fields=["time_zone"])
    moment = _tomorrow_at(2, 0)  # 16:00 in Kiritimati; 15:00 the day before in Pago Pago
    with time_machine.travel(moment, tick=False):
        cast.enrollment.stage_entered_at = moment - timedelta(days=4)
        cast.enrollment.save(update_fields=["stage_entered_at"])
        enrollment = type(cast.enrollment).objects.get(pk=cast.enrollment.pk)
        keep(cast)
        before = selectors.today_state(enrollment, selectors.client_today(enrollment))
        # when they fly to Pago Pago (UTC-11): their calendar steps back a day
        cast.client.time_zone = "Pacific/Pago_Pago"
        cast.client.save(update_fields=["time_zone"])
        enrollment = type(cast.enrollment).objects.get(pk=cast.enrollment.pk)
        local = selectors.client_today(enrollment)
        after = selectors.today_state(enrollment, local)
    assert before is not None and after is not None
    assert local < before.counter.today
    # then the counter stays on the day already checked in: nothing is lost, nothing made
    assert after.counter.today == before.counter.today
    assert after.counter.total_sober_days == before.counter.total_sober_days == 5
    assert after.checked_in_today
