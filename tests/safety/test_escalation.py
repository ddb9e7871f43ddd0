"""An alert nobody acknowledges is passed on: to the clinician on call, then to the admins.

Times count from when the alert was raised, each level is reached once, an acknowledged
alert never escalates, and the rota picks who is on call on the clinic's own date.
"""

from __future__ import annotations

from datetime import date, datetime, timedelta
from zoneinfo import ZoneInfo

import pytest
import time_machine
from django.core import mail

from waypost.clinics.models import ClinicianProfile
from waypost.core.models import TimelineEvent
from waypost.safety import escalation, events, services
from waypost.safety.models import AlertEscalation, RiskAlert

pytestmark = pytest.mark.django_db

UTC = ZoneInfo("UTC")
RAISED = datetime(2026, 6, 3, 2, 0, tzinfo=UTC)  # 10:00 in Singapore, Wednesday 3 June


@pytest.fixture
def on_call_setup(cast):
    """Escalation after 30 and 120 minutes, Otto (same clinic) on call all week."""
    escalation.save_policy(
        clinic=cast.clinic,
        by=cast.admin,
        enabled=True,
        first_after_minutes=30,
        second_after_minutes=120,
    )
    otto = ClinicianProfile.objects.get(user=cast.other_clinician)
    escalation.add_shift(
        clinic=cast.clinic,
        by=cast.admin,
        clinician=otto,
        starts_on=date(2026, 6, 1),
        ends_on=date(2026, 6, 7),
    )
    return cast


def _raise(cast, at=RAISED):
    return services.raise_alert(
        enrollment=cast.enrollment,
        kind="critical_item",
        summary="Item 9 answered 'Nearly every day'",
        source_label="PHQ-9",
        at=at,
        notify=False,
    )


def _run(at, capture):
    with time_machine.travel(at, tick=False), capture(execute=True):
        return escalation.escalate_due()


def _told(alert, level):
    return [
        e.notified for e in AlertEscalation.objects.filter(alert=alert, level=level).order_by("id")
    ]


def test_nothing_is_passed_on_before_the_first_time(
    on_call_setup, django_capture_on_commit_callbacks
):
    alert = _raise(on_call_setup)
    run = _run(RAISED + timedelta(minutes=29), django_capture_on_commit_callbacks)
    assert run.as_dict() == {"on_call": 0, "admins": 0, "nobody": 0}
    assert not AlertEscalation.objects.filter(alert=alert).exists()
    assert mail.outbox == []


def test_after_the_first_time_the_clinician_on_call_is_told_discreetly(
    on_call_setup, django_capture_on_commit_callbacks
):
    cast = on_call_setup
    alert = _raise(cast)
    run = _run(RAISED + timedelta(minutes=30), django_capture_on_commit_callbacks)
    assert run.on_call == 1 and run.admins == 0
    assert _told(alert, AlertEscalation.Level.ON_CALL) == [cast.other_clinician]
    assert _told(alert, AlertEscalation.Level.ADMIN) == []
    alert.refresh_from_db()
    assert alert.escalation_level == 1
    # one e-mail, to Otto, saying nothing about the client or what happened
    assert [m.to for m in mail.outbox] == [[cast.other_clinician.email]]
    message = mail.outbox[0]
    assert message.subject == "Waypost: something needs your attention"
    assert "/risk/" in message.body
    for word in ("Sam", "PHQ", "Item 9", "suicid", "alert"):
        assert word.lower() not in (message.subject + message.body).lower()
    # and the client's timeline says it was passed on (no one to audit: the system did it)
    event = TimelineEvent.objects.get(enrollment=cast.enrollment, kind=events.ALERT_ESCALATED)
    assert event.data["level"] == 1


