"""Where a note stands: draft, signed (correctable for 24 hours), then locked for good."""

from __future__ import annotations

from datetime import UTC, datetime, timedelta

from hypothesis import given
from hypothesis import strategies as st

from waypost.caseload.notes import lifecycle

SIGNED_AT = datetime(2026, 3, 2, 2, 0, tzinfo=UTC)


def test_a_note_never_signed_is_a_draft():
    assert lifecycle.state(None, SIGNED_AT) == lifecycle.DRAFT


def test_the_lock_falls_at_exactly_twenty_four_hours():
    assert lifecycle.state(SIGNED_AT, SIGNED_AT + timedelta(hours=23, minutes=59)) == "signed"
    assert lifecycle.state(SIGNED_AT, SIGNED_AT + timedelta(hours=24)) == "locked"
    assert lifecycle.state(SIGNED_AT, SIGNED_AT + timedelta(hours=24, minutes=1)) == "locked"
    assert lifecycle.locks_at(SIGNED_AT) == SIGNED_AT + timedelta(hours=24)


@given(st.timedeltas(min_value=timedelta(0), max_value=timedelta(days=3650)))
def test_once_locked_a_note_stays_locked(later):
    locked_at = SIGNED_AT + lifecycle.LOCK_AFTER
    assert lifecycle.state(SIGNED_AT, locked_at + later) == lifecycle.LOCKED


def test_a_draft_is_unsigned_after_three_days_and_a_signed_note_never():
    started = SIGNED_AT
    assert not lifecycle.is_unsigned(started, None, started + timedelta(days=3))
    assert lifecycle.is_unsigned(started, None, started + timedelta(days=3, minutes=1))
    assert not lifecycle.is_unsigned(started, SIGNED_AT, started + timedelta(days=30))
