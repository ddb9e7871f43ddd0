"""A questionnaire due every few weeks at 09:00 stays at 09:00 where the clinic is.

Clocks change twice a year in most of the clinics' zones; the schedule follows
the clinic's wall clock, not UTC.
"""

from __future__ import annotations

from datetime import UTC, datetime, timedelta
from zoneinfo import ZoneInfo

import pytest
import time_machine
from django.urls import reverse

from tests.assessments.helpers import assign, page, sign_in
from tests.cast import build_cast
from waypost.assessments import tasks
from waypost.assessments.models import Administration

pytestmark = pytest.mark.django_db

LONDON = ZoneInfo("Europe/London")
NEW_YORK = ZoneInfo("America/New_York")


def _cast_in(zone: ZoneInfo, at: datetime):
    """The fixed cast, built at ``at``, its clinic in ``zone``."""
    with time_machine.travel(at, tick=False):
        cast = build_cast()
    cast.clinic.time_zone = zone.key
    cast.clinic.save(update_fields=["time_zone"])
    cast.enrollment.refresh_from_db()
    return cast


def _sweep(at: datetime) -> list[Administration]:
    """The background task runs at ``at``; the forms it opened."""
    with time_machine.travel(at, tick=False):
        before = set(Administration.objects.values_list("pk", flat=True))
        tasks.send_reminders()
        return list(Administration.objects.exclude(pk__in=before))


def test_every_two_weeks_at_nine_opens_at_nine_after_the_clocks_go_forward(client):
    # given a London clinic, and GAD-7 every 2 weeks assigned on Monday 22 March 2027
    # at 09:00 GMT (= 09:00 UTC); the clocks go forward on Sunday 28 March
    start = datetime(2027, 3, 22, 9, 0, tzinfo=LONDON)
    cast = _cast_in(LONDON, start - timedelta(days=1))
    with time_machine.travel(start, tick=False):
        assign(cast, "gad-7", schedule="weeks", every_weeks=2, window_days=3)
    # when the sweep runs at 08:59 and at 09:01 London time on Monday 5 April (BST)
    before_nine = _sweep(datetime(2027, 4, 5, 8, 59, tzinfo=LONDON))
    after_nine = _sweep(datetime(2027, 4, 5, 9, 1, tzinfo=LONDON))
    # then nothing opened before nine, and the form opened at 09:00 local (08:00 UTC),
    # not at 10:00 local as fourteen days of UTC would have made it
    assert before_nine == []
    (form,) = after_nine
    assert form.opens_at == datetime(2027, 4, 5, 8, 0, tzinfo=UTC)
    assert form.opens_at.astimezone(LONDON).hour == 9
    assert form.closes_at.astimezone(LONDON) == datetime(2027, 4, 8, 9, 0, tzinfo=LONDON)


def test_the_client_sees_the_nine_oclock_form_at_nine_local_before_any_sweep(client):
    # given the same fortnightly GAD-7 in London, and no sweep since the clocks changed
    start = datetime(2027, 3, 22, 9, 0, tzinfo=LONDON)
    cast = _cast_in(LONDON, start - timedelta(days=1))
    with time_machine.travel(start, tick=False):
        assign(cast, "gad-7", schedule="weeks", every_weeks=2, window_days=3)
    measures = reverse("assessments:measures")
    # when the client looks at 08:30 BST, then at 09:05 BST on Monday 5 April
    with time_machine.travel(datetime(2027, 4, 5, 8, 30, tzinfo=LONDON), tick=False):
        early = page(sign_in(client, cast.client).get(measures))
    with time_machine.travel(datetime(2027, 4, 5, 9, 5, tzinfo=LONDON), tick=False):
        browser = sign_in(client, cast.client)
        on_time = page(browser.get(measures))
        started = browser.post(
            measures, {"assignment": cast.enrollment.measure_assignments.get().pk}
        )
    # then nothing waits at half past eight, GAD-7 waits from nine, and Start opens it
    assert "<strong>Worry questionnaire</strong>" not in early
    assert "<strong>Worry questionnaire</strong>" in on_time
    form = Administration.objects.get(status="open", opens_at__gt=start)
    assert form.opens_at.astimezone(LONDON) == datetime(2027, 4, 5, 9, 0, tzinfo=LONDON)
    assert started["Location"] == reverse("assessments:start", args=[form.pk])


def test_every_week_at_nine_opens_at_nine_after_the_clocks_go_back(client):
    # given a New York clinic, and PHQ-9 weekly from Friday 5 November 2027 09:00 EDT;
    # the clocks go back on Sunday 7 November
    start = datetime(2027, 11, 5, 9, 0, tzinfo=NEW_YORK)
    cast = _cast_in(NEW_YORK, start - timedelta(days=1))
    with time_machine.travel(start, tick=False):
        assign(cast, "phq-9", schedule="weeks", every_weeks=1, window_days=7)
    first = Administration.objects.get()
    # when the sweep runs at 08:30 and 09:01 EST on Friday 12 November
    early = _sweep(datetime(2027, 11, 12, 8, 30, tzinfo=NEW_YORK))
    (form,) = _sweep(datetime(2027, 11, 12, 9, 1, tzinfo=NEW_YORK))
    # then it opened at 09:00 EST (14:00 UTC), not 08:00 EST, and the week before
    # closed exactly as this one opened
    assert early == []
    assert form.opens_at == datetime(2027, 11, 12, 14, 0, tzinfo=UTC)
    assert first.closes_at == form.opens_at
