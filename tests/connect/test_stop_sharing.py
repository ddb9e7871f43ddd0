"""The client stops sharing with an ally, after one confirmation; it applies at once."""

from __future__ import annotations

import pytest
from django.urls import reverse

pytestmark = pytest.mark.django_db


def end_url(link):
    return reverse("connect:end", kwargs={"link_id": link.pk})


def test_the_first_step_only_asks(cast, as_user):
    # given a client
    link = cast.links["all"]
    # when they click "Stop sharing"
    response = as_user(cast.client).get(end_url(link))
    # then they are asked to confirm, and nothing has changed yet
    assert response.status_code == 200
    assert "Stop sharing with Alex Everything?" in response.content.decode()
    link.refresh_from_db()
    assert link.is_active


def test_confirming_ends_the_link_and_the_ally_loses_access_at_once(cast, as_user):
    # given an ally who can see everything
    link = cast.links["all"]
    shared = reverse("connect:ally_shared", kwargs={"link_id": link.pk})
    assert as_user(link.ally).get(shared).status_code == 200
    # when the client confirms
    response = as_user(cast.client).post(end_url(link), follow=True)
    # then the link is ended and recorded, and the ally's next request finds nothing
    assert "You have stopped sharing with Alex Everything" in response.content.decode()
    link.refresh_from_db()
    assert link.ended_at is not None
    assert cast.enrollment.timeline.filter(kind="connect.ally_removed").count() == 2  # + cast's
    ally = as_user(link.ally)
    assert ally.get(shared).status_code == 404
    # and their page says kindly that nothing is shared, with nothing of the client's
    home = ally.get(reverse("connect:ally_home"))
    assert home.status_code == 200
    assert "Nobody is sharing with you at the moment" in home.content.decode()
    assert cast.client.name not in home.content.decode()


def test_an_ended_ally_is_no_longer_listed(cast, as_user):
    link = cast.links["journey"]
    browser = as_user(cast.client)
    browser.post(end_url(link))
    page = browser.get(reverse("connect:allies")).content.decode()
    main = page.split('id="main"')[1]
    assert "Ally journey" not in main
    assert "Alex Everything" in main


@pytest.mark.parametrize("role", ["foreign_client", "ally_all", "clinician"])
def test_nobody_else_can_end_the_link(cast, as_user, role):
    # given someone who is not the client
    link = cast.links["all"]
    # when they try to end it
    response = as_user(getattr(cast, role)).post(end_url(link))
    # then they are refused and the link stays open
    assert response.status_code == 404
    link.refresh_from_db()
    assert link.is_active
