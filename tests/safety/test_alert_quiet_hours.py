"""A risk alert reaches the clinician at once, whatever their quiet hours say.

Quiet hours hold back reminders; an alert is about someone's safety, so it is sent
straight away, at three in the morning too (and "Me" tells clinicians so).
"""

from __future__ import annotations

from datetime import datetime, time
from zoneinfo import ZoneInfo

import pytest
import time_machine
from django.core import mail

from waypost.accounts.models import User
from waypost.accounts.notifications import is_quiet
from waypost.safety import services

pytestmark = pytest.mark.django_db

# 03:00 in Singapore, the clinic's time zone, inside 22:00–07:00
NIGHT = datetime(2026, 6, 5, 3, 0, tzinfo=ZoneInfo("Asia/Singapore"))


@pytest.mark.parametrize("zone", ["", "Asia/Singapore", "Europe/London"])
def test_an_alert_is_e_mailed_in_the_clinicians_quiet_hours(
    cast, django_capture_on_commit_callbacks, zone
):
    # given a clinician whose quiet hours cover all of the night and day where they are
    User.objects.filter(pk=cast.clinician.pk).update(
        quiet_hours_start=time(7, 1), quiet_hours_end=time(7, 0), time_zone=zone
    )
    cast.clinician.refresh_from_db()
    assert is_quiet(cast.clinician, NIGHT, fallback_time_zone=cast.clinic.time_zone)
    # when an alert is raised for their client in the middle of the night
    with time_machine.travel(NIGHT, tick=False), django_capture_on_commit_callbacks(execute=True):
        services.raise_alert(
            enrollment=cast.enrollment, kind="critical_item", summary="x", source_label="PHQ-9"
        )
    # then the e-mail goes at once
    assert [m.to for m in mail.outbox] == [[cast.clinician.email]]


def test_an_alert_is_still_not_e_mailed_to_a_closed_account(
    cast, django_capture_on_commit_callbacks
):
    User.objects.filter(pk=cast.clinician.pk).update(is_active=False)
    with django_capture_on_commit_callbacks(execute=True):
        services.raise_alert(
            enrollment=cast.enrollment, kind="critical_item", summary="x", source_label="PHQ-9"
        )
    assert mail.outbox == []
