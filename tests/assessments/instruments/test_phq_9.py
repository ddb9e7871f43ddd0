"""PHQ-9 (Kroenke, Spitzer & Williams 2001): 0-27, bands at 5, 10, 15 and 20, screen at 10,
item 9 (thoughts of being better off dead or of self-harm) a crisis answer from "several days"."""

from __future__ import annotations

import itertools

import pytest

from waypost.assessments import catalog, scoring

ENTRY = catalog.get("phq-9")
PHQ9 = ENTRY.instrument
NHS = "nhs-talking-therapies"


def answers_for(total: int, last: int = 0) -> list[int]:
    """Nine answers (0-3 each) adding up to ``total``, with item 9 answered ``last``."""
    answers = []
    total -= last
    for _ in range(8):
        answers.append(min(3, total))
        total -= answers[-1]
    assert total == 0
    return [*answers, last]


def test_stem_items_answers_and_codes_as_published():
    assert ENTRY.loinc == "44249-1"
    assert ENTRY.stem == (
        "Over the last 2 weeks, how often have you been bothered by any of the following problems?"
    )
    assert ENTRY.recall_period == "2 weeks"
    assert [item.link_id for item in PHQ9.items] == [f"phq9-{n}" for n in range(1, 10)]
    assert [item.text for item in PHQ9.items] == [
        "Little interest or pleasure in doing things",
        "Feeling down, depressed, or hopeless",
        "Trouble falling or staying asleep, or sleeping too much",
        "Feeling tired or having little energy",
        "Poor appetite or overeating",
        "Feeling bad about yourself — or that you are a failure or have let yourself or your "
        "family down",
        "Trouble concentrating on things, such as reading the newspaper or watching television",
        "Moving or speaking so slowly that other people could have noticed? Or the opposite — "
        "being so fidgety or restless that you have been moving around a lot more than usual",
        "Thoughts that you would be better off dead or of hurting yourself in some way",
    ]
    codes = [
        (coding["system"], coding["code"])
        for item in ENTRY.questionnaire["item"]
        for coding in item["code"]
    ]
    assert codes == [
        ("http://loinc.org", code)
        for code in (
            "44250-9",
            "44255-8",
            "44259-0",
            "44254-1",
            "44251-7",
            "44258-2",
            "44252-5",
            "44253-3",
            "44260-8",
        )
    ]
    for item in PHQ9.items:
        assert [(o.code, o.display, o.score) for o in item.options] == [
            ("LA6568-5", "Not at all", 0),
            ("LA6569-3", "Several days", 1),
            ("LA6570-1", "More than half the days", 2),
            ("LA6571-9", "Nearly every day", 3),
        ]
    assert PHQ9.total.items == tuple(item.link_id for item in PHQ9.items)
    assert PHQ9.total.method == "sum"
    assert PHQ9.range == (0, 27)
    assert PHQ9.direction == "higher_is_worse"
    assert PHQ9.subscales == ()


def test_hand_worked_example():
    # nearly every day little interest, feeling down and poor sleep (3 each); more than half
    # the days tired, poor appetite and feeling bad about yourself (2 each); several days
    # trouble concentrating and moving slowly (1 each); never thoughts of being better off
    # dead (0): 3 + 3 + 3 + 2 + 2 + 2 + 1 + 1 + 0 = 17, moderately severe, a positive screen,
    # and no crisis answer
    assert scoring.score(PHQ9, [3, 3, 3, 2, 2, 2, 1, 1, 0]).as_dict() == {
        "instrument": "phq-9",
        "total": 17,
        "subscales": {},
        "band": "Moderately severe",
        "flags": ["screen-positive"],
    }


def test_minimum_and_maximum():
    lowest = scoring.score(PHQ9, [0] * 9)
    assert (lowest.total, lowest.band, lowest.flags) == (0, "Minimal", [])
    highest = scoring.score(PHQ9, [3] * 9)
    assert (highest.total, highest.band, highest.flags) == (
        27,
        "Severe",
        ["critical:phq9-9", "screen-positive"],
    )


def test_the_bands_as_published():
    assert [(b.min, b.max, b.label) for b in PHQ9.bands] == [
        (0, 4, "Minimal"),
        (5, 9, "Mild"),
        (10, 14, "Moderate"),
        (15, 19, "Moderately severe"),
        (20, 27, "Severe"),
    ]


