"""Readiness Ruler: one 0-10 answer, from not prepared to change (0) to already changing (10)."""

from __future__ import annotations

import pytest

from waypost.assessments import catalog, scoring

ENTRY = catalog.get("readiness-ruler")
RULER = ENTRY.instrument


def test_one_question_from_0_to_10_with_its_anchors():
    assert len(RULER.items) == 1
    options = RULER.items[0].options
    assert [o.score for o in options] == list(range(11))
    assert options[0].display == "0 – Not prepared to change"
    assert options[10].display == "10 – Already changing"
    assert RULER.range == (0, 10)
    assert RULER.direction == "higher_is_better"


@pytest.mark.parametrize("answer", range(11))
def test_the_score_is_the_answer(answer):
    assert scoring.score(RULER, [answer]).as_dict() == {
        "instrument": "readiness-ruler",
        "total": answer,
        "subscales": {},
        "band": None,
        "flags": [],
    }


def test_no_bands_no_flags_no_reliable_change():
    assert RULER.bands == ()
    assert RULER.screens == ()
    assert RULER.critical == ()
    assert scoring.reliable_change(RULER, 3, 8) is None


def test_wrong_answers_are_refused():
    with pytest.raises(scoring.AnswerError, match="is 11"):
        scoring.score(RULER, [11])
    with pytest.raises(scoring.AnswerError, match="has 1 items"):
        scoring.score(RULER, [3, 4])
    with pytest.raises(scoring.AnswerError, match="is 2.5"):
        scoring.score(RULER, [2.5])


def test_licence_recorded():
    assert ENTRY.licence.commercial_use == "free-with-attribution"
    assert ENTRY.citation
