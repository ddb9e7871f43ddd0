"""The clinician's side outside the thread: the caseload column and the record card."""

from __future__ import annotations

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse

from tests.assessments.helpers import sign_in
from tests.cast import make_user
from tests.messaging.helpers import send
from waypost.caseload.messages import panels, services
from waypost.program.services import enroll_client

pytestmark = pytest.mark.django_db


def _more_clients(cast, n: int):
    enrollments = []
    for i in range(n):
        user = make_user(f"more{i}@north.test", f"More {i}")
        enrollment = enroll_client(
            client=user, clinician_profile=cast.clinician_profile, by=cast.clinician
        )
        services.send_message(
            enrollment=enrollment,
            by=user,
            body="Hi",
            client_uuid=f"00000000-0000-4000-8000-{i:012d}",
            notify=False,
        )
        enrollments.append(enrollment)
    return enrollments


def test_the_column_counts_unread_messages_from_each_client(cast):
    send(cast, cast.client, "One")
    send(cast, cast.client, "Two")
    send(cast, cast.clinician, "Mine do not count")
    cells = panels.unread_cells([cast.enrollment, cast.foreign_enrollment])
    assert list(cells) == [cast.enrollment.pk]
    cell = cells[cast.enrollment.pk]
    assert cell.text == "2 unread" and cell.attention
    assert cell.url == reverse("messaging:thread", args=[cast.enrollment.pk])


def test_the_column_costs_one_query_however_many_clients(cast):
    send(cast, cast.client, "One")
    with CaptureQueriesContext(connection) as few:
        panels.unread_cells([cast.enrollment])
    many = [cast.enrollment, *_more_clients(cast, 12)]
    with CaptureQueriesContext(connection) as lots:
        cells = panels.unread_cells(many)
    assert len(cells) == 13
    assert len(few.captured_queries) == len(lots.captured_queries) == 1


def test_the_caseload_shows_the_column_and_stays_flat(client, cast):
    send(cast, cast.client, "One")
    sign_in(client, cast.clinician)
    client.get(reverse("caseload:list"))  # the first request of a session costs more
    with CaptureQueriesContext(connection) as few:
        page = client.get(reverse("caseload:list")).content.decode()
    assert "Messages" in page and "1 unread" in page
    _more_clients(cast, 8)
    with CaptureQueriesContext(connection) as lots:
        client.get(reverse("caseload:list"))
    assert len(few.captured_queries) == len(lots.captured_queries)


def test_the_record_card_shows_the_unread_count_and_links_the_thread(client, cast):
    send(cast, cast.client, "Words that stay in the thread")
    sign_in(client, cast.clinician)
    page = client.get(reverse("caseload:record", args=[cast.enrollment.pk])).content.decode()
    assert "1 unread" in page
    assert reverse("messaging:thread", args=[cast.enrollment.pk]) in page
    assert "Words that stay" not in page


def test_the_record_card_costs_one_query(rf, cast):
    send(cast, cast.client, "One")
    request = rf.get("/")
    request.user = cast.clinician
    from waypost.access.policy import roles_of

    roles_of(cast.clinician)
    with CaptureQueriesContext(connection) as queries:
        context = panels.record_card(request, cast.enrollment)
    assert context is not None and context["summary"]["unread"] == 1
    assert len(queries.captured_queries) == 1