def test_after_the_second_time_the_clinic_admins_are_told_once(
    on_call_setup, django_capture_on_commit_callbacks
):
    cast = on_call_setup
    alert = _raise(cast)
    _run(RAISED + timedelta(minutes=31), django_capture_on_commit_callbacks)
    _run(RAISED + timedelta(minutes=119), django_capture_on_commit_callbacks)
    assert _told(alert, AlertEscalation.Level.ADMIN) == []
    run = _run(RAISED + timedelta(minutes=120), django_capture_on_commit_callbacks)
    assert run.as_dict() == {"on_call": 0, "admins": 1, "nobody": 0}
    assert _told(alert, AlertEscalation.Level.ADMIN) == [cast.admin]
    assert [m.to for m in mail.outbox] == [[cast.other_clinician.email], [cast.admin.email]]
    assert "/clinic/north/risk/" in mail.outbox[1].body
    # later runs tell nobody again
    for minutes in (125, 600, 6000):
        run = _run(RAISED + timedelta(minutes=minutes), django_capture_on_commit_callbacks)
        assert run.as_dict() == {"on_call": 0, "admins": 0, "nobody": 0}
    assert AlertEscalation.objects.filter(alert=alert).count() == 2
    assert len(mail.outbox) == 2


def test_an_alert_past_both_times_goes_to_both_levels_in_one_run(
    on_call_setup, django_capture_on_commit_callbacks
):
    cast = on_call_setup
    alert = _raise(cast)
    run = _run(RAISED + timedelta(hours=5), django_capture_on_commit_callbacks)
    assert run.as_dict() == {"on_call": 1, "admins": 1, "nobody": 0}
    assert _told(alert, 1) == [cast.other_clinician]
    assert _told(alert, 2) == [cast.admin]


def test_an_acknowledged_alert_never_escalates(on_call_setup, django_capture_on_commit_callbacks):
    cast = on_call_setup
    alert = _raise(cast)
    with time_machine.travel(RAISED + timedelta(minutes=10), tick=False):
        services.acknowledge(alert=alert, by=cast.clinician, note="Called Sam; safe tonight.")
    run = _run(RAISED + timedelta(hours=5), django_capture_on_commit_callbacks)
    assert run.as_dict() == {"on_call": 0, "admins": 0, "nobody": 0}
    assert not AlertEscalation.objects.exists()
    assert mail.outbox == []


def test_an_alert_acknowledged_after_the_first_level_does_not_reach_the_admins(
    on_call_setup, django_capture_on_commit_callbacks
):
    cast = on_call_setup
    alert = _raise(cast)
    _run(RAISED + timedelta(minutes=45), django_capture_on_commit_callbacks)
    with time_machine.travel(RAISED + timedelta(minutes=50), tick=False):
        services.acknowledge(alert=alert, by=cast.other_clinician, note="Reached Sam by phone.")
    _run(RAISED + timedelta(hours=5), django_capture_on_commit_callbacks)
    assert _told(alert, 2) == []


def test_a_clinic_without_a_switched_on_policy_escalates_nothing(
    cast, django_capture_on_commit_callbacks
):
    _raise(cast)
    assert _run(RAISED + timedelta(days=2), django_capture_on_commit_callbacks).as_dict() == {
        "on_call": 0,
        "admins": 0,
        "nobody": 0,
    }
    escalation.save_policy(
        clinic=cast.clinic,
        by=cast.admin,
        enabled=False,
        first_after_minutes=1,
        second_after_minutes=2,
    )
    assert not _run(RAISED + timedelta(days=2), django_capture_on_commit_callbacks).on_call
    assert not AlertEscalation.objects.exists()


def test_a_level_is_claimed_once_even_if_two_runs_see_the_alert(
    on_call_setup, django_capture_on_commit_callbacks
):
    alert = _raise(on_call_setup)
    stale = RiskAlert.objects.get(pk=alert.pk)  # what a second worker loaded earlier
    _run(RAISED + timedelta(minutes=40), django_capture_on_commit_callbacks)
    assert escalation._claim(stale, AlertEscalation.Level.ON_CALL) is False
    assert AlertEscalation.objects.filter(alert=alert).count() == 1


def test_with_nobody_on_call_the_level_is_recorded_and_the_admins_still_follow(
    cast, django_capture_on_commit_callbacks
):
    escalation.save_policy(
        clinic=cast.clinic,
        by=cast.admin,
        enabled=True,
        first_after_minutes=30,
        second_after_minutes=120,
    )
    alert = _raise(cast)
    run = _run(RAISED + timedelta(minutes=30), django_capture_on_commit_callbacks)
    assert run.as_dict() == {"on_call": 0, "admins": 0, "nobody": 1}
    assert _told(alert, 1) == [None]
    assert mail.outbox == []
    _run(RAISED + timedelta(minutes=120), django_capture_on_commit_callbacks)
    assert [m.to for m in mail.outbox] == [[cast.admin.email]]


