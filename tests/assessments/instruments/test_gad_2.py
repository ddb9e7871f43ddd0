"""GAD-2: the GAD-7's first two questions, screen positive at 3 (Kroenke et al. 2007)."""

from __future__ import annotations

import itertools

import pytest

from waypost.assessments import catalog, scoring

ENTRY = catalog.get("gad-2")
GAD2 = ENTRY.instrument
GAD7 = catalog.get("gad-7").instrument


def test_it_is_the_short_form_of_the_gad_7():
    assert ENTRY.short_form_of == "gad-7"
    assert len(GAD2.items) == 2
    for short, long in zip(GAD2.items, GAD7.items[:2], strict=True):
        assert short.link_id == long.link_id
        assert short.text == long.text
        assert short.options == long.options
    assert GAD2.items[0].text == "Feeling nervous, anxious, or on edge"
    assert GAD2.items[1].text == "Not being able to stop or control worrying"
    assert GAD2.range == (0, 6)


def test_items_carry_their_loinc_codes():
    codes = [item["code"][0]["code"] for item in ENTRY.questionnaire["item"]]
    assert codes == ["69725-0", "68509-9"]


@pytest.mark.parametrize("first,second", list(itertools.product(range(4), range(4))))
def test_the_short_form_scores_the_long_forms_first_two_answers(first, second):
    for rest in ([0] * 5, [3] * 5, [2, 0, 1, 3, 1]):
        long = scoring.score(GAD7, [first, second, *rest])
        short = scoring.score(GAD2, [first, second])
        assert short.total == first + second
        assert long.total - sum(rest) == short.total


def test_hand_worked_examples():
    # nervous "more than half the days" (2), worry "several days" (1): 3, a positive screen
    assert scoring.score(GAD2, [2, 1]).as_dict() == {
        "instrument": "gad-2",
        "total": 3,
        "subscales": {},
        "band": None,
        "flags": ["screen-positive"],
    }
    assert scoring.score(GAD2, [1, 1]).flags == []


def test_minimum_and_maximum():
    assert scoring.score(GAD2, [0, 0]).total == 0
    assert scoring.score(GAD2, [0, 0]).flags == []
    assert scoring.score(GAD2, [3, 3]).total == 6
    assert scoring.score(GAD2, [3, 3]).flags == ["screen-positive"]


@pytest.mark.parametrize("answers", list(itertools.product(range(4), repeat=2)))
def test_screen_positive_exactly_from_3(answers):
    flagged = "screen-positive" in scoring.score(GAD2, list(answers)).flags
    assert flagged == (sum(answers) >= 3)


def test_a_screener_without_bands_or_reliable_change():
    assert GAD2.bands == ()
    assert GAD2.critical == ()
    assert scoring.reliable_change(GAD2, 6, 0) is None
    assert ENTRY.licence.commercial_use == "free"
