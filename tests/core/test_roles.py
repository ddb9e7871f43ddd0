"""Every URL of the app, requested as every role, against the expected allow or refuse.

A URL that is not in any ``tests/<app>/role_expectations.py`` fails
``test_every_url_is_covered``: new URLs must join this test.

The allies with one consent scope each (``ally_scope_<key>``, one per registered scope)
are asked on every URL that lets some ally in, where the scope decides. On the others
(staff pages, a client's own pages) an ally is refused whatever they are shared, and
the ally sharing nothing, the ally sharing everything and the former ally stand for them
all: asking each one-scope ally there too would cost a request per scope per URL and
could only repeat those three answers.
"""

from __future__ import annotations

import pytest
from django.urls import URLPattern, URLResolver, get_resolver, reverse

from tests.roles import ALLIES, ROLES, SCOPE_ROLES, Route, all_routes

ROUTES = all_routes()


def roles_for(route: Route) -> list[str]:
    """Every role, but the one-scope allies only on URLs where some ally is let in."""
    if route.allowed & set(ALLIES):
        return ROLES
    return [role for role in ROLES if role not in SCOPE_ROLES]


def _url_names(patterns, namespace: str | None = None) -> set[str]:
    names: set[str] = set()
    for pattern in patterns:
        if isinstance(pattern, URLResolver):
            ns = pattern.namespace
            inner = f"{namespace}:{ns}" if namespace and ns else (ns or namespace)
            names |= _url_names(pattern.url_patterns, inner)
        elif isinstance(pattern, URLPattern):
            if not pattern.name:
                names.add(f"<unnamed {pattern.pattern}>")
            else:
                names.add(f"{namespace}:{pattern.name}" if namespace else pattern.name)
    return names


def test_every_url_is_covered():
    known = {route.name for route in ROUTES}
    missing = _url_names(get_resolver().url_patterns) - known
    assert not missing, f"add these URLs to a tests/<app>/role_expectations.py: {sorted(missing)}"


def test_no_route_is_listed_twice():
    names = [route.name for route in ROUTES]
    assert len(names) == len(set(names))


def _is_login_redirect(response) -> bool:
    return response.status_code == 302 and response["Location"].startswith("/login/")


@pytest.mark.django_db
@pytest.mark.parametrize("route", ROUTES, ids=lambda r: r.name)
def test_route_allows_and_refuses_each_role(route: Route, client, cast):
    url = reverse(route.name, kwargs=route.kwargs(cast) or None)
    outcomes = {}
    for role in roles_for(route):
        user = cast.role(role)
        client.logout()
        if user is not None:
            client.force_login(user)
        response = getattr(client, route.method)(url, route.data(cast))
        status = response.status_code
        if role in route.allowed:
            ok = (status < 400 or status in route.also_ok) and not _is_login_redirect(response)
        elif user is None:
            ok = _is_login_redirect(response) or status in (401, 403, 404)
        else:
            ok = status in (403, 404)
        outcomes[role] = (status, ok)
    wrong = {role: status for role, (status, ok) in outcomes.items() if not ok}
    assert not wrong, f"{route.name} ({url}): unexpected responses {wrong}"
