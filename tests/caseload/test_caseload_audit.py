"""The caseload leaves one audit row per client it listed: who saw which clients listed."""

from __future__ import annotations

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse

from tests.cast import make_user
from waypost.core.audit import describe
from waypost.core.models import AuditEvent
from waypost.program.services import enroll_client

pytestmark = pytest.mark.django_db


def _second_client(cast):
    client = make_user("client-2@north.test", "Robin Second")
    return enroll_client(client=client, clinician_profile=cast.clinician_profile, by=cast.clinician)


def _listed(actor) -> list[tuple]:
    rows = AuditEvent.objects.filter(actor=actor, what="caseload").order_by("client__name")
    return [(e.client, e.clinic, e.action, e.path) for e in rows]


def test_each_client_listed_on_the_caseload_is_audited(client, cast):
    # given a clinician with two clients
    second = _second_client(cast)
    client.force_login(cast.clinician)
    # when they open their caseload
    response = client.get(reverse("caseload:list"))
    # then one row per client listed, in that client's clinic's trail
    assert response.status_code == 200
    assert _listed(cast.clinician) == [
        (second.client, cast.clinic, "view", "/caseload/"),  # Robin Second
        (cast.client, cast.clinic, "view", "/caseload/"),  # Sam Client
    ]


def test_only_the_clients_shown_after_a_filter_are_audited(client, cast):
    # given two clients, one in stage 2 (the cast's) and one in stage 1
    _second_client(cast)
    client.force_login(cast.clinician)
    # when the clinician shows only stage 2
    client.get(reverse("caseload:list"), {"stage": "2"})
    # then only the client listed is in the trail
    assert [c for c, *_ in _listed(cast.clinician)] == [cast.client]


def test_an_empty_caseload_writes_nothing(client, cast):
    client.force_login(cast.other_clinician)
    with CaptureQueriesContext(connection) as captured:
        client.get(reverse("caseload:list"))
    assert not AuditEvent.objects.filter(actor=cast.other_clinician).exists()
    assert not any("core_auditevent" in q["sql"] and "INSERT" in q["sql"] for q in captured)


def test_the_rows_are_written_in_one_query(client, cast):
    # given four clients
    for i in range(3):
        enroll_client(
            client=make_user(f"more-{i}@north.test", f"More {i}"),
            clinician_profile=cast.clinician_profile,
            by=cast.clinician,
        )
    client.force_login(cast.clinician)
    with CaptureQueriesContext(connection) as captured:
        client.get(reverse("caseload:list"))
    inserts = [q for q in captured if q["sql"].startswith('INSERT INTO "core_auditevent"')]
    assert len(inserts) == 1
    assert len(_listed(cast.clinician)) == 4


def test_the_audit_page_says_where_the_client_was_seen():
    assert describe("caseload") == "Listed on the clinician's caseload"
