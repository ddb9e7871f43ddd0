"""Family and partner sessions: recorded by the primary clinician, with the client's consent."""

from __future__ import annotations

import uuid
from datetime import date

import pytest
import time_machine
from django.db import connection
from django.test import Client
from django.urls import reverse

from tests.connect.helpers import NOW
from waypost.connect import services
from waypost.connect.models import FamilySession
from waypost.connect.selectors import family_sessions_for
from waypost.core.models import AuditEvent, TimelineEvent

pytestmark = [pytest.mark.django_db, pytest.mark.usefixtures("frozen")]

AGREEMENT = "Phones charge in the kitchen overnight."
TOPIC = "How the first weeks felt for both of them."


@pytest.fixture
def frozen():
    with time_machine.travel(NOW, tick=False):
        yield NOW


def url(cast) -> str:
    return reverse("connect:family_sessions", kwargs={"enrollment_id": cast.enrollment.pk})


def raw_columns(pk: int) -> tuple[str, ...]:
    """The stored text of a session's free-text columns, as the database holds it."""
    with connection.cursor() as cursor:
        cursor.execute(
            "SELECT others, topics, agreements FROM connect_familysession WHERE id = %s", [pk]
        )
        return cursor.fetchone()


def browser(user) -> Client:
    signed_in = Client()
    signed_in.force_login(user)
    return signed_in


def form(cast, **overrides) -> dict:
    data = {
        "held_on": "2030-03-10",
        "allies": [cast.links["all"].pk],
        "others": "Mei (sister)",
        "topics": TOPIC,
        "agreements": AGREEMENT,
        "client_consented": "on",
        "client_uuid": str(uuid.uuid4()),
    }
    data.update(overrides)
    return {k: v for k, v in data.items() if v is not None}


def test_the_page_offers_the_clients_open_allies_and_asks_for_consent(cast):
    page = browser(cast.clinician).get(url(cast)).content.decode()
    assert "Sam Client agreed to this session being recorded" in page
    assert f'value="{cast.links["all"].pk}"' in page
    assert "Alex Everything" in page
    # an ended link is not offered
    assert f'value="{cast.links["ended"].pk}"' not in page


def test_the_clinician_records_a_session_with_consent(cast):
    # given the client's primary clinician
    # when they record a session the client agreed to
    response = browser(cast.clinician).post(url(cast), form(cast))
    # then it is kept, encrypted, on the timeline and audited
    assert response.status_code == 302
    session = FamilySession.objects.get()
    assert session.held_on == date(2030, 3, 10)
    assert [link.pk for link in session.allies.all()] == [cast.links["all"].pk]
    assert session.other_people == ["Mei (sister)"] and session.agreements == AGREEMENT
    assert session.recorded_by == cast.clinician and session.client_consented
    assert all(value.startswith("fernet:") for value in raw_columns(session.pk))
    event = TimelineEvent.objects.get(kind="connect.family_session_recorded")
    assert event.actor == cast.clinician
    assert event.data == {"session": session.pk, "held_on": "2030-03-10", "allies": 1}
    assert AGREEMENT not in str(event.data) and TOPIC not in str(event.data)
    assert AuditEvent.objects.filter(
        actor=cast.clinician, client=cast.client, action="change", what="family sessions"
    ).exists()


def test_the_same_form_sent_twice_is_recorded_once(cast):
    sent = form(cast)
    clinician = browser(cast.clinician)
    assert clinician.post(url(cast), sent).status_code == 302
    assert clinician.post(url(cast), sent).status_code == 302
    assert FamilySession.objects.count() == 1
    assert TimelineEvent.objects.filter(kind="connect.family_session_recorded").count() == 1
    # a new form (a new id) is a new session
    assert clinician.post(url(cast), form(cast)).status_code == 302
    assert FamilySession.objects.count() == 2


def test_without_the_clients_agreement_nothing_is_recorded(cast):
    response = browser(cast.clinician).post(url(cast), form(cast, client_consented=None))
    assert response.status_code == 400
    assert "A session is recorded only when the client agrees" in response.content.decode()
    assert not FamilySession.objects.exists()
    assert not TimelineEvent.objects.filter(kind="connect.family_session_recorded").exists()


def test_the_service_refuses_without_consent_too(cast):
    with pytest.raises(services.FamilySessionError):
        services.record_family_session(
            enrollment=cast.enrollment,
            held_on=date(2030, 3, 10),
            others="Mei (sister)",
            client_consented=False,
            by=cast.clinician,
        )
    assert not FamilySession.objects.exists()


