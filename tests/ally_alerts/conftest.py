"""Helpers for the ally alerts tests: a throwaway "lapses" scope, events that commit, a clock."""

from __future__ import annotations

import uuid
from datetime import datetime
from zoneinfo import ZoneInfo

import pytest
import time_machine

from waypost.connect import scopes
from waypost.connect.alerts import kinds

# A Tuesday, 09:00 in Singapore (the cast's clinic): 01:00 UTC.
MORNING = datetime(2026, 6, 2, 9, 0, tzinfo=ZoneInfo("Asia/Singapore"))


@pytest.fixture
def lapses_scope(monkeypatch):
    """The "lapses" consent scope, until recovery registers its own (then that one is used).

    Must come before ``cast`` in a test's arguments, so the cast gets an ally for it.
    """
    if scopes.get(kinds.LAPSES_SCOPE) is None:
        monkeypatch.setitem(
            scopes._registry,
            kinds.LAPSES_SCOPE,
            scopes.ConsentScope(kinds.LAPSES_SCOPE, "Lapses", "When you log a lapse."),
        )
    return kinds.LAPSES_SCOPE


@pytest.fixture
def clock():
    """Time stands still at ``MORNING`` unless a test moves it (``clock.move_to``)."""
    with time_machine.travel(MORNING, tick=False) as traveller:
        yield traveller


@pytest.fixture
def commit(django_capture_on_commit_callbacks):
    """Run a block as if its transaction committed: listeners and queued sends run."""
    return lambda: django_capture_on_commit_callbacks(execute=True)


@pytest.fixture
def as_user(client):
    def sign_in(user):
        client.logout()
        client.force_login(user)
        return client

    return sign_in


def new_uuid() -> uuid.UUID:
    return uuid.uuid4()
