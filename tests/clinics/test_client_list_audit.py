"""The clinic admin's client list leaves one audit row per client it listed."""

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


def _roster(cast) -> str:
    return reverse("clinics:roster", kwargs={"slug": cast.clinic.slug})


def test_each_client_on_the_clinics_client_list_is_audited(cast, as_admin):
    # given north has two active clients (south's is not theirs)
    second = enroll_client(
        client=make_user("client-2@north.test", "Robin Second"),
        clinician_profile=cast.clinician_profile,
        by=cast.clinician,
    )
    # when the admin opens the client list
    with CaptureQueriesContext(connection) as captured:
        response = as_admin.get(_roster(cast))
    # then one row per client listed, written in one query; nobody else's
    assert response.status_code == 200
    rows = AuditEvent.objects.filter(actor=cast.admin, what="clinic client list")
    assert {(e.client, e.clinic, e.action, e.path) for e in rows} == {
        (cast.client, cast.clinic, "view", _roster(cast)),
        (second.client, cast.clinic, "view", _roster(cast)),
    }
    assert len(rows) == 2
    inserts = [q for q in captured if q["sql"].startswith('INSERT INTO "core_auditevent"')]
    assert len(inserts) == 1


def test_the_list_shows_the_same_clients_it_audits(cast, as_admin):
    response = as_admin.get(_roster(cast))
    listed = {e.client_id for e in response.context["enrollments"]}
    audited = set(
        AuditEvent.objects.filter(actor=cast.admin, what="clinic client list").values_list(
            "client_id", flat=True
        )
    )
    assert listed == audited == {cast.client.pk}


def test_the_audit_page_says_where_the_client_was_seen():
    assert describe("clinic client list") == "Listed on the clinic's client list"