@pytest.mark.parametrize(
    "total,band",
    [
        (0, "Minimal"),
        (4, "Minimal"),
        (5, "Mild"),
        (9, "Mild"),
        (10, "Moderate"),
        (14, "Moderate"),
        (15, "Moderately severe"),
        (19, "Moderately severe"),
        (20, "Severe"),
        (27, "Severe"),
    ],
)
def test_each_band_boundary(total, band):
    # items 1-8 give at most 24; item 9 gives the rest
    result = scoring.score(PHQ9, answers_for(total, last=max(0, total - 24)))
    assert result.total == total
    assert result.band == band


@pytest.mark.parametrize("total", range(25))
def test_screen_positive_exactly_from_10(total):
    flagged = "screen-positive" in scoring.score(PHQ9, answers_for(total)).flags
    assert flagged == (total >= 10)


def test_item_9_is_a_crisis_answer_from_several_days():
    [critical] = PHQ9.critical
    assert (critical.link_id, critical.min_score, critical.action) == ("phq9-9", 1, "crisis")
    assert critical.flag == "critical:phq9-9"
    # "not at all" raises nothing, whatever the total
    assert "critical:phq9-9" not in scoring.score(PHQ9, answers_for(24)).flags
    # "several days" and more raise it, however low the total
    for answer in (1, 2, 3):
        result = scoring.score(PHQ9, [0] * 8 + [answer])
        assert result.flags == ["critical:phq9-9"]
        assert result.band == "Minimal"


def test_the_order_of_answers_does_not_change_the_total():
    for answers in itertools.permutations([3, 3, 3, 2, 2, 2, 1, 1, 0]):
        assert scoring.score(PHQ9, list(answers)).total == 17


def test_jacobson_truax_uses_the_general_population_norm_and_alpha():
    # Kroenke et al. (2001): alpha .89; Kocalevent et al. (2013): mean 2.91, SD 3.51
    assert PHQ9.reliability == 0.89
    assert PHQ9.clinical_norm is None
    assert (PHQ9.general_norm.mean, PHQ9.general_norm.sd) == (2.91, 3.51)
    # by hand: SE = 3.51 × √(1 − .89) = 3.51 × 0.3317 = 1.164; S_diff = √2 × 1.164 = 1.646;
    # more than 1.96 × 1.646 = 3.23 points is reliable; only the general norm, so the
    # cut-off is two SDs above its mean (criterion b): 2.91 + 2 × 3.51 = 9.93
    change = scoring.reliable_change(PHQ9, 17, 8)
    assert round(change.threshold, 2) == 3.23
    assert change.cutoff == pytest.approx(9.93)
    # 17 → 8: 9 points better, from above 9.93 to below it
    assert change.verdict == "improved"
    assert change.recovered
    # 17 → 14: 3 points is within measurement error
    unchanged = scoring.reliable_change(PHQ9, 17, 14)
    assert unchanged.verdict == "no_reliable_change"
    assert not unchanged.recovered
    # 8 → 13: 5 points worse
    assert scoring.reliable_change(PHQ9, 8, 13).verdict == "deteriorated"


def test_nhs_talking_therapies_standard():
    [standard] = PHQ9.service_standards
    assert (standard.id, standard.reliable_change, standard.caseness) == (NHS, 6, 10)
    # 17 to 8: a reliable improvement (6 or more) from a case (10 or more) to not a case
    recovered = scoring.service_change(PHQ9, NHS, 17, 8)
    assert recovered.verdict == "improved"
    assert recovered.recovered
    # 16 to 10: exactly 6 points better, but 10 is still a case
    still_a_case = scoring.service_change(PHQ9, NHS, 16, 10)
    assert still_a_case.verdict == "improved"
    assert not still_a_case.clinically_significant
    # 12 to 7: below caseness now, but 5 points is not reliable by this standard
    assert scoring.service_change(PHQ9, NHS, 12, 7).verdict == "no_reliable_change"
    # 4 to 10: 6 points worse
    assert scoring.service_change(PHQ9, NHS, 4, 10).verdict == "deteriorated"


def test_a_free_licence():
    assert ENTRY.licence.commercial_use == "free"
    assert ENTRY.licence.electronic_use == "free"
    assert ENTRY.licence.url == "https://www.phqscreeners.com/"
    assert "Kroenke" in ENTRY.citation and "606-613" in ENTRY.citation
