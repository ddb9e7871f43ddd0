"""Who may use each URL of the intake app; gathered by tests/core/test_roles.py."""

from tests.roles import Route

ROUTES: list[Route] = []
