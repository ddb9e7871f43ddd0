"""The guide for allies: what helps, what harms, looking after yourself, crisis help."""

from __future__ import annotations

import pytest
from django.urls import reverse

pytestmark = pytest.mark.django_db

URL = reverse("connect:ally_guide")


@pytest.mark.parametrize("role", ["ally_none", "ally_all"])
def test_every_ally_may_read_it_whatever_they_were_shared(cast, as_user, role):
    # given an ally, with or without consent scopes
    # when they open the guide
    response = as_user(getattr(cast, role)).get(URL)
    # then it covers what helps, what harms, self-care and urgent help
    page = response.content.decode()
    assert response.status_code == 200
    for heading in (
        "What tends to help",
        "What tends to make things harder",
        "Secrecy shrinks where honesty is safe",
        "Look after yourself too",
        "When it is urgent",
    ):
        assert heading in page
    for harm in ("Punishment", "Surveillance", "Shaming"):
        assert harm in page
    assert reverse("help") in page


def test_it_shows_no_client_data(cast, as_user):
    page = as_user(cast.ally_all).get(URL).content.decode()
    for text in ("Sam", "Abstinence", "Cleo Clinician", "North crisis line"):
        assert text not in page


def test_the_client_may_read_what_their_allies_are_told(cast, as_user):
    response = as_user(cast.client).get(URL)
    assert response.status_code == 200
    assert reverse("connect:allies") in response.content.decode()


@pytest.mark.parametrize("role", ["clinician", "admin"])
def test_others_are_refused(cast, as_user, role):
    assert as_user(getattr(cast, role)).get(URL).status_code == 403


def test_an_ally_whose_sharing_ended_may_still_read_the_guide(cast, as_user):
    assert as_user(cast.ally_ended).get(URL).status_code == 200


def test_it_avoids_labels_that_shame(cast, as_user):
    page = as_user(cast.ally_all).get(URL).content.decode().lower()
    for word in ("addict", "clean", "dirty", "relapse"):
        assert word not in page
