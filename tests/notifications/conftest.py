from __future__ import annotations

import pytest

from tests.notifications.helpers import TEST_KIND, register_test_kind
from waypost.notifications import kinds


@pytest.fixture
def news():
    """The tests' own kind (clients; every channel by default)."""
    kind = register_test_kind()
    yield kind
    kinds.unregister(TEST_KIND)
