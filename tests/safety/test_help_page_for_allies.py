"""An ally's Get help now: crisis lines always; the clinic named only if the care team is shared."""

from __future__ import annotations

import pytest
from django.urls import reverse

from waypost.clinics.models import CrisisLine
from waypost.connect import scopes
from waypost.connect.services import link_ally
from waypost.safety.views import CARE_TEAM_SCOPE

pytestmark = pytest.mark.django_db

NEUTRAL = "Crisis lines you can call"


@pytest.fixture
def contact_details(cast):
    """North's own contact details, which only a care-team ally may see."""
    cast.clinic.contact_phone = "6123 4567"
    cast.clinic.contact_email = "hello@north.test"
    cast.clinic.address = "1 Harbour Road"
    cast.clinic.save()
    return ["North Clinic", "6123 4567", "hello@north.test", "1 Harbour Road"]


def _help(client, user) -> str:
    client.force_login(user)
    response = client.get(reverse("help"))
    assert response.status_code == 200
    return response.content.decode()


@pytest.mark.parametrize("role", ["ally_none", "ally_scope_journey"])
def test_an_ally_without_the_care_team_gets_the_lines_but_not_the_clinic(
    cast, client, contact_details, role
):
    # given an ally of a client who does not share their care team
    # when the ally opens Get help now
    page = _help(client, cast.role(role))
    # then the clinic's crisis lines are there, callable, under a neutral heading
    assert NEUTRAL in page
    assert "North crisis line" in page and 'href="tel:1767"' in page
    # and nothing names or reaches the clinic itself, nor any other clinic
    for detail in contact_details:
        assert detail not in page
    assert "South" not in page


@pytest.mark.parametrize("role", ["ally_scope_care_team", "ally_all"])
def test_an_ally_with_the_care_team_sees_which_clinic_the_lines_are_from(cast, client, role):
    page = _help(client, cast.role(role))
    assert "Crisis lines from North Clinic" in page
    assert "North crisis line" in page
    assert NEUTRAL not in page


def test_an_ally_of_two_people_sees_each_clinic_as_each_shares(cast, client, contact_details):
    # given the ally without scopes also supports south's client, who shares the care team
    link_ally(
        enrollment=cast.foreign_enrollment,
        ally=cast.ally_none,
        scopes=[scopes.CARE_TEAM],
        by=cast.foreign_client,
    )
    # when they open Get help now
    page = _help(client, cast.ally_none)
    # then south is named, north's lines stand apart without its name
    assert "Crisis lines from South Clinic" in page and "South crisis line" in page
    assert NEUTRAL in page and "North crisis line" in page
    for detail in contact_details:
        assert detail not in page


def test_the_same_hotline_from_two_unnamed_clinics_shows_once(cast, client):
    # given both clinics list the same public hotline, and neither client shares the care team
    for clinic in (cast.clinic, cast.other_clinic):
        CrisisLine.objects.create(clinic=clinic, name="Samaritans", phone="116 123")
    link_ally(
        enrollment=cast.foreign_enrollment, ally=cast.ally_none, scopes=[], by=cast.foreign_client
    )
    # when
    page = _help(client, cast.ally_none)
    # then it is listed once, with each clinic's own lines, and neither clinic is named
    assert page.count("<strong>Samaritans</strong>") == 1
    assert "North crisis line" in page and "South crisis line" in page
    assert "North Clinic" not in page and "South Clinic" not in page


def test_a_client_who_is_also_an_ally_still_sees_their_own_clinic_named(cast, client):
    # given the client is also an ally, without the care team, of another north client
    from tests.cast import make_user
    from waypost.program.services import enroll_client

    friend = make_user("friend@north.test", "Fran Friend")
    enrollment = enroll_client(
        client=friend, clinician_profile=cast.clinician_profile, by=cast.clinician
    )
    link_ally(enrollment=enrollment, ally=cast.client, scopes=[], by=friend)
    # when
    page = _help(client, cast.client)
    # then their own clinic is named, once
    assert page.count("Crisis lines from North Clinic") == 1
    assert NEUTRAL not in page


def test_the_scope_key_is_connects_care_team():
    # safety may not import connect; this keeps its copy of the key honest
    assert CARE_TEAM_SCOPE == scopes.CARE_TEAM
