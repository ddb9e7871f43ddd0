"""PHQ-2: the PHQ-9's first two questions, screen positive at 3 (Kroenke et al. 2003)."""

from __future__ import annotations

import itertools

import pytest

from waypost.assessments import catalog, scoring

ENTRY = catalog.get("phq-2")
PHQ2 = ENTRY.instrument
PHQ9 = catalog.get("phq-9").instrument


def test_it_is_the_short_form_of_the_phq_9():
    assert ENTRY.short_form_of == "phq-9"
    assert ENTRY.loinc == "55757-9"
    assert len(PHQ2.items) == 2
    # the same questions, word for word, with the same answers, codes and scores
    for short, long in zip(PHQ2.items, PHQ9.items[:2], strict=True):
        assert short.link_id == long.link_id
        assert short.text == long.text
        assert short.options == long.options
    assert PHQ2.items[0].text == "Little interest or pleasure in doing things"
    assert PHQ2.items[1].text == "Feeling down, depressed, or hopeless"
    assert PHQ2.range == (0, 6)


@pytest.mark.parametrize("first,second", list(itertools.product(range(4), range(4))))
def test_the_short_form_scores_the_long_forms_first_two_answers(first, second):
    for rest in ([0] * 7, [3] * 7, [1, 2, 3, 0, 1, 2, 0]):
        long = scoring.score(PHQ9, [first, second, *rest])
        short = scoring.score(PHQ2, [first, second])
        assert short.total == first + second
        assert long.total - sum(rest) == short.total


def test_hand_worked_examples():
    # "several days" of little interest, "more than half the days" feeling down: 1 + 2 = 3
    result = scoring.score(PHQ2, [1, 2])
    assert result.as_dict() == {
        "instrument": "phq-2",
        "total": 3,
        "subscales": {},
        "band": None,
        "flags": ["screen-positive"],
    }
    assert scoring.score(PHQ2, [1, 1]).flags == []


def test_minimum_and_maximum():
    assert scoring.score(PHQ2, [0, 0]).total == 0
    assert scoring.score(PHQ2, [0, 0]).flags == []
    assert scoring.score(PHQ2, [3, 3]).total == 6
    assert scoring.score(PHQ2, [3, 3]).flags == ["screen-positive"]


@pytest.mark.parametrize("answers", list(itertools.product(range(4), repeat=2)))
def test_screen_positive_exactly_from_3(answers):
    flagged = "screen-positive" in scoring.score(PHQ2, list(answers)).flags
    assert flagged == (sum(answers) >= 3)


def test_no_bands_no_critical_item_no_reliable_change():
    # a screener: the PHQ-2 does not ask about self-harm, so nothing can raise a crisis
    assert PHQ2.bands == ()
    assert PHQ2.critical == ()
    assert scoring.reliable_change(PHQ2, 6, 0) is None


def test_licence_is_free():
    assert ENTRY.licence.commercial_use == "free"
    assert ENTRY.licence.electronic_use == "free"


def test_wrong_answers_are_refused():
    with pytest.raises(scoring.AnswerError, match="has 2 items"):
        scoring.score(PHQ2, [1, 2, 3])
    with pytest.raises(scoring.AnswerError, match="must be one of 0, 1, 2, 3"):
        scoring.score(PHQ2, [4, 0])
