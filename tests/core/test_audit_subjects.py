"""The audit trail shows what was seen in words, not internal keys."""

from __future__ import annotations

from django.utils import translation

from waypost.core.audit import describe


def test_known_subjects_are_shown_in_words():
    with translation.override("en"):
        assert describe("client record") == "Client record"
        assert describe("enrollment (API)") == "Program and stage history, through the API"
        assert describe("shared: journey") == "Seen by an ally: Journey"


def test_unknown_subjects_are_shown_as_recorded():
    assert describe("something new") == "something new"
    assert describe("shared: no_such_scope") == "Seen by an ally: no_such_scope"