@pytest.mark.parametrize(
    ("overrides", "message"),
    [
        ({"held_on": "2030-03-20"}, "in the future"),
        ({"allies": None, "others": ""}, "choose an ally who took part"),
        ({"held_on": ""}, "Please give the date of the session."),
    ],
    ids=["future", "nobody", "no-date"],
)
def test_a_session_that_cannot_be_right_is_refused_kindly(cast, overrides, message):
    response = browser(cast.clinician).post(url(cast), form(cast, **overrides))
    assert response.status_code == 400
    assert message in response.content.decode()
    assert not FamilySession.objects.exists()


def test_another_clients_ally_cannot_be_slipped_in(cast):
    # given an ally link of someone else's client
    from tests.cast import make_user
    from waypost.connect.services import link_ally

    stranger = make_user("ally-south@south.test", "Sid South")
    theirs = link_ally(
        enrollment=cast.foreign_enrollment, ally=stranger, scopes=[], by=cast.foreign_client
    )
    # when the form comes back with it
    response = browser(cast.clinician).post(url(cast), form(cast, allies=[theirs.pk]))
    # then nothing is kept
    assert response.status_code == 400
    assert not FamilySession.objects.exists()
    # and the service refuses it too
    with pytest.raises(services.FamilySessionError):
        services.record_family_session(
            enrollment=cast.enrollment,
            held_on=date(2030, 3, 10),
            allies=[theirs],
            client_consented=True,
            by=cast.clinician,
        )


@pytest.mark.parametrize(
    "role", ["other_clinician", "foreign_clinician", "admin", "client", "ally_all"]
)
def test_nobody_but_the_primary_clinician_may_record_or_read(cast, role):
    user = getattr(cast, role)
    assert browser(user).get(url(cast)).status_code in (403, 404)
    assert browser(user).post(url(cast), form(cast)).status_code in (403, 404)
    assert not FamilySession.objects.exists()


def _record(cast) -> FamilySession:
    return services.record_family_session(
        enrollment=cast.enrollment,
        held_on=date(2030, 3, 10),
        allies=[cast.links["all"]],
        others="Mei (sister)",
        topics=TOPIC,
        agreements=AGREEMENT,
        client_consented=True,
        by=cast.clinician,
    )


def test_the_list_shows_every_session_to_the_clinician_and_is_audited(cast):
    _record(cast)
    page = browser(cast.clinician).get(url(cast)).content.decode()
    for text in ("10 March 2030", "Alex Everything", "Mei (sister)", TOPIC, AGREEMENT):
        assert text in page
    assert AuditEvent.objects.filter(
        actor=cast.clinician, action="view", what="family sessions"
    ).exists()


def test_the_client_sees_date_attendees_and_agreements_but_not_the_topics(cast):
    _record(cast)
    page = browser(cast.client).get(reverse("connect:allies")).content.decode()
    for text in ("Family and partner sessions", "10 March 2030", "Alex Everything", AGREEMENT):
        assert text in page
    assert "Mei (sister)" in page
    assert TOPIC not in page


def test_allies_never_see_the_session(cast):
    _record(cast)
    link = cast.links["all"]
    for path in (
        reverse("connect:ally_home"),
        reverse("connect:ally_shared", kwargs={"link_id": link.pk}),
    ):
        page = browser(link.ally).get(path).content.decode()
        assert AGREEMENT not in page and TOPIC not in page


def test_the_selector_lists_newest_first_with_the_allies(cast, django_assert_num_queries):
    _record(cast)
    services.record_family_session(
        enrollment=cast.enrollment,
        held_on=date(2030, 3, 12),
        others="Jo (friend)",
        client_consented=True,
        by=cast.clinician,
    )
    with django_assert_num_queries(2):
        sessions = list(family_sessions_for(cast.enrollment))
        names = [[link.ally.name for link in s.allies.all()] for s in sessions]
    assert [s.held_on.day for s in sessions] == [12, 10]
    assert names == [[], ["Alex Everything"]]


def test_the_record_links_to_the_page_for_the_primary_clinician_only(cast):
    record = reverse("caseload:record", kwargs={"enrollment_id": cast.enrollment.pk})
    assert url(cast) in browser(cast.clinician).get(record).content.decode()
