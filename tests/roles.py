"""The role test's vocabulary: who the roles are and what each URL allows.

Each app keeps its own table in ``tests/<app>/role_expectations.py`` as a
list named ``ROUTES``; ``tests/core/test_roles.py`` gathers them all, fails if
any URL of the app is missing, then requests every route as every role.
"""

from __future__ import annotations

import importlib
import pkgutil
from collections.abc import Callable
from dataclasses import dataclass, field
from typing import Any

from waypost.connect import scopes as scope_registry

SCOPE_ROLES = [f"ally_scope_{s.key}" for s in scope_registry.all_scopes()]
ALLIES = ["ally_none", "ally_all", "ally_ended", *SCOPE_ROLES]
STAFF = ["clinician", "other_clinician", "foreign_clinician", "admin"]
SIGNED_IN = ["client", *STAFF, *ALLIES]
ROLES = ["anonymous", *SIGNED_IN]
EVERYONE = frozenset(ROLES)
ANY_SIGNED_IN = frozenset(SIGNED_IN)


def allies_with(scope: str) -> frozenset[str]:
    """Ally roles whose consent includes ``scope``."""
    return frozenset({"ally_all", f"ally_scope_{scope}"})


@dataclass(frozen=True)
class Route:
    """One URL and who may use it.

    ``name`` is the URL name (with namespace) as the resolver knows it.
    ``allowed`` lists role names; everyone else must be refused: anonymous
    with a redirect to sign-in (or 401 for the API), signed-in people with
    403 or 404. ``kwargs`` builds the URL's arguments from the cast.
    """

    name: str
    allowed: frozenset[str]
    kwargs: Callable[[Any], dict] = field(default=lambda cast: {})
    method: str = "get"
    data: Callable[[Any], dict] = field(default=lambda cast: {})
    # Statuses that count as "allowed" besides 2xx/3xx (e.g. 400 for an empty POST).
    also_ok: frozenset[int] = frozenset()
    note: str = ""


def all_routes() -> list[Route]:
    """Every app's ``ROUTES``, gathered from ``tests/<app>/role_expectations.py``."""
    import tests

    routes: list[Route] = []
    for info in pkgutil.iter_modules(tests.__path__):
        if not info.ispkg:
            continue
        try:
            module = importlib.import_module(f"tests.{info.name}.role_expectations")
        except ModuleNotFoundError:
            continue
        routes.extend(module.ROUTES)
    return routes
