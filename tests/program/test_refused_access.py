"""Refused access to a client's record is audited: one row for each attempt, kept after the 404.

Every page of a client's record comes in through ``program.selectors.record_of_client``.
Someone who is not the client's primary clinician gets a 404 (or a 403) and leaves one
``was refused`` row in the clinic's audit trail, naming who tried, which client and
which page. An id that does not exist names no client: it goes to the security log.
"""

from __future__ import annotations

import logging
import re

import pytest
from django.db import DEFAULT_DB_ALIAS, connection, connections
from django.urls import URLPattern, URLResolver, get_resolver, reverse

from tests.cast import build_cast
from tests.roles import Route, all_routes
from waypost.core.models import AuditEvent

# Everyone who may not open the cast client's record: a colleague at the same clinic,
# a clinician of another clinic, the clinic's admin, an ally who is shown everything,
# and another clinic's client.
OUTSIDERS = ["other_clinician", "foreign_clinician", "admin", "ally_all", "foreign_client"]
# assessments/views/clinician.py does not pass the page's path to record_of_client (yet):
# its refusals are recorded with an empty path.
WITHOUT_PATH = ("assessments:",)


def _patterns(patterns, namespace: str | None = None) -> dict[str, str]:
    """URL name → its route, every pattern of the site."""
    found: dict[str, str] = {}
    for pattern in patterns:
        if isinstance(pattern, URLResolver):
            ns = pattern.namespace
            inner = f"{namespace}:{ns}" if namespace and ns else (ns or namespace)
            for name, route in _patterns(pattern.url_patterns, inner).items():
                found[name] = f"{pattern.pattern}{route}"
        elif isinstance(pattern, URLPattern) and pattern.name:
            found[f"{namespace}:{pattern.name}" if namespace else pattern.name] = str(
                pattern.pattern
            )
    return found


def _record_routes() -> list[Route]:
    """Every URL of a client's record: an enrollment in the path, for the clinician only."""
    patterns = _patterns(get_resolver().url_patterns)
    return [
        route
        for route in all_routes()
        if "enrollment_id>" in patterns.get(route.name, "")
        and route.allowed == frozenset({"clinician"})
    ]


RECORD_ROUTES = _record_routes()


def _request(browser, route: Route, cast, url: str):
    return getattr(browser, route.method)(url, route.data(cast))


def test_the_record_pages_are_found():
    names = {route.name for route in RECORD_ROUTES}
    assert {"caseload:record", "safety:client_plan", "api:enrollment"} <= names
    assert any(name.startswith("assessments:") for name in names)
    assert any(name.startswith("intake:") for name in names)
    assert any(name.startswith("motivation:") for name in names)


@pytest.mark.django_db
@pytest.mark.parametrize("route", RECORD_ROUTES, ids=lambda r: r.name)
def test_each_refused_attempt_at_a_record_page_leaves_one_refused_row(route, client, cast):
    url = reverse(route.name, kwargs=route.kwargs(cast))
    for role in OUTSIDERS:
        # given someone who may not see the client's record
        user = cast.role(role)
        before = list(AuditEvent.objects.values_list("pk", flat=True))
        client.logout()
        client.force_login(user)
        # when they ask for one of its pages
        response = _request(client, route, cast, url)
        # then they are refused, and the trail holds exactly that attempt
        assert response.status_code in (403, 404), (role, response.status_code)
        new = list(AuditEvent.objects.exclude(pk__in=before))
        assert [(e.actor, e.client, e.clinic, e.action, e.what) for e in new] == [
            (user, cast.client, cast.clinic, "refused", "client record")
        ], role
        expected_paths = ("", url) if route.name.startswith(WITHOUT_PATH) else (url,)
        assert new[0].path in expected_paths


@pytest.mark.django_db
@pytest.mark.parametrize("route", RECORD_ROUTES, ids=lambda r: r.name)
def test_an_attempt_at_a_record_that_does_not_exist_is_logged_not_audited(
    route, client, cast, caplog
):
    # given an id that belongs to no enrollment
    missing = max(cast.enrollment.pk, cast.foreign_enrollment.pk) + 1000
    url = reverse(route.name, kwargs={**route.kwargs(cast), "enrollment_id": missing})
    client.force_login(cast.other_clinician)
    before = AuditEvent.objects.count()
    # when someone asks for it
    with caplog.at_level(logging.WARNING, logger="waypost.security"):
        response = _request(client, route, cast, url)
    # then a plain 404, nothing in any clinic's trail, and one line in the security log
    assert response.status_code == 404
    assert AuditEvent.objects.count() == before
    [line] = [r.getMessage() for r in caplog.records if r.name == "waypost.security"]
    assert f"client record {missing} (no such id)" in line
    assert f"by user {cast.other_clinician.pk}" in line
    # ids and the path only: no name, no e-mail address
    assert cast.other_clinician.email not in line and "Otto" not in line


