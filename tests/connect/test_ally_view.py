"""An ally sees exactly what was shared with them: one section per consented scope."""

from __future__ import annotations

import pytest
from django.urls import reverse

from waypost.core.models import AuditEvent

pytestmark = pytest.mark.django_db

# Text that belongs to each scope's section, and must appear nowhere else.
JOURNEY_TEXT = ["Abstinence", "stage 2 of 4", "What this stage is about"]
CARE_TEAM_TEXT = ["Cleo Clinician", "North Clinic", "North crisis line", "1767"]
# Never shown to any ally, whatever they may see.
NEVER = ["Ready to commit to a plan.", "Joined the program", "client@north.test"]


def every_scope() -> tuple[list[str], str]:
    """The keys of every registered scope, and their labels as the pages list them."""
    from waypost.connect import scopes

    registered = scopes.all_scopes()
    return [s.key for s in registered], ", ".join(str(s.label) for s in registered)


def shared_page(as_user, link) -> str:
    response = as_user(link.ally).get(reverse("connect:ally_shared", kwargs={"link_id": link.pk}))
    assert response.status_code == 200
    return response.content.decode()


def test_the_page_says_what_is_shared(cast, as_user):
    page = shared_page(as_user, cast.links["all"])
    assert f"Sam Client shares with you: <strong>{every_scope()[1]}</strong>." in page


def test_an_ally_with_the_journey_sees_the_stage_and_nothing_of_the_care_team(cast, as_user):
    # given an ally who may see the journey only
    # when they open what Sam Client shares
    page = shared_page(as_user, cast.links["journey"])
    # then the stage is there and the care team is not
    for text in JOURNEY_TEXT:
        assert text in page
    for text in CARE_TEAM_TEXT + NEVER:
        assert text not in page
    assert 'aria-current="step"' in page


def test_an_ally_with_the_care_team_sees_it_and_nothing_of_the_journey(cast, as_user):
    # given an ally who may see the care team only
    # when they open what Sam Client shares
    page = shared_page(as_user, cast.links["care_team"])
    # then the clinician, clinic and crisis lines are there and the stage is not
    for text in CARE_TEAM_TEXT:
        assert text in page
    for text in JOURNEY_TEXT + NEVER:
        assert text not in page
    assert "Journey" not in page


def test_an_ally_with_no_scope_sees_neither(cast, as_user):
    page = shared_page(as_user, cast.links["none"])
    assert "has not chosen to share anything here yet" in page
    for text in JOURNEY_TEXT + CARE_TEAM_TEXT + NEVER:
        assert text not in page


def test_an_ally_with_every_scope_still_never_sees_the_record(cast, as_user):
    page = shared_page(as_user, cast.links["all"])
    for text in JOURNEY_TEXT + CARE_TEAM_TEXT:
        assert text in page
    for text in NEVER:
        assert text not in page


def test_each_section_shown_is_audited(cast, as_user):
    # given an ally who may see everything
    ally = cast.ally_all
    # when they open what Sam Client shares
    shared_page(as_user, cast.links["all"])
    # then one audit record per section names them, the client and the scope
    whats = set(
        AuditEvent.objects.filter(actor=ally, client=cast.client, action="view").values_list(
            "what", flat=True
        )
    )
    assert whats == {f"shared: {key}" for key in every_scope()[0]}


def test_nothing_is_audited_when_nothing_is_shared(cast, as_user):
    shared_page(as_user, cast.links["none"])
    assert not AuditEvent.objects.filter(actor=cast.ally_none).exists()


def test_a_withdrawn_link_is_not_found(cast, as_user):
    link = cast.links["ended"]
    response = as_user(link.ally).get(reverse("connect:ally_shared", kwargs={"link_id": link.pk}))
    assert response.status_code == 404


def test_an_ally_cannot_open_another_allys_link(cast, as_user):
    # given an ally with only the journey
    browser = as_user(cast.allies["journey"])
    # when they open the link of the ally who sees everything
    response = browser.get(reverse("connect:ally_shared", kwargs={"link_id": cast.links["all"].pk}))
    # then it is not found, and only the refused attempt is in the trail: nothing was seen
    assert response.status_code == 404
    rows = AuditEvent.objects.filter(actor=cast.allies["journey"])
    assert [(e.action, e.what) for e in rows] == [("refused", "shared with an ally")]


@pytest.mark.parametrize("role", ["client", "clinician", "foreign_client"])
def test_non_allies_cannot_open_a_link_page(cast, as_user, role):
    response = as_user(getattr(cast, role)).get(
        reverse("connect:ally_shared", kwargs={"link_id": cast.links["all"].pk})
    )
    assert response.status_code == 404


def test_the_home_page_lists_each_person_with_what_they_share(cast, as_user):
    page = as_user(cast.ally_all).get(reverse("connect:ally_home")).content.decode()
    assert "Sam Client" in page
    assert f"Sam Client shares with you: <strong>{every_scope()[1]}</strong>" in page
    assert reverse("connect:ally_shared", kwargs={"link_id": cast.links["all"].pk}) in page
    for text in JOURNEY_TEXT + CARE_TEAM_TEXT:
        assert text not in page


def test_the_home_page_links_to_the_guide(cast, as_user):
    page = as_user(cast.ally_none).get(reverse("connect:ally_home")).content.decode()
    assert "Sam Client has not chosen to share anything here yet." in page
    assert reverse("connect:ally_guide") in page
