"""Who reads what: allies only what is written for them, staff a preview, strangers nothing."""

from __future__ import annotations

import pytest
from django.urls import reverse
from django.utils.html import escape

from tests.cast import make_user
from waypost.learn.content import library
from waypost.learn.models import ModuleProgress

pytestmark = pytest.mark.django_db


def test_an_ally_sees_only_modules_written_for_allies(cast, client):
    client.force_login(cast.ally_none)
    page = client.get(reverse("learn:library")).content.decode()
    for module in library():
        assert (escape(module.title) in page) == module.for_allies, module.slug
    assert "For partners and families" in page
    assert "Not started" not in page  # no progress for allies
    assert "Core" not in page


def test_an_ally_cannot_open_a_client_only_module(cast, client):
    client.force_login(cast.ally_all)
    assert client.get(reverse("learn:module", args=["talking-to-a-partner"])).status_code == 404
    assert client.get(reverse("learn:module", args=["values-and-distress"])).status_code == 404


def test_an_ally_reads_their_module_without_progress_being_kept(cast, client):
    client.force_login(cast.ally_all)
    response = client.get(reverse("learn:module", args=["for-partners-and-families"]))
    page = response.content.decode()
    assert response.status_code == 200
    assert "you do not have to be the police" in page.lower()
    assert "Mark as read" not in page
    assert "Your reflection" not in page
    assert not ModuleProgress.objects.exists()


def test_an_ally_cannot_mark_read_or_keep_notes(cast, client):
    client.force_login(cast.ally_all)
    slug = "for-partners-and-families"
    assert client.post(reverse("learn:mark_read", args=[slug])).status_code == 403
    assert client.post(reverse("learn:note", args=[slug]), {"note": "x"}).status_code == 403
    assert not ModuleProgress.objects.exists()


def test_an_ally_whose_link_ended_is_refused(cast, client):
    client.force_login(cast.ally_ended)
    assert client.get(reverse("learn:library")).status_code == 403


def test_a_signed_in_stranger_is_refused(cast, client):
    client.force_login(make_user("stranger@north.test", "Stan Stranger"))
    assert client.get(reverse("learn:library")).status_code == 403
    assert client.get(reverse("learn:module", args=["five-cs"])).status_code == 403


def test_anonymous_visitors_are_sent_to_sign_in(client, db):
    for url in (reverse("learn:library"), reverse("learn:module", args=["five-cs"])):
        response = client.get(url)
        assert response.status_code == 302 and response["Location"].startswith("/login/")


def test_a_clinician_previews_every_module_without_progress(cast, client):
    client.force_login(cast.other_clinician)
    page = client.get(reverse("learn:library")).content.decode()
    assert all(escape(m.title) in page for m in library())
    assert "For allies" in page and "For clients and allies" in page
    module = client.get(reverse("learn:module", args=["five-cs"])).content.decode()
    assert "You are previewing this module" in module
    assert "Mark as read" not in module
    assert not ModuleProgress.objects.exists()


def test_a_clinician_cannot_mark_read_for_a_client(cast, client):
    client.force_login(cast.clinician)
    assert client.post(reverse("learn:mark_read", args=["five-cs"])).status_code == 403


def test_the_today_card_is_only_on_the_clients_own_today(cast, client):
    client.force_login(cast.client)
    assert 'data-step="learn.' in client.get(reverse("program:today")).content.decode()
