"""Sensitive text is encrypted at rest, and keys rotate without losing anything."""

from __future__ import annotations

import pytest
from cryptography.fernet import Fernet
from django.core.management import call_command
from django.db import connection

from waypost.core import crypto
from waypost.program.models import StageChange


def _raw_reason(change_id: int) -> str:
    with connection.cursor() as cursor:
        cursor.execute("SELECT reason FROM program_stagechange WHERE id = %s", [change_id])
        return cursor.fetchone()[0]


def test_the_database_never_sees_the_plain_text(cast):
    # given a stage change with a reason
    change = cast.enrollment.stage_changes.filter(to_stage=2).get()
    # then the stored value is ciphertext and the model reads it back as text
    raw = _raw_reason(change.pk)
    assert raw.startswith("fernet:")
    assert "Ready to commit" not in raw
    assert StageChange.objects.get(pk=change.pk).reason == "Ready to commit to a plan."


def test_rotation_re_encrypts_under_the_new_key_and_old_keys_can_go(cast, settings):
    change = cast.enrollment.stage_changes.filter(to_stage=2).get()
    old_keys = list(settings.ENCRYPTION_KEYS)
    before = _raw_reason(change.pk)
    # given a new key put first
    new_key = Fernet.generate_key().decode()
    settings.ENCRYPTION_KEYS = [new_key, *old_keys]
    # when rotating
    call_command("rotate_keys", verbosity=0)
    # then the ciphertext changed and the new key alone reads everything
    assert _raw_reason(change.pk) != before
    settings.ENCRYPTION_KEYS = [new_key]
    assert StageChange.objects.get(pk=change.pk).reason == "Ready to commit to a plan."
    # and the timeline's encrypted detail was rotated too
    event = cast.enrollment.timeline.filter(kind="program.stage_changed").get()
    assert event.detail == "Ready to commit to a plan."


def test_a_value_no_configured_key_can_read_is_an_error_not_garbage(cast, settings):
    change = cast.enrollment.stage_changes.filter(to_stage=2).get()
    settings.ENCRYPTION_KEYS = [Fernet.generate_key().decode()]
    with pytest.raises(crypto.DecryptionError):
        StageChange.objects.get(pk=change.pk)


def test_empty_text_stays_empty(cast):
    event = cast.enrollment.timeline.filter(kind="program.enrolled").get()
    assert event.detail == ""
