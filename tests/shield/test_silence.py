"""The silence check, rule by rule, with every time given explicitly.

A device on Shield not heard from for longer than its clinic's limit (24 hours unless
the clinic chose otherwise), or never heard from and put on Shield longer ago than that,
raises "Shield silent" once: a timeline line, a risk alert, ``silence_raised_at``. Heard
from again, the mark is cleared, so a later silence raises again.
"""

from __future__ import annotations

import uuid
from datetime import UTC, datetime, timedelta

import pytest
from django.core import mail
from django.db import connection
from django.test.utils import CaptureQueriesContext

from waypost.core.models import TimelineEvent
from waypost.program.models import Enrollment
from waypost.recovery.models import Device
from waypost.safety.models import RiskAlert
from waypost.shield import silence, tasks
from waypost.shield.models import ClinicShield, ShieldDevice

pytestmark = pytest.mark.django_db

NOW = datetime(2030, 3, 14, 12, 0, tzinfo=UTC)
DAY = timedelta(days=1)


def on_shield(
    enrollment,
    name: str = "Phone",
    *,
    created_at: datetime = NOW - 10 * DAY,
    kind: str = Device.Kind.PHONE,
    **extra,
) -> ShieldDevice:
    """A device of the client's device plan, on Shield since ``created_at``."""
    device = Device.objects.create(
        enrollment=enrollment,
        client_uuid=uuid.uuid4(),
        name=name,
        kind=kind,
        created_at=created_at - DAY,
        retired_at=extra.pop("retired_at", None),
    )
    return ShieldDevice.objects.create(device=device, created_at=created_at, **extra)


def _alerts(enrollment) -> list[RiskAlert]:
    return list(RiskAlert.objects.filter(enrollment=enrollment, kind=silence.ALERT_KIND))


def _silences(enrollment) -> list[TimelineEvent]:
    return list(TimelineEvent.objects.filter(enrollment=enrollment, kind=silence.SILENT))


# --- the rules ----------------------------------------------------------------------------


def test_a_device_heard_from_recently_is_not_silent(cast):
    phone = on_shield(cast.enrollment, last_seen_at=NOW - timedelta(hours=3))
    assert silence.check(NOW).raised == []
    phone.refresh_from_db()
    assert phone.silence_raised_at is None
    assert _alerts(cast.enrollment) == [] and _silences(cast.enrollment) == []


def test_a_device_quiet_for_longer_than_a_day_raises_shield_silent(cast):
    # given a phone last heard from two days ago
    phone = on_shield(cast.enrollment, "Sam's phone", last_seen_at=NOW - 2 * DAY)
    # when the check runs
    result = silence.check(NOW)
    # then it is raised: the mark, one timeline line, one alert for the clinician
    assert result.raised == [phone.pk]
    phone.refresh_from_db()
    assert phone.silence_raised_at == NOW
    (event,) = _silences(cast.enrollment)
    assert event.created_at == NOW and event.actor is None
    assert event.summary == "Shield silent: “Sam's phone” has not used Shield for 2 days"
    assert "device" not in event.data  # the device's name is stored encrypted
    (alert,) = _alerts(cast.enrollment)
    assert alert.status == RiskAlert.Status.OPEN and alert.created_at == NOW
    assert alert.summary == (
        "A device (“Sam's phone”) has not used Shield for 2 days: it may have been removed "
        "or bypassed."
    )
    assert alert.source_url == f"/clients/{cast.enrollment.pk}/#shield"
    # a question to ask, not a danger sign: it sorts after answers about safety
    assert alert.severity == silence.SEVERITY == 0


def test_the_clinician_gets_the_discreet_e_mail_that_names_nothing(
    cast, django_capture_on_commit_callbacks
):
    on_shield(cast.enrollment, "Sam's phone", last_seen_at=NOW - 2 * DAY)
    with django_capture_on_commit_callbacks(execute=True):
        silence.check(NOW)
    (message,) = mail.outbox
    assert message.to == [cast.clinician.email]
    assert message.subject == "Waypost: something needs your attention"
    for word in ("Shield", "phone", "Sam", "bypass"):
        assert word not in message.subject + message.body


def test_exactly_the_limit_is_not_yet_silent_and_a_minute_more_is(cast):
    on_shield(cast.enrollment, last_seen_at=NOW - DAY)
    assert silence.check(NOW).raised == []
    assert len(silence.check(NOW + timedelta(minutes=1)).raised) == 1


def test_the_clinic_chooses_how_long_a_device_may_be_quiet(cast):
    ClinicShield.objects.create(clinic=cast.clinic, silence_hours=6)
    on_shield(cast.enrollment, last_seen_at=NOW - timedelta(hours=7))
    assert len(silence.check(NOW).raised) == 1
    assert "for 7 hours" in _alerts(cast.enrollment)[0].summary


def test_another_clinic_s_limit_is_not_this_clinic_s(cast):
    ClinicShield.objects.create(clinic=cast.other_clinic, silence_hours=2)
    on_shield(cast.enrollment, last_seen_at=NOW - timedelta(hours=7))
    assert silence.check(NOW).raised == []


def test_a_device_never_heard_from_raises_once_it_has_been_on_shield_longer_than_the_limit(cast):
    laptop = on_shield(cast.enrollment, "Laptop", created_at=NOW - timedelta(hours=20))
    assert silence.check(NOW).raised == []
    assert silence.check(NOW + timedelta(hours=5)).raised == [laptop.pk]
    (event,) = _silences(cast.enrollment)
    assert event.summary == "Shield silent: “Laptop” has not used Shield since it was added"
    assert "has not used it yet: it may not be set up" in _alerts(cast.enrollment)[0].summary


