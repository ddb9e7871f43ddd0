"""Groups on the client's pages (their groups, Connect, Today), the record and an ally's page."""

from __future__ import annotations

from datetime import UTC, datetime, timedelta

import pytest
from django.db import connection
from django.test import RequestFactory
from django.test.utils import CaptureQueriesContext
from django.urls import reverse

from tests.group_therapy.helpers import make_group
from waypost.access.policy import forget_roles, roles_of
from waypost.connect.groups import panels, services
from waypost.connect.services import set_consent
from waypost.core.models import AuditEvent

pytestmark = pytest.mark.django_db

PAST = datetime(2030, 3, 2, 5, tzinfo=UTC)
NEXT = datetime(2030, 3, 16, 5, tzinfo=UTC)


@pytest.fixture
def group(cast, frozen):
    programme = make_group(cast, members=(cast.enrollment,))
    services.take_attendance(
        programme=programme,
        original=PAST - timedelta(weeks=2),
        enrollment=cast.enrollment,
        status="present",
        by=cast.clinician,
    )
    services.take_attendance(
        programme=programme,
        original=PAST,
        enrollment=cast.enrollment,
        status="excused",
        by=cast.clinician,
    )
    services.cancel_occurrence(
        programme=programme,
        original=NEXT + timedelta(weeks=2),
        reason="The clinic is closed.",
        by=cast.clinician,
    )
    return programme


def _request(user):
    request = RequestFactory().get("/connect/")
    request.user = user
    return request


def test_the_clients_page_shows_when_and_where_and_what_changed(cast, group, as_user):
    page = as_user(cast.client).get(reverse("group_therapy:mine")).content.decode()
    assert "Saturday group" in page and "Group room" in page
    assert "Join online" in page and "https://video.example/group" in page
    assert "Sat 16 Mar 2030, 13:00–15:00" in page  # the client's zone: the clinic's
    assert "not taking place" in page and "The clinic is closed." in page
    assert "Cleo Clinician" in page
    assert "1 session" in page  # came to one (present); excused is not "came"


def test_a_client_in_another_zone_sees_their_own_time(cast, group, as_user):
    cast.client.time_zone = "Europe/London"
    cast.client.save(update_fields=["time_zone"])
    page = as_user(cast.client).get(reverse("group_therapy:mine")).content.decode()
    assert "Sat 16 Mar 2030, 05:00–07:00" in page
    assert "Times are in your time zone, Europe/London." in page


def test_the_connect_panel_costs_one_query_and_shows_the_next_session(cast, group):
    request = _request(cast.client)
    roles_of(cast.client)  # as on the page: the roles are read once per request, before
    with CaptureQueriesContext(connection) as queries:
        context = panels.connect_panel(request, cast.enrollment)
    assert len(queries) == 1  # every app's facts, in one query
    (shown,) = context["groups"]
    assert shown.programme.name == "Saturday group"
    assert shown.next.start.astimezone(UTC) == NEXT
    assert [o.reason for o in shown.called_off] == ["The clinic is closed."]


def test_no_panel_for_a_client_in_no_group_or_for_someone_else(cast, group):
    assert panels.connect_panel(_request(cast.foreign_client), cast.foreign_enrollment) is None
    assert panels.connect_panel(_request(cast.clinician), cast.enrollment) is None


def test_today_shows_the_next_group_session_within_its_budget(
    cast, group, as_user, django_assert_max_num_queries
):
    browser = as_user(cast.client)
    with django_assert_max_num_queries(8):
        page = browser.get(reverse("program:today")).content.decode()
    assert "Group session: Saturday group" in page


def test_the_record_card_shows_groups_and_attendance_and_is_audited(cast, group, as_user):
    page = as_user(cast.clinician).get(reverse("caseload:record", args=[cast.enrollment.pk]))
    card = page.content.decode()
    card = card[card.index('id="groups"') :]
    assert "Saturday group" in card
    assert "<dt>Present</dt><dd>1</dd>" in card and "<dt>Excused</dt><dd>1</dd>" in card
    assert "Sat 2 Mar 2030 · Saturday group: Excused" in card
    assert AuditEvent.objects.filter(
        actor=cast.clinician, client=cast.client, what="group card"
    ).exists()


def test_another_clinician_gets_no_record_card(cast, group):
    forget_roles(cast.other_clinician)
    assert panels.record_card(_request(cast.other_clinician), cast.enrollment) is None


def test_an_ally_sees_attendance_and_the_next_session_only_while_it_is_shared(cast, group, as_user):
    link = cast.links["groups"]
    browser = as_user(cast.allies["groups"])
    page = browser.get(reverse("connect:ally_shared", args=[link.pk])).content.decode()
    assert "Group sessions" in page
    assert "Sam Client has been to 1 group session." in page
    assert "next group session: <strong>Sat 16 Mar 2030, 13:00–15:00</strong>" in page
    assert "Group room" not in page and "video.example" not in page
    set_consent(link=link, scopes=[], by=cast.client)
    page = browser.get(reverse("connect:ally_shared", args=[link.pk])).content.decode()
    assert "group session" not in page


def test_the_record_card_costs_four_queries_whatever_the_history(cast, group):
    request = _request(cast.clinician)
    roles_of(cast.clinician)
    with CaptureQueriesContext(connection) as queries:
        panels.record_card(request, cast.enrollment)
    # places, every mark, the exceptions (for the next session), the audit row
    assert len(queries) == 4
    request = _request(cast.clinician)
    roles_of(cast.clinician)
    with CaptureQueriesContext(connection) as queries:
        assert panels.record_card(request, cast.foreign_enrollment) is None
    assert len(queries) == 0


def test_the_connect_page_has_a_your_groups_section(cast, group, as_user):
    page = as_user(cast.client).get(reverse("connect:allies")).content.decode()
    section = page[page.index('id="groups-panel-heading"') :]
    assert "Saturday group" in section
    assert "Sat 16 Mar 2030, 13:00–15:00" in section
    assert "Sat 30 Mar 2030, 13:00–15:00: not taking place." in section
    assert "group_therapy/groups.css" in page
