"""WHO-5: raw 0-25 times 4 = 0-100, higher is better; cut-offs 50 (poor) and 28 (depression)."""

from __future__ import annotations

import pytest

from waypost.assessments import catalog, scoring

ENTRY = catalog.get("who-5")
WHO5 = ENTRY.instrument


def answers_for(raw: int) -> list[int]:
    """Five answers (0-5 each) adding up to the raw score ``raw``."""
    answers = []
    for _ in range(5):
        answers.append(min(5, raw))
        raw -= answers[-1]
    assert raw == 0
    return answers


def test_statements_and_answers_as_published():
    assert [item.text for item in WHO5.items] == [
        "I have felt cheerful and in good spirits",
        "I have felt calm and relaxed",
        "I have felt active and vigorous",
        "I woke up feeling fresh and rested",
        "My daily life has been filled with things that interest me",
    ]
    for item in WHO5.items:
        # in the published order: best first
        assert [(o.display, o.score) for o in item.options] == [
            ("All of the time", 5),
            ("Most of the time", 4),
            ("More than half of the time", 3),
            ("Less than half of the time", 2),
            ("Some of the time", 1),
            ("At no time", 0),
        ]
    assert WHO5.direction == "higher_is_better"
    assert WHO5.range == (0, 100)
    assert ENTRY.recall_period == "2 weeks"


def test_hand_worked_example_raw_score_times_four():
    # more than half of the time cheerful and calm (3 + 3), less than half of the time
    # active, rested and interested (2 + 2 + 2): raw 12, times 4 = 48, poor wellbeing
    assert scoring.score(WHO5, [3, 3, 2, 2, 2]).as_dict() == {
        "instrument": "who-5",
        "total": 48,
        "subscales": {},
        "band": "Poor wellbeing",
        "flags": ["poor-wellbeing"],
    }


def test_minimum_and_maximum():
    assert scoring.score(WHO5, [0] * 5).total == 0
    assert scoring.score(WHO5, [0] * 5).band == "Depression likely"
    assert scoring.score(WHO5, [5] * 5).total == 100
    assert scoring.score(WHO5, [5] * 5).band == "Above the cut-offs"


@pytest.mark.parametrize("raw", range(26))
def test_every_raw_score_is_multiplied_by_four(raw):
    assert scoring.score(WHO5, answers_for(raw)).total == raw * 4


@pytest.mark.parametrize(
    "raw,total,band",
    [
        (7, 28, "Depression likely"),  # 28 or less
        (8, 32, "Poor wellbeing"),
        (12, 48, "Poor wellbeing"),  # raw below 13 = 50 or less
        (13, 52, "Above the cut-offs"),
    ],
)
def test_each_band_boundary(raw, total, band):
    result = scoring.score(WHO5, answers_for(raw))
    assert (result.total, result.band) == (total, band)


@pytest.mark.parametrize("raw", range(26))
def test_bands_agree_with_the_published_cut_offs(raw):
    band = scoring.score(WHO5, answers_for(raw)).band
    # a raw score below 13 (percentage 50 or less) is poor wellbeing or worse
    assert (band in ("Poor wellbeing", "Depression likely")) == (raw < 13)
    # a percentage score of 28 or less suggests depression
    assert (band == "Depression likely") == (raw * 4 <= 28)


def test_higher_is_better_in_change_over_time():
    # no norms are encoded, so Jacobson-Truax gives no verdict rather than a wrong one
    assert scoring.reliable_change(WHO5, 40, 80) is None
    assert WHO5.critical == ()


@pytest.mark.parametrize("raw", range(26))
def test_the_downward_screens_flag_the_published_cut_offs(raw):
    flags = scoring.score(WHO5, answers_for(raw)).flags
    assert ("poor-wellbeing" in flags) == (raw * 4 <= 50)
    assert ("depression-likely" in flags) == (raw * 4 <= 28)


def test_licence_needs_permission_for_commercial_use():
    assert ENTRY.licence.commercial_use == "permission-required"
    assert ENTRY.licence.electronic_use == "free-with-attribution"
    assert "CC BY-NC-SA 3.0 IGO" in ENTRY.licence.summary


def test_wrong_answers_are_refused():
    with pytest.raises(scoring.AnswerError, match="must be one of 5, 4, 3, 2, 1, 0"):
        scoring.score(WHO5, [6, 0, 0, 0, 0])
