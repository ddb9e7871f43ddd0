"""Who may use each Session notes URL; gathered by tests/core/test_roles.py."""

from __future__ import annotations

ROUTES: list = []
