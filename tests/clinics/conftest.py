"""Signed-in browsers for the clinic pages: north's admin, south's admin, a clinician."""

from __future__ import annotations

import pytest
from django.test import Client

from tests.cast import make_user
from waypost.clinics.models import ClinicAdmin


@pytest.fixture
def as_admin(cast) -> Client:
    """A browser signed in as the admin of north (``cast.clinic``)."""
    browser = Client()
    browser.force_login(cast.admin)
    return browser


@pytest.fixture
def south_admin(cast):
    """The admin of south (``cast.other_clinic``), who has no say over north."""
    user = make_user("admin@south.test", "Sol South")
    ClinicAdmin.objects.create(user=user, clinic=cast.other_clinic)
    return user


@pytest.fixture
def as_south_admin(south_admin) -> Client:
    browser = Client()
    browser.force_login(south_admin)
    return browser


def messages_of(response) -> list[str]:
    return [str(m) for m in response.context["messages"]] if response.context else []
