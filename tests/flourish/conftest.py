"""Stage 4 tests: the cast's client moved on to Stage 4."""

from __future__ import annotations

import pytest

from tests.flourish.helpers import to_stage_four


@pytest.fixture
def stage4(cast):
    """The cast, with its client in Stage 4."""
    to_stage_four(cast)
    return cast
