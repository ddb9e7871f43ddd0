"""A client's reading: started when opened, read when they say so, a private encrypted note."""

from __future__ import annotations

import pytest
from django.db import connection
from django.urls import reverse

from waypost.core.models import TimelineEvent
from waypost.learn.models import ModuleProgress

pytestmark = pytest.mark.django_db


def _library(client) -> str:
    return client.get(reverse("learn:library")).content.decode()


def _item(page: str, title: str) -> str:
    """The library card that holds ``title``."""
    start = page.index(title)
    return page[start : page.index("</li>", start)]


def test_every_module_starts_as_not_started(cast, client):
    client.force_login(cast.client)
    page = _library(client)
    assert "Not started" in _item(page, "Shame, guilt and secrecy")
    assert "Core modules: 0 of 5 read." in page


def test_opening_a_module_marks_it_started(cast, client):
    # Given a client who has not opened the 5 Cs
    client.force_login(cast.client)
    # When they open it
    response = client.get(reverse("learn:module", args=["five-cs"]))
    # Then it reads well and counts as started, not read
    assert response.status_code == 200
    page = response.content.decode()
    assert "The 5 Cs" in page and "Questions to reflect on" in page and "Sources" in page
    assert "5 minute read" in page
    progress = ModuleProgress.objects.get(client=cast.client, module_slug="five-cs")
    assert progress.started_at is not None and progress.read_at is None
    assert "In progress" in _item(_library(client), "The 5 Cs")


def test_opening_it_again_keeps_the_first_start(cast, client):
    client.force_login(cast.client)
    client.get(reverse("learn:module", args=["five-cs"]))
    first = ModuleProgress.objects.get(client=cast.client).started_at
    client.get(reverse("learn:module", args=["five-cs"]))
    assert ModuleProgress.objects.get(client=cast.client).started_at == first
    assert ModuleProgress.objects.count() == 1


def test_mark_as_read_records_it_once_and_tells_the_timeline(cast, client):
    client.force_login(cast.client)
    url = reverse("learn:mark_read", args=["five-cs"])
    # When the client marks it read (twice, as a double tap would)
    response = client.post(url)
    client.post(url)
    # Then it is read, once, with one timeline event for the clinician
    assert response.status_code == 302
    assert response["Location"] == reverse("learn:module", args=["five-cs"])
    progress = ModuleProgress.objects.get(client=cast.client, module_slug="five-cs")
    assert progress.read_at is not None
    events = TimelineEvent.objects.filter(enrollment=cast.enrollment, kind="learn.module_read")
    assert events.count() == 1
    assert "The 5 Cs" in events.get().summary
    page = client.get(reverse("learn:module", args=["five-cs"])).content.decode()
    assert "You marked this as read on" in page
    assert "Mark as read</button>" not in page
    assert "Read" in _item(_library(client), "The 5 Cs")
    assert "Core modules: 1 of 5 read." in _library(client)


def test_marking_an_unknown_module_is_a_plain_404(cast, client):
    client.force_login(cast.client)
    assert client.post(reverse("learn:mark_read", args=["no-such-module"])).status_code == 404
    assert client.get(reverse("learn:module", args=["no-such-module"])).status_code == 404


def test_the_reflection_note_is_encrypted_at_rest(cast, client):
    client.force_login(cast.client)
    secret = "It started when I was fourteen and lonely."
    response = client.post(reverse("learn:note", args=["five-cs"]), {"note": secret})
    assert response.status_code == 302
    # the client sees it again
    page = client.get(reverse("learn:module", args=["five-cs"])).content.decode()
    assert secret in page
    # the database holds only ciphertext
    with connection.cursor() as cursor:
        cursor.execute("SELECT note FROM learn_moduleprogress")
        [(raw,)] = cursor.fetchall()
    assert secret not in raw and raw.startswith("fernet:")


def test_the_note_is_optional_and_can_be_cleared(cast, client):
    client.force_login(cast.client)
    url = reverse("learn:note", args=["five-cs"])
    client.post(url, {"note": "something"})
    response = client.post(url, {"note": ""}, follow=True)
    assert "Your note is cleared." in response.content.decode()
    assert ModuleProgress.objects.get(client=cast.client).note == ""


def test_a_note_that_is_too_long_is_explained_and_not_saved(cast, client):
    client.force_login(cast.client)
    response = client.post(reverse("learn:note", args=["five-cs"]), {"note": "x" * 5001})
    assert response.status_code == 400
    assert "Please keep your note under 5000 characters." in response.content.decode()
    assert ModuleProgress.objects.get(client=cast.client).note == ""


def test_the_note_is_not_shown_to_the_clinician(cast, client):
    client.force_login(cast.client)
    client.post(reverse("learn:note", args=["five-cs"]), {"note": "only mine"})
    client.force_login(cast.clinician)
    for url in (
        reverse("caseload:record", args=[cast.enrollment.pk]),
        reverse("learn:module", args=["five-cs"]),
    ):
        assert "only mine" not in client.get(url).content.decode()


def test_the_library_filters_by_stage(cast, client):
    client.force_login(cast.client)
    page = client.get(reverse("learn:library"), {"stage": "4"}).content.decode()
    assert "Building a life you don" in page
    assert "The 5 Cs" not in page
    assert 'href="/learn/?stage=4" aria-current="page"' in page


@pytest.mark.parametrize("bad", ["9", "two", "", "1;drop"])
def test_a_bad_stage_filter_shows_everything(cast, client, bad):
    client.force_login(cast.client)
    response = client.get(reverse("learn:library"), {"stage": bad})
    assert response.status_code == 200
    page = response.content.decode()
    assert "The 5 Cs" in page and "Building a life you don" in page


def test_clients_may_read_what_allies_are_told(cast, client):
    client.force_login(cast.client)
    page = _library(client)
    assert "Written for your allies" in page
    assert "For partners and families" in page
    response = client.get(reverse("learn:module", args=["for-partners-and-families"]))
    assert response.status_code == 200


def test_the_page_title_is_discreet(cast, client):
    client.force_login(cast.client)
    page = client.get(reverse("learn:module", args=["supernormal-stimulus"])).content.decode()
    title = page[page.index("<title>") : page.index("</title>")]
    assert "Reading" in title and "sex" not in title.lower()
