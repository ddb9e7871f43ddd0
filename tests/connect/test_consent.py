"""The client changes what an ally sees; the ally's very next page reflects it."""

from __future__ import annotations

import pytest
from django.urls import reverse

from waypost.connect.models import AllyLink

pytestmark = pytest.mark.django_db


def every_scope() -> list[str]:
    """What the cast's "all" ally shares: every scope an app registered."""
    from waypost.connect import scopes

    return [s.key for s in scopes.all_scopes()]


def consent_url(link):
    return reverse("connect:consent", kwargs={"link_id": link.pk})


def shared_url(link):
    return reverse("connect:ally_shared", kwargs={"link_id": link.pk})


def test_the_allies_page_says_in_words_what_each_ally_sees(cast, as_user):
    # given a client with several allies
    browser = as_user(cast.client)
    # when they open their allies page
    page = browser.get(reverse("connect:allies")).content.decode()
    # then each open link says what is shared, and the ended one is gone
    from waypost.connect import scopes

    labels = ", ".join(str(s.label) for s in scopes.all_scopes())
    assert f"Alex Everything sees: <strong>{labels}</strong>" in page
    assert "Nell Nothing sees nothing from you" in page
    assert "Eddie Ended" not in page
    assert consent_url(cast.links["all"]) in page


def test_the_consent_page_shows_what_is_ticked_now(cast, as_user):
    # given a client whose ally sees the journey only
    browser = as_user(cast.client)
    # when they open that ally's page
    page = browser.get(consent_url(cast.links["journey"])).content.decode()
    # then the journey box is ticked and the care team box is not
    assert 'value="journey" id="scope-journey" checked' in page
    assert 'value="care_team" id="scope-care_team">' in page


def test_adding_a_scope_shows_it_to_the_ally_on_their_next_page(cast, as_user, client):
    # given an ally who sees only the journey
    link = cast.links["journey"]
    ally_page = as_user(link.ally).get(shared_url(link)).content.decode()
    assert "Cleo Clinician" not in ally_page
    # when the client adds the care team
    response = as_user(cast.client).post(consent_url(link), {"scopes": ["journey", "care_team"]})
    # then it is saved, recorded, and the ally's next page shows it
    assert response.status_code == 302
    link.refresh_from_db()
    assert link.scopes == ["journey", "care_team"]
    event = cast.enrollment.timeline.filter(kind="connect.consent_changed").get()
    assert event.data == {"link": link.pk, "before": ["journey"], "after": ["journey", "care_team"]}
    ally_page = as_user(link.ally).get(shared_url(link)).content.decode()
    assert "Cleo Clinician" in ally_page


def test_removing_a_scope_hides_it_from_the_ally_at_once(cast, as_user):
    # given an ally who sees everything
    link = cast.links["all"]
    before = as_user(link.ally).get(shared_url(link)).content.decode()
    assert "Cleo Clinician" in before and "Abstinence" in before
    # when the client unticks the care team
    as_user(cast.client).post(consent_url(link), {"scopes": ["journey"]})
    # then the ally's very next page no longer shows it
    after = as_user(link.ally).get(shared_url(link)).content.decode()
    assert "Cleo Clinician" not in after
    assert "North crisis line" not in after
    assert "Abstinence" in after


def test_unticking_everything_leaves_the_link_but_shares_nothing(cast, as_user):
    # given an ally who sees everything
    link = cast.links["all"]
    # when the client unticks every box
    response = as_user(cast.client).post(consent_url(link), {}, follow=True)
    # then the ally remains, sees nothing, and the client is told so
    assert "Alex Everything no longer sees anything from you." in response.content.decode()
    link.refresh_from_db()
    assert link.scopes == [] and link.is_active
    page = as_user(link.ally).get(shared_url(link)).content.decode()
    assert "has not chosen to share anything here yet" in page
    assert "Abstinence" not in page and "Cleo Clinician" not in page


def test_saving_without_a_change_writes_no_event(cast, as_user):
    # given a client
    link = cast.links["journey"]
    # when they save the same choice again
    as_user(cast.client).post(consent_url(link), {"scopes": ["journey"]})
    # then the timeline stays as it was
    assert not cast.enrollment.timeline.filter(kind="connect.consent_changed").exists()


@pytest.mark.parametrize(
    "scopes",
    [["journey", "everything"], ["care_team", ""], ["../../etc"]],
    ids=["unknown", "empty-key", "junk"],
)
def test_a_tampered_form_changes_nothing(cast, as_user, scopes):
    # given an ally who sees the journey
    link = cast.links["journey"]
    # when the client's form comes back with a scope that does not exist
    response = as_user(cast.client).post(consent_url(link), {"scopes": scopes})
    # then a plain message is shown and nothing changes
    assert response.status_code == 400
    assert "was not recognised. Nothing was changed." in response.content.decode()
    link.refresh_from_db()
    assert link.scopes == ["journey"]
    assert not cast.enrollment.timeline.filter(kind="connect.consent_changed").exists()


@pytest.mark.parametrize("role", ["foreign_client", "ally_all", "clinician", "admin"])
def test_nobody_else_can_change_the_consent(cast, as_user, role):
    # given someone who is not the client
    browser = as_user(getattr(cast, role))
    link = cast.links["all"]
    # when they try to open or change the consent
    page = browser.get(consent_url(link))
    post = browser.post(consent_url(link), {"scopes": []})
    # then they are refused and the consent stays as it was
    assert page.status_code == 404
    assert post.status_code == 404
    link.refresh_from_db()
    assert link.scopes == every_scope()


def test_an_ended_link_cannot_be_changed(cast, as_user):
    # given a link the client already ended
    link = cast.links["ended"]
    # when the client tries to share with it again by id
    response = as_user(cast.client).post(consent_url(link), {"scopes": ["journey"]})
    # then it is not found and stays ended
    assert response.status_code == 404
    assert AllyLink.objects.get(pk=link.pk).ended_at is not None


def test_an_unknown_link_id_is_a_plain_404(cast, as_user):
    browser = as_user(cast.client)
    response = browser.get(reverse("connect:consent", kwargs={"link_id": 999999}))
    assert response.status_code == 404


def test_consent_changes_need_the_csrf_token(cast):
    # given a browser that enforces CSRF, signed in as the client
    from django.test import Client

    browser = Client(enforce_csrf_checks=True)
    browser.force_login(cast.client)
    link = cast.links["all"]
    # when a form without a token is posted
    response = browser.post(consent_url(link), {"scopes": []})
    # then it is refused and nothing changes
    assert response.status_code == 403
    link.refresh_from_db()
    assert link.scopes == every_scope()
