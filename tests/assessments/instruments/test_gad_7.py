"""GAD-7 (Spitzer, Kroenke, Williams & Löwe 2006): 0-21, bands at 5, 10 and 15, screen at 10."""

from __future__ import annotations

import itertools

import pytest

from waypost.assessments import catalog, scoring

ENTRY = catalog.get("gad-7")
GAD7 = ENTRY.instrument


def answers_for(total: int) -> list[int]:
    """Seven answers (0-3 each) adding up to ``total``."""
    answers = []
    for _ in range(7):
        answers.append(min(3, total))
        total -= answers[-1]
    assert total == 0
    return answers


def test_items_answers_and_codes_as_published():
    assert ENTRY.loinc == "69737-5"
    assert [item.text for item in GAD7.items] == [
        "Feeling nervous, anxious, or on edge",
        "Not being able to stop or control worrying",
        "Worrying too much about different things",
        "Trouble relaxing",
        "Being so restless that it is hard to sit still",
        "Becoming easily annoyed or irritable",
        "Feeling afraid, as if something awful might happen",
    ]
    codes = [item["code"][0]["code"] for item in ENTRY.questionnaire["item"]]
    assert codes == ["69725-0", "68509-9", "69733-4", "69734-2", "69735-9", "69689-8", "69736-7"]
    for item in GAD7.items:
        assert [(o.code, o.display, o.score) for o in item.options] == [
            ("LA6568-5", "Not at all", 0),
            ("LA6569-3", "Several days", 1),
            ("LA6570-1", "More than half the days", 2),
            ("LA6571-9", "Nearly every day", 3),
        ]
    assert GAD7.range == (0, 21)
    assert ENTRY.recall_period == "2 weeks"


def test_hand_worked_example():
    # nearly every day nervous (3); more than half the days unable to stop worrying (2) and
    # worrying too much (2); several days trouble relaxing, restless, irritable (1 each);
    # never afraid (0): 3 + 2 + 2 + 1 + 1 + 1 + 0 = 10, moderate, a positive screen
    assert scoring.score(GAD7, [3, 2, 2, 1, 1, 1, 0]).as_dict() == {
        "instrument": "gad-7",
        "total": 10,
        "subscales": {},
        "band": "Moderate",
        "flags": ["screen-positive"],
    }


def test_minimum_and_maximum():
    lowest = scoring.score(GAD7, [0] * 7)
    assert (lowest.total, lowest.band, lowest.flags) == (0, "Minimal", [])
    highest = scoring.score(GAD7, [3] * 7)
    assert (highest.total, highest.band, highest.flags) == (21, "Severe", ["screen-positive"])


@pytest.mark.parametrize(
    "total,band",
    [
        (0, "Minimal"),
        (4, "Minimal"),
        (5, "Mild"),
        (9, "Mild"),
        (10, "Moderate"),
        (14, "Moderate"),
        (15, "Severe"),
        (21, "Severe"),
    ],
)
def test_each_band_boundary(total, band):
    result = scoring.score(GAD7, answers_for(total))
    assert result.total == total
    assert result.band == band


@pytest.mark.parametrize("total", range(22))
def test_screen_positive_exactly_from_10(total):
    flagged = "screen-positive" in scoring.score(GAD7, answers_for(total)).flags
    assert flagged == (total >= 10)


def test_the_order_of_answers_does_not_matter():
    for answers in itertools.permutations([3, 2, 2, 1, 1, 1, 0]):
        assert scoring.score(GAD7, list(answers)).total == 10


def test_nhs_talking_therapies_standard():
    standard = GAD7.service_standards[0]
    assert (standard.id, standard.reliable_change, standard.caseness) == (
        "nhs-talking-therapies",
        4,
        8,
    )
    # 12 to 7: a reliable improvement (4 or more) from a case (8 or more) to not a case
    recovered = scoring.service_change(GAD7, "nhs-talking-therapies", 12, 7)
    assert recovered.verdict == "improved"
    assert recovered.recovered
    # 12 to 8: reliable improvement, but still a case
    still_a_case = scoring.service_change(GAD7, "nhs-talking-therapies", 12, 8)
    assert still_a_case.verdict == "improved"
    assert not still_a_case.clinically_significant
    # 10 to 7: below caseness but only 3 points, not reliable
    assert scoring.service_change(GAD7, "nhs-talking-therapies", 10, 7).verdict == (
        "no_reliable_change"
    )
    # 5 to 9: 4 points worse
    assert scoring.service_change(GAD7, "nhs-talking-therapies", 5, 9).verdict == ("deteriorated")


def test_jacobson_truax_uses_the_general_population_norm_and_alpha():
    # Löwe et al. (2008): alpha .89; women 3.2 (3.5), men 2.7 (3.2), 53.6% women
    assert GAD7.reliability == 0.89
    assert GAD7.clinical_norm is None
    assert (GAD7.general_norm.mean, GAD7.general_norm.sd) == (2.97, 3.37)
    # pooled by hand: 0.536 × 3.2 + 0.464 × 2.7 = 2.968; variance 0.536 × 3.5² +
    # 0.464 × 3.2² + 0.536 × 0.464 × 0.5² = 11.38, SD 3.373
    # more than 1.96 × √2 × 3.37 × √.11 = 3.10 points is reliable; cut-off 2.97 + 6.74 = 9.71
    change = scoring.reliable_change(GAD7, 15, 5)
    assert round(change.threshold, 2) == 3.10
    assert change.cutoff == pytest.approx(9.71)
    assert change.verdict == "improved" and change.recovered
    assert scoring.reliable_change(GAD7, 12, 9).verdict == "no_reliable_change"
    # 12 → 8 is reliable, and 8 is below the cut-off
    assert scoring.reliable_change(GAD7, 12, 8).recovered
    assert scoring.reliable_change(GAD7, 6, 10).verdict == "deteriorated"


def test_no_critical_items_and_a_free_licence():
    assert GAD7.critical == ()
    assert ENTRY.licence.commercial_use == "free"
    assert ENTRY.licence.electronic_use == "free"
