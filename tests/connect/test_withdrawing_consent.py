"""An ally loses a scope the moment the client withdraws it: page and API, every scope.

Parametrised over the consent-scope registry, so a scope registered later by any app is
covered without touching this file. For each scope: the ally with only that scope sees
its section on the page and its entry in the API; the client unticks it; the ally's very
next page has no section and none of the section's words, and the API no entry.
"""

from __future__ import annotations

import json

import pytest
import time_machine
from django.test import Client
from django.urls import reverse

from tests.connect.helpers import (
    NOW,
    api_shared_url,
    section_texts,
    shared_url,
    shows,
    stage_two_history,
)
from waypost.connect import scopes as scope_registry

pytestmark = pytest.mark.django_db

SCOPE_KEYS = [scope.key for scope in scope_registry.all_scopes()]


@pytest.fixture
def history(cast):
    """The cast with three weeks of Stage 2, so every recovery section has real numbers."""
    with time_machine.travel(NOW, tick=False):
        stage_two_history(cast)
        yield cast


def browser(user) -> Client:
    """A browser of one's own (cookies, and so messages, are not shared with anyone)."""
    signed_in = Client()
    signed_in.force_login(user)
    return signed_in


def _page(link) -> str:
    response = browser(link.ally).get(shared_url(link))
    assert response.status_code == 200
    return response.content.decode()


def _api(link) -> dict:
    response = browser(link.ally).get(api_shared_url(link))
    assert response.status_code == 200, response.content
    return response.json()


def _json_values(value) -> list[str]:
    """The leaves of a scope's JSON worth searching for (words and numbers of some length)."""
    if isinstance(value, dict):
        return [leaf for item in value.values() for leaf in _json_values(item)]
    if isinstance(value, list):
        return [leaf for item in value for leaf in _json_values(item)]
    if isinstance(value, str) and len(value) >= 4:
        return [value]
    return []


@pytest.mark.parametrize("key", SCOPE_KEYS)
def test_withdrawing_a_scope_removes_it_from_the_page_and_the_api_at_once(history, key):
    cast = history
    link = cast.links[key]
    with time_machine.travel(NOW, tick=False):
        # given an ally the client shares only this scope with
        before = _page(link)
        shown = section_texts(before, key)
        assert f'id="section-{key}"' in before
        assert shown, f"the {key} section shows nothing"
        api_before = _api(link)
        assert [s["key"] for s in api_before["scopes"]] == [key]
        scope_json = api_before["scopes"][0]["data"]
        # (what any ally's page says whatever is shared: not the scope's data)
        common = _page(cast.links["none"])

        # when the client unticks it
        response = browser(cast.client).post(
            reverse("connect:consent", kwargs={"link_id": link.pk}), {}
        )
        assert response.status_code == 302

        # then the ally's very next page has no section and none of its words
        after = _page(link)
        assert f'id="section-{key}"' not in after
        assert section_texts(after, key) == []
        leaked = [text for text in shown if shows(after, text) and not shows(common, text)]
        assert not leaked, f"{key} still shows {leaked}"
        # and the API no longer lists it, nor any of its data
        api_after = _api(link)
        assert api_after["scopes"] == []
        body = json.dumps(api_after)
        assert not [v for v in _json_values(scope_json) if v in body]
        # and the ally's home no longer names it
        home = browser(link.ally).get(reverse("connect:ally_home")).content.decode()
        assert str(scope_registry.get(key).label) not in home


@pytest.mark.parametrize("key", SCOPE_KEYS)
def test_withdrawing_one_scope_leaves_the_others(history, key):
    cast = history
    link = cast.links["all"]
    with time_machine.travel(NOW, tick=False):
        # given an ally who sees everything
        # when the client withdraws one scope
        rest = [k for k in SCOPE_KEYS if k != key]
        browser(cast.client).post(
            reverse("connect:consent", kwargs={"link_id": link.pk}), {"scopes": rest}
        )
        # then that one is gone and every other is still there, on the page and in the API
        page = _page(link)
        assert f'id="section-{key}"' not in page
        for other in rest:
            assert f'id="section-{other}"' in page
        assert [s["key"] for s in _api(link)["scopes"]] == rest


def test_stopping_sharing_altogether_closes_the_page_and_the_api(history):
    cast = history
    link = cast.links["all"]
    with time_machine.travel(NOW, tick=False):
        browser(cast.client).post(reverse("connect:end", kwargs={"link_id": link.pk}))
        ally = browser(link.ally)
        assert ally.get(shared_url(link)).status_code == 404
        assert ally.get(api_shared_url(link)).status_code == 404
        assert ally.get("/api/v1/ally/links/").json() == []
