"""Fixtures for the group therapy tests: a signed-in browser and frozen time."""

from __future__ import annotations

from datetime import UTC, datetime

import pytest
import time_machine

#: Noon on Wednesday 13 March 2030 in Singapore (the cast's clinic): the next Saturday
#: session of a group that began on Saturday 2 March is on 16 March.
NOW = datetime(2030, 3, 13, 4, 0, tzinfo=UTC)


@pytest.fixture
def frozen():
    with time_machine.travel(NOW, tick=False):
        yield NOW


@pytest.fixture
def as_user(client):
    """Sign the test browser in as ``user`` (only) and return it."""

    def sign_in(user):
        client.logout()
        client.force_login(user)
        return client

    return sign_in