def test_a_device_taken_off_the_device_plan_is_not_watched(cast):
    on_shield(cast.enrollment, retired_at=NOW - 3 * DAY, last_seen_at=NOW - 5 * DAY)
    assert silence.check(NOW).raised == []


def test_a_revoked_shield_identity_is_not_watched(cast):
    on_shield(cast.enrollment, revoked_at=NOW - 3 * DAY, last_seen_at=NOW - 5 * DAY)
    assert silence.check(NOW).raised == []


def test_a_client_no_longer_in_the_program_is_not_watched(cast):
    on_shield(cast.enrollment, last_seen_at=NOW - 5 * DAY)
    Enrollment.objects.filter(pk=cast.enrollment.pk).update(status=Enrollment.Status.ENDED)
    assert silence.check(NOW).raised == []


def test_a_silence_already_raised_is_not_raised_again(cast):
    on_shield(cast.enrollment, last_seen_at=NOW - 2 * DAY)
    assert len(silence.check(NOW).raised) == 1
    assert silence.check(NOW + timedelta(minutes=15)).raised == []
    assert silence.check(NOW + 3 * DAY).raised == []
    assert len(_alerts(cast.enrollment)) == 1 and len(_silences(cast.enrollment)) == 1


def test_heard_from_again_clears_the_mark_and_a_later_silence_raises_again(cast):
    phone = on_shield(cast.enrollment, last_seen_at=NOW - 2 * DAY)
    silence.check(NOW)
    # the device is heard from again (the resolver stores last_seen_at)
    back = NOW + timedelta(hours=5)
    ShieldDevice.objects.filter(pk=phone.pk).update(last_seen_at=back)
    result = silence.check(back + timedelta(minutes=10))
    assert result.cleared == 1 and result.raised == []
    phone.refresh_from_db()
    assert phone.silence_raised_at is None
    # then quiet again for longer than the limit
    assert silence.check(back + DAY + timedelta(minutes=15)).raised == [phone.pk]
    assert len(_alerts(cast.enrollment)) == 2 and len(_silences(cast.enrollment)) == 2


def test_a_mark_is_kept_while_the_device_stays_quiet(cast):
    phone = on_shield(cast.enrollment, last_seen_at=NOW - 2 * DAY)
    silence.check(NOW)
    assert silence.check(NOW + DAY).cleared == 0
    phone.refresh_from_db()
    assert phone.silence_raised_at == NOW


def test_one_device_of_several_goes_quiet(cast):
    phone = on_shield(cast.enrollment, "Phone", last_seen_at=NOW - timedelta(minutes=5))
    laptop = on_shield(cast.enrollment, "Laptop", last_seen_at=NOW - 3 * DAY)
    assert silence.check(NOW).raised == [laptop.pk]
    phone.refresh_from_db()
    assert phone.silence_raised_at is None


def test_the_check_can_be_limited_to_some_clients(cast):
    on_shield(cast.enrollment, last_seen_at=NOW - 2 * DAY)
    assert silence.check(NOW, enrollment_ids=[cast.foreign_enrollment.pk]).raised == []
    assert len(silence.check(NOW, enrollment_ids=[cast.enrollment.pk]).raised) == 1


def test_without_notify_no_e_mail_goes(cast, django_capture_on_commit_callbacks):
    on_shield(cast.enrollment, last_seen_at=NOW - 2 * DAY)
    with django_capture_on_commit_callbacks(execute=True):
        silence.check(NOW, notify=False)
    assert mail.outbox == [] and len(_alerts(cast.enrollment)) == 1


def test_the_periodic_task_runs_the_check(cast):
    now = datetime.now(UTC)
    on_shield(cast.enrollment, created_at=now - 10 * DAY, last_seen_at=now - 2 * DAY)
    assert tasks.check_silence() == {"cleared": 0, "raised": 1}
    assert tasks.check_silence() == {"cleared": 0, "raised": 0}


# --- the cost -------------------------------------------------------------------------------


def _queries(now: datetime) -> int:
    with CaptureQueriesContext(connection) as captured:
        silence.check(now, notify=False)
    return len(captured.captured_queries)


def test_a_check_reads_all_devices_in_the_same_number_of_queries_for_one_or_twenty(cast):
    on_shield(cast.enrollment, "Quiet", last_seen_at=NOW - 3 * DAY)
    silence.check(NOW, notify=False)  # raised: from now on it is only read
    on_shield(cast.enrollment, "Busy 0", last_seen_at=NOW - timedelta(minutes=3))
    one = _queries(NOW)
    for n in range(1, 20):
        on_shield(cast.enrollment, f"Busy {n}", last_seen_at=NOW - timedelta(minutes=3))
        on_shield(cast.foreign_enrollment, f"Elsewhere {n}", last_seen_at=NOW)
    assert _queries(NOW) == one


def test_each_newly_silent_device_costs_the_same_few_writes(cast):
    def raising(k: int, at: datetime) -> int:
        for n in range(k):
            on_shield(cast.enrollment, f"Quiet {k}-{n}", last_seen_at=at - 2 * DAY)
        return _queries(at)

    baseline = _queries(NOW)
    one = raising(1, NOW) - baseline
    three = raising(3, NOW + DAY) - baseline
    assert three == 3 * one