# --- the rota ---------------------------------------------------------------------------


def _shift(cast, user, starts, ends):
    profile = ClinicianProfile.objects.get(user=user)
    return escalation.add_shift(
        clinic=cast.clinic, by=cast.admin, clinician=profile, starts_on=starts, ends_on=ends
    )


def test_the_rota_picks_the_shift_covering_the_clinics_date(cast):
    from tests.cast import make_user

    wren = make_user("wren@north.test", "Wren Weekend")
    ClinicianProfile.objects.create(user=wren, clinic=cast.clinic)
    _shift(cast, cast.other_clinician, date(2026, 6, 1), date(2026, 6, 5))
    _shift(cast, wren, date(2026, 6, 6), date(2026, 6, 7))
    assert escalation.on_call(clinic=cast.clinic, day=date(2026, 6, 5)).user == cast.other_clinician
    assert escalation.on_call(clinic=cast.clinic, day=date(2026, 6, 6)).user == wren
    assert escalation.on_call(clinic=cast.clinic, day=date(2026, 6, 8)) is None
    # 23:30 UTC on 5 June is already Saturday 6 June in Singapore: Wren's shift
    late = datetime(2026, 6, 5, 23, 30, tzinfo=UTC)
    assert escalation.local_today(cast.clinic, late) == date(2026, 6, 6)


def test_the_rota_never_picks_the_clients_own_clinician_nor_one_switched_off(cast):
    _shift(cast, cast.clinician, date(2026, 6, 1), date(2026, 6, 7))
    _shift(cast, cast.other_clinician, date(2026, 6, 3), date(2026, 6, 3))
    day = date(2026, 6, 3)
    own = cast.enrollment.primary_clinician_id
    assert escalation.on_call(clinic=cast.clinic, day=day).user == cast.clinician
    assert escalation.on_call(clinic=cast.clinic, day=day, besides=own).user == (
        cast.other_clinician
    )
    ClinicianProfile.objects.filter(user=cast.other_clinician).update(is_active=False)
    assert escalation.on_call(clinic=cast.clinic, day=day, besides=own) is None


def test_a_shift_takes_only_the_clinics_own_active_clinicians_and_sane_dates(cast):
    foreign = ClinicianProfile.objects.get(user=cast.foreign_clinician)
    with pytest.raises(escalation.EscalationError):
        escalation.add_shift(
            clinic=cast.clinic,
            by=cast.admin,
            clinician=foreign,
            starts_on=date(2026, 6, 1),
            ends_on=date(2026, 6, 2),
        )
    with pytest.raises(escalation.EscalationError):
        _shift(cast, cast.other_clinician, date(2026, 6, 2), date(2026, 6, 1))


def test_the_second_time_must_come_after_the_first(cast):
    with pytest.raises(escalation.EscalationError):
        escalation.save_policy(
            clinic=cast.clinic,
            by=cast.admin,
            enabled=True,
            first_after_minutes=60,
            second_after_minutes=60,
        )


def test_only_the_clinics_admins_may_change_escalation(cast):
    from django.core.exceptions import PermissionDenied

    for person in (cast.clinician, cast.other_clinician, cast.client, cast.foreign_clinician):
        with pytest.raises(PermissionDenied):
            escalation.save_policy(
                clinic=cast.clinic,
                by=person,
                enabled=True,
                first_after_minutes=1,
                second_after_minutes=2,
            )


def test_the_periodic_task_runs_the_escalation(on_call_setup, django_capture_on_commit_callbacks):
    from waypost.safety import tasks

    alert = _raise(on_call_setup)
    with (
        time_machine.travel(RAISED + timedelta(minutes=35), tick=False),
        django_capture_on_commit_callbacks(execute=True),
    ):
        result = tasks.escalate_open_alerts.call_local()
    assert result == {"on_call": 1, "admins": 0, "nobody": 0}
    assert _told(alert, 1) == [on_call_setup.other_clinician]


def test_no_mail_goes_once_the_alert_was_acknowledged_before_the_mail_task_ran(on_call_setup):
    from waypost.safety import tasks

    cast = on_call_setup
    alert = _raise(cast)
    services.acknowledge(alert=alert, by=cast.clinician, note="Seen.")
    assert tasks.notify_of_escalation.call_local(alert.pk, cast.other_clinician.pk, 1) is False
    assert mail.outbox == []
