"""Fixtures of the meetings tests."""

from __future__ import annotations

import pytest


@pytest.fixture
def as_user(client):
    """Sign the test browser in as ``user`` and return it."""

    def sign_in(user):
        client.logout()
        client.force_login(user)
        return client

    return sign_in
