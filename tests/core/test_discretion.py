"""The discretion check: words that say what Waypost is about, anywhere in a text."""

from __future__ import annotations

import pytest

from waypost.core.discretion import discreet, is_discreet


@pytest.mark.parametrize(
    "text",
    ["Sex Addicts Anonymous", "SLAA: sex and love", "Recovery group", "Urge surfing", "PORN"],
)
def test_texts_that_give_the_subject_away_are_replaced(text):
    assert not is_discreet(text)
    assert discreet(text, "Meeting") == "Meeting"


@pytest.mark.parametrize("text", ["Saturday group", "Lantern Morning Circle", "Waypost", ""])
def test_neutral_texts_stay_as_they_are(text):
    assert is_discreet(text)
    assert discreet(text, "Meeting") == text
