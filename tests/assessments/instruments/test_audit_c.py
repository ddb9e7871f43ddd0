"""AUDIT-C (Bush et al. 1998): WHO AUDIT questions 1-3, 0-12; positive at 4 for men, 3 for women."""

from __future__ import annotations

import itertools

import pytest

from waypost.assessments import catalog, scoring

ENTRY = catalog.get("audit-c")
AUDITC = ENTRY.instrument
MEN = "screen-positive-men"
WOMEN = "screen-positive-women"


def test_questions_answers_and_codes_as_published():
    assert ENTRY.loinc == "72109-2"
    codes = [item["code"][0]["code"] for item in ENTRY.questionnaire["item"]]
    assert codes == ["68518-0", "68519-8", "68520-6"]
    frequency, quantity, heavy = AUDITC.items
    assert frequency.text == "How often do you have a drink containing alcohol?"
    assert [(o.display, o.score) for o in frequency.options] == [
        ("Never", 0),
        ("Monthly or less", 1),
        ("2 to 4 times a month", 2),
        ("2 to 3 times a week", 3),
        ("4 or more times a week", 4),
    ]
    assert quantity.text == (
        "How many drinks containing alcohol do you have on a typical day when you are drinking?"
    )
    assert [(o.display, o.score) for o in quantity.options] == [
        ("1 or 2", 0),
        ("3 or 4", 1),
        ("5 or 6", 2),
        ("7, 8, or 9", 3),
        ("10 or more", 4),
    ]
    assert heavy.text == "How often do you have six or more drinks on one occasion?"
    assert [(o.display, o.score) for o in heavy.options] == [
        ("Never", 0),
        ("Less than monthly", 1),
        ("Monthly", 2),
        ("Weekly", 3),
        ("Daily or almost daily", 4),
    ]
    assert AUDITC.range == (0, 12)


def test_hand_worked_example_positive_for_women_only():
    # 2 to 4 times a month (2), 3 or 4 drinks (1), never six or more (0): 3
    assert scoring.score(AUDITC, [2, 1, 0]).as_dict() == {
        "instrument": "audit-c",
        "total": 3,
        "subscales": {},
        "band": None,
        "flags": [WOMEN],
    }


def test_hand_worked_example_positive_for_both():
    # 2 to 3 times a week (3), 1 or 2 drinks (0), less than monthly six or more (1): 4
    result = scoring.score(AUDITC, [3, 0, 1])
    assert result.total == 4
    assert set(result.flags) == {MEN, WOMEN}


def test_someone_who_never_drinks_scores_zero():
    # "Never" on question 1 skips questions 2 and 3, which score 0
    result = scoring.score(AUDITC, [0, 0, 0])
    assert (result.total, result.flags) == (0, [])


def test_maximum():
    result = scoring.score(AUDITC, [4, 4, 4])
    assert result.total == 12
    assert set(result.flags) == {MEN, WOMEN}


@pytest.mark.parametrize("answers", list(itertools.product(range(5), repeat=3)))
def test_sex_specific_screens_on_every_answer_set(answers):
    result = scoring.score(AUDITC, list(answers))
    assert result.total == sum(answers)
    assert (MEN in result.flags) == (result.total >= 4)
    assert (WOMEN in result.flags) == (result.total >= 3)


def test_the_two_screens_say_whom_they_are_for():
    labels = {screen.flag: screen.label for screen in AUDITC.screens}
    assert labels[MEN].startswith("For men: a score of 4 or more")
    assert labels[WOMEN].startswith("For women: a score of 3 or more")


def test_no_bands_no_critical_items_no_reliable_change():
    assert AUDITC.bands == ()
    assert AUDITC.critical == ()
    assert scoring.reliable_change(AUDITC, 8, 2) is None


def test_licence_needs_permission_for_commercial_use():
    assert ENTRY.licence.commercial_use == "permission-required"
    assert "not for sale" in ENTRY.licence.summary


def test_wrong_answers_are_refused():
    with pytest.raises(scoring.AnswerError, match=r"answer 2 \(auditc-2\) is 5"):
        scoring.score(AUDITC, [1, 5, 0])
