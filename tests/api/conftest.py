"""Helpers for calling the API as a member of the cast."""

from __future__ import annotations

import pytest

from waypost.accounts.services import create_api_token


@pytest.fixture
def bearer():
    """``bearer(user)`` → request headers carrying a fresh personal access token of ``user``."""

    def make(user, **kwargs) -> dict[str, str]:
        _, raw = create_api_token(user=user, name="test", **kwargs)
        return {"Authorization": f"Bearer {raw}"}

    return make