def _without_csrf_token(html: bytes) -> str:
    return re.sub(r'name="csrfmiddlewaretoken" value="[^"]*"', "", html.decode())


def test_someone_elses_client_and_no_client_answer_alike(client, cast):
    client.force_login(cast.other_clinician)
    real = client.get(reverse("caseload:record", args=[cast.enrollment.pk]))
    missing = client.get(reverse("caseload:record", args=[cast.enrollment.pk + 1000]))
    assert real.status_code == missing.status_code == 404
    assert _without_csrf_token(real.content) == _without_csrf_token(missing.content)


def test_the_client_on_their_own_records_clinician_page_is_refused_but_not_audited(client, cast):
    # given the client, who sees their record through their own pages
    client.force_login(cast.client)
    before = AuditEvent.objects.count()
    # when they open the clinician's page of their own record
    response = client.get(reverse("caseload:record", args=[cast.enrollment.pk]))
    # then they are refused, and the trail (about other people's access) is unchanged
    assert response.status_code == 404
    assert AuditEvent.objects.count() == before


def test_the_primary_clinician_leaves_no_refused_row(client, cast):
    client.force_login(cast.clinician)
    assert client.get(reverse("caseload:record", args=[cast.enrollment.pk])).status_code == 200
    assert not AuditEvent.objects.filter(action="refused").exists()


def test_a_former_clinician_is_refused_and_audited(client, cast):
    # given the client was given another clinician
    from waypost.clinics.models import ClinicianProfile
    from waypost.clinics.services import reassign_primary_clinician

    other = ClinicianProfile.objects.get(user=cast.other_clinician)
    reassign_primary_clinician(enrollment=cast.enrollment, clinician_profile=other, by=cast.admin)
    client.force_login(cast.clinician)
    # when the former clinician opens the record
    response = client.get(reverse("caseload:record", args=[cast.enrollment.pk]))
    # then
    assert response.status_code == 404
    row = AuditEvent.objects.get(action="refused")
    assert (row.actor, row.client) == (cast.clinician, cast.client)


# --- the row outlives the 404 ---------------------------------------------------------


def _committed_refusals(actor_id: int) -> int:
    """Refused rows of ``actor_id`` as another database connection sees them: committed ones."""
    other = connections.create_connection(DEFAULT_DB_ALIAS)
    try:
        with other.cursor() as cursor:
            cursor.execute(
                "SELECT COUNT(*) FROM core_auditevent WHERE actor_id = %s AND action = %s",
                [actor_id, "refused"],
            )
            return cursor.fetchone()[0]
    finally:
        other.close()


@pytest.mark.django_db(transaction=True)
def test_the_refused_row_is_committed_although_the_request_ends_in_404(client):
    # given real transactions (no test transaction around the request)
    cast = build_cast()
    client.force_login(cast.foreign_clinician)
    # when a clinician of another clinic asks for the record
    response = client.get(reverse("caseload:record", args=[cast.enrollment.pk]))
    # then the answer is 404, and another connection already sees the row: it was committed
    assert response.status_code == 404
    assert not connection.in_atomic_block
    assert _committed_refusals(cast.foreign_clinician.pk) == 1


@pytest.mark.django_db
def test_with_atomic_requests_on_a_refusal_fails_loudly_instead_of_vanishing(client, cast):
    # given requests wrapped in a transaction, which the 404 would roll back
    client.force_login(cast.other_clinician)
    connection.settings_dict["ATOMIC_REQUESTS"] = True
    try:
        # when someone is refused, then the row is not silently lost with the rollback
        with pytest.raises(RuntimeError, match="durable"):
            client.get(reverse("caseload:record", args=[cast.enrollment.pk]))
    finally:
        connection.settings_dict["ATOMIC_REQUESTS"] = False
    assert not AuditEvent.objects.filter(action="refused").exists()


def test_requests_are_not_wrapped_in_a_transaction(settings):
    # The refused row is written in its own transaction before the 404 is raised;
    # ATOMIC_REQUESTS would roll it back (and record_refusal refuses to run inside it).
    assert not settings.DATABASES[DEFAULT_DB_ALIAS].get("ATOMIC_REQUESTS", False)
