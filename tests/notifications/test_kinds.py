"""The kinds registry: every app that sends has its kinds there, described for people."""

from __future__ import annotations

import pytest

from waypost.access.policy import roles_of
from waypost.core.discretion import is_discreet
from waypost.notifications import kinds

EXPECTED = {
    "recovery.check_in",
    "assessments.due",
    "groups.session",
    "meetings.reminder",
    "appointments.reminder",
    "messages.new",
    "ally.updates",
    "ally.support",
    "safety.risk_alert",
    "safety.escalation",
}


def test_every_sending_app_has_registered_its_kinds():
    assert {kind.key for kind in kinds.all_kinds()} >= EXPECTED


def test_risk_alerts_and_escalations_cannot_be_switched_off_or_held():
    for key in ("safety.risk_alert", "safety.escalation"):
        kind = kinds.get(key)
        assert kind.locked and kind.ignores_quiet_hours and kind.locked_reason
        assert kind.defaults == kinds.ALL_CHANNELS


def test_everything_else_can_be_switched_off():
    for kind in kinds.all_kinds():
        if kind.key not in ("safety.risk_alert", "safety.escalation"):
            assert not kind.locked, kind.key


def test_only_a_request_for_support_ignores_quiet_hours_besides_safety():
    ignoring = {k.key for k in kinds.all_kinds() if k.ignores_quiet_hours}
    assert ignoring == {"ally.support", "safety.risk_alert", "safety.escalation"}


def test_the_check_in_reminder_is_timed_and_off_e_mail_by_default():
    kind = kinds.get("recovery.check_in")
    assert kind.timed and kind.reminder
    assert kind.defaults == {kinds.Channel.IN_APP, kinds.Channel.PUSH}


def test_labels_and_e_mail_subjects_are_discreet():
    for kind in kinds.all_kinds():
        assert is_discreet(str(kind.label)), kind.key
        assert is_discreet(str(kind.email_subject)), kind.key
        assert str(kind.description), kind.key


@pytest.mark.django_db
def test_each_role_gets_the_kinds_meant_for_it(cast):
    def keys(user):
        return {k.key for k in kinds.kinds_for(roles_of(user))}

    assert keys(cast.client) >= {"recovery.check_in", "assessments.due", "messages.new"}
    assert "safety.risk_alert" not in keys(cast.client)
    assert keys(cast.clinician) >= {"safety.risk_alert", "safety.escalation", "messages.new"}
    assert "recovery.check_in" not in keys(cast.clinician)
    assert keys(cast.admin) == {"safety.escalation"}
    assert keys(cast.ally_all) == {"ally.updates", "ally.support"}


def test_a_kind_must_be_for_someone_and_say_why_it_is_locked():
    with pytest.raises(ValueError):
        kinds.NotificationKind(key="x", label="X", audience=frozenset())
    with pytest.raises(ValueError):
        kinds.NotificationKind(key="x", label="X", audience=frozenset({"stranger"}))
    with pytest.raises(ValueError):
        kinds.NotificationKind(key="x", label="X", audience=frozenset({"client"}), locked=True)


def test_an_unknown_kind_is_a_key_error():
    with pytest.raises(KeyError):
        kinds.get("nobody.registered.this")
