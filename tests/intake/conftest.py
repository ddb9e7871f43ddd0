"""Helpers for the intake tests: sign in as someone, and complete answers to every topic."""

from __future__ import annotations

import copy

import pytest

from tests.intake.helpers import COMPLETE_ANSWERS


@pytest.fixture
def as_user(client):
    """Sign the test browser in as ``user`` and return it."""

    def sign_in(user):
        client.logout()
        client.force_login(user)
        return client

    return sign_in


@pytest.fixture
def answers():
    return copy.deepcopy(COMPLETE_ANSWERS)
