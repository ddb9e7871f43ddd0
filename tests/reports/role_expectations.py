"""Who may use each Reports URL; gathered by tests/core/test_roles.py."""

from __future__ import annotations

ROUTES: list = []
