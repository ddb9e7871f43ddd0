"""Consent scopes bring their own ally-facing section; the ally view needs no change.

The registry lives in core (``core.consent_scopes``) so apps below connect register
their own scopes; ``connect.scopes`` re-exports it for the apps above.
"""

from __future__ import annotations

import pytest
from django.urls import reverse

from waypost.connect import scopes as scope_registry
from waypost.connect.models import AllyLink
from waypost.core import consent_scopes
from waypost.core.models import AuditEvent

pytestmark = pytest.mark.django_db


@pytest.fixture
def note_scope(settings, tmp_path):
    """A scope added the way a later app would add one, removed again afterwards."""
    (tmp_path / "test_note.html").write_text("<p>Note for {{ name }}: {{ data.note }}</p>")
    engine = dict(settings.TEMPLATES[0])
    engine["DIRS"] = [tmp_path]
    settings.TEMPLATES = [engine]
    scope = scope_registry.ConsentScope(
        "test_note",
        "Test note",
        "A note used only by this test.",
        template="test_note.html",
        context=lambda link: {"note": f"link {link.pk} is open"},
    )
    scope_registry.register(scope)
    yield scope
    del scope_registry._registry["test_note"]


def test_a_registered_scope_renders_its_own_section(cast, as_user, note_scope):
    # given an ally whose link allows a newly registered scope
    link = cast.links["journey"]
    AllyLink.objects.filter(pk=link.pk).update(scopes=["journey", "test_note"])
    # when they open what Sam Client shares
    response = as_user(link.ally).get(reverse("connect:ally_shared", kwargs={"link_id": link.pk}))
    # then the new section appears, rendered from its own template and context, and is audited
    page = response.content.decode()
    assert f"Note for Sam Client: link {link.pk} is open" in page
    assert "Journey, Test note" in page
    assert AuditEvent.objects.filter(actor=link.ally, what="shared: test_note").exists()


def test_a_registered_scope_is_offered_to_the_client(cast, as_user, note_scope):
    page = as_user(cast.client).get(reverse("connect:invite")).content.decode()
    assert 'value="test_note"' in page
    assert "A note used only by this test." in page


def test_a_scope_without_consent_is_never_rendered(cast, as_user, note_scope):
    link = cast.links["journey"]
    response = as_user(link.ally).get(reverse("connect:ally_shared", kwargs={"link_id": link.pk}))
    assert "Note for" not in response.content.decode()


def test_a_stored_scope_that_is_no_longer_registered_is_skipped(cast, as_user):
    # given consent naming a scope whose app has gone
    link = cast.links["journey"]
    AllyLink.objects.filter(pk=link.pk).update(scopes=["journey", "retired_scope"])
    # when the ally and the client open their pages
    ally_page = as_user(link.ally).get(reverse("connect:ally_shared", kwargs={"link_id": link.pk}))
    client_page = as_user(cast.client).get(reverse("connect:allies"))
    # then both work and show only what still exists
    assert ally_page.status_code == 200 and client_page.status_code == 200
    assert "retired_scope" not in ally_page.content.decode()


def test_labels_and_known_keep_reading_order_and_skip_unknown_keys():
    assert scope_registry.labels(["care_team", "nope", "journey"]) == ["Journey", "Care team"]
    assert [s.key for s in scope_registry.known(["care_team"])] == ["care_team"]


def test_connect_re_exports_the_core_registry():
    # given the names other apps use through connect
    # then they are core's own, one registry for everyone
    assert scope_registry.register is consent_scopes.register
    assert scope_registry.ConsentScope is consent_scopes.ConsentScope
    assert scope_registry._registry is consent_scopes._registry
    assert scope_registry.all_scopes() == consent_scopes.all_scopes()


def test_the_program_and_stage_two_scopes_are_registered_in_reading_order():
    keys = [s.key for s in scope_registry.all_scopes()]
    # journey first, then what recovery shares, the care team after them
    mine = ["journey", "streak", "checkins", "lapses", "care_team"]
    assert [k for k in keys if k in mine] == mine
    # every scope says what it shares, in words, and has a section and a JSON view
    for scope in scope_registry.all_scopes():
        assert str(scope.label) and str(scope.explanation)
        assert scope.template, scope.key


def test_every_scope_registered_by_this_part_has_an_api_view():
    for key in ("journey", "care_team", "streak", "checkins", "lapses"):
        scope = scope_registry.get(key)
        assert scope is not None and scope.api is not None, key


def test_order_places_a_scope_and_equal_orders_keep_registration_order():
    # given two scopes registered late, one asking to come first
    early = consent_scopes.ConsentScope("test_early", "Early", "Comes first.", order=1)
    late = consent_scopes.ConsentScope("test_late", "Late", "Default order.")
    consent_scopes.register(late)
    consent_scopes.register(early)
    try:
        keys = [s.key for s in consent_scopes.all_scopes()]
        # then the early one leads and the late one follows every scope of order <= 100
        assert keys[0] == "test_early"
        assert keys.index("test_late") > keys.index("care_team")
        assert consent_scopes.clean(["test_late", "journey", "test_early"]) == [
            "test_early",
            "journey",
            "test_late",
        ]
    finally:
        del consent_scopes._registry["test_early"]
        del consent_scopes._registry["test_late"]


def test_a_key_is_registered_once():
    duplicate = consent_scopes.ConsentScope("journey", "Journey again", "A second journey.")
    with pytest.raises(ValueError, match="already registered"):
        consent_scopes.register(duplicate)


def test_clean_rejects_unknown_keys():
    with pytest.raises(ValueError, match="unknown consent scope"):
        scope_registry.clean(["journey", "nope"])
