"""Scoring rules: hand-worked PHQ-9 examples, then invariants checked on many instruments."""

from __future__ import annotations

import math

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from waypost.assessments import catalog, scoring
from waypost.assessments.scoring import (
    AnswerError,
    Band,
    CriticalItem,
    Instrument,
    Item,
    Norm,
    Option,
    Rule,
    Subscale,
)


def phq9() -> Instrument:
    return catalog.get("phq-9").instrument


# --- hand-worked PHQ-9 (Kroenke et al. 2001: sum of 9 items, 0-27) -----------------


@pytest.mark.parametrize(
    ("answers", "total", "band", "flags"),
    [
        ([0] * 9, 0, "Minimal", []),
        ([3] * 9, 27, "Severe", ["critical:phq9-9", "screen-positive"]),
        ([1, 1, 1, 1, 0, 0, 0, 0, 0], 4, "Minimal", []),
        ([1, 1, 1, 1, 1, 0, 0, 0, 0], 5, "Mild", []),
        ([2, 2, 1, 1, 1, 1, 1, 0, 0], 9, "Mild", []),
        ([2, 2, 2, 1, 1, 1, 1, 0, 0], 10, "Moderate", ["screen-positive"]),
        ([3, 3, 3, 2, 2, 2, 1, 1, 0], 17, "Moderately severe", ["screen-positive"]),
        ([3, 3, 3, 3, 2, 2, 2, 2, 0], 20, "Severe", ["screen-positive"]),
        ([0, 0, 0, 0, 0, 0, 0, 0, 1], 1, "Minimal", ["critical:phq9-9"]),
    ],
)
def test_phq9_totals_bands_and_flags(answers, total, band, flags):
    result = scoring.score(phq9(), answers)
    assert (result.total, result.band, result.flags) == (total, band, flags)


@pytest.mark.parametrize(
    ("answers", "message"),
    [
        ([0] * 8, "has 9 items; got 8 answers"),
        ([0] * 10, "has 9 items; got 10 answers"),
        ([0] * 8 + [4], "answer 9 (phq9-9) is 4; it must be one of 0, 1, 2, 3"),
        ([0] * 8 + [-1], "answer 9 (phq9-9) is -1"),
        ([0] * 8 + [1.5], "is 1.5"),
        ([0] * 8 + ["1"], "answer 9 is not a number"),
        ([0] * 8 + [True], "answer 9 is not a number"),
    ],
)
def test_answers_that_do_not_fit_are_refused(answers, message):
    with pytest.raises(AnswerError, match=message.replace("(", r"\(").replace(")", r"\)")):
        scoring.score(phq9(), answers)


@pytest.mark.parametrize(
    ("raw", "expected"),
    [("0,1,2", [0, 1, 2]), (" 3 , 2.5 ", [3, 2.5]), ("1.0", [1])],
)
def test_answers_are_parsed_from_text(raw, expected):
    assert scoring.parse_answers(raw) == expected


@pytest.mark.parametrize("raw", ["1,,2", "a", "1;2", "nan", "inf", ""])
def test_text_that_is_not_numbers_is_refused(raw):
    with pytest.raises(AnswerError, match="not a number"):
        scoring.parse_answers(raw)


# --- reliable change ---------------------------------------------------------------


def test_jacobson_truax_threshold_matches_the_formula():
    # SD 5, r 0.84: SE = 5 * 0.4 = 2; S_diff = 2.828; 1.96 * S_diff = 5.544
    assert scoring.reliable_change_threshold(5, 0.84) == pytest.approx(5.5437, abs=1e-4)
    with pytest.raises(ValueError):
        scoring.reliable_change_threshold(5, 1.0)
    with pytest.raises(ValueError):
        scoring.reliable_change_threshold(0, 0.8)


def test_clinical_cutoff_c_lies_between_the_populations():
    clinical, general = Norm(mean=15, sd=5), Norm(mean=3, sd=3)
    # c = (5*3 + 3*15) / (5+3) = 60/8 = 7.5
    assert scoring.clinical_cutoff(clinical, general, "higher_is_worse") == 7.5
    # criterion a: 2 SD from the clinical mean, towards health
    assert scoring.clinical_cutoff(clinical, None, "higher_is_worse") == 5
    assert scoring.clinical_cutoff(Norm(40, 10), None, "higher_is_better") == 60
    # criterion b: 2 SD from the general-population mean, towards the clinical side
    assert scoring.clinical_cutoff(None, general, "higher_is_worse") == 9
    assert scoring.clinical_cutoff(None, Norm(70, 10), "higher_is_better") == 50
    with pytest.raises(ValueError):
        scoring.clinical_cutoff(None, None, "higher_is_worse")


def _with_norms(instrument: Instrument, **kwargs) -> Instrument:
    from dataclasses import replace

    return replace(instrument, **kwargs)


def test_reliable_change_verdicts_for_a_measure_where_higher_is_worse():
    measure = _with_norms(
        phq9(), reliability=0.84, clinical_norm=Norm(15, 5), general_norm=Norm(3, 3)
    )
    # threshold 1.96 * sqrt(2) * 5 * sqrt(0.16) = 5.54; cut-off c = 7.5
    improved = scoring.reliable_change(measure, 17, 7)
    assert improved.verdict == "improved" and improved.clinically_significant
    assert improved.recovered
    still_above = scoring.reliable_change(measure, 17, 8)
    assert still_above.verdict == "improved" and not still_above.clinically_significant
    assert scoring.reliable_change(measure, 17, 12).verdict == "no_reliable_change"
    worse = scoring.reliable_change(measure, 8, 15)
    assert worse.verdict == "deteriorated" and not worse.clinically_significant
    # without norms in the file there is no verdict, rather than a made-up one
    no_norms = _with_norms(phq9(), clinical_norm=None, general_norm=None)
    assert scoring.reliable_change(no_norms, 17, 8) is None
    # nor without a reliability
    assert scoring.reliable_change(_with_norms(measure, reliability=None), 17, 8) is None


def test_reliable_change_with_only_the_general_population_norm():
    # Jacobson & Truax allow the normal population's SD for the standard error
    measure = _with_norms(phq9(), reliability=0.84, clinical_norm=None, general_norm=Norm(3, 3))
    # threshold 1.96 * sqrt(2) * 3 * 0.4 = 3.33; cut-off b = 3 + 2 * 3 = 9
    change = scoring.reliable_change(measure, 12, 8)
    assert round(change.threshold, 2) == 3.33
    assert change.cutoff == 9
    assert change.verdict == "improved" and change.recovered
    # 12 -> 9: three points is within measurement error, though 9 is at the cut-off
    assert scoring.reliable_change(measure, 12, 9).verdict == "no_reliable_change"
    # 14 -> 10: reliable, but 10 is still on the clinical side
    still = scoring.reliable_change(measure, 14, 10)
    assert still.verdict == "improved" and not still.clinically_significant


def test_the_nhs_talking_therapies_standard_for_phq9():
    # reliable change is a change of 6 or more; caseness is 10 or more
    assert scoring.service_change(phq9(), "nhs-talking-therapies", 17, 11).verdict == "improved"
    assert scoring.service_change(phq9(), "nhs-talking-therapies", 17, 12).verdict == (
        "no_reliable_change"
    )
    recovery = scoring.service_change(phq9(), "nhs-talking-therapies", 14, 8)
    assert recovery.recovered
    not_recovered = scoring.service_change(phq9(), "nhs-talking-therapies", 17, 10)
    assert not_recovered.verdict == "improved" and not not_recovered.recovered
    assert scoring.service_change(phq9(), "no-such-standard", 17, 8) is None


# --- invariants over generated instruments -----------------------------------------


@st.composite
def instruments(draw):
    """Random but valid instruments: 1-8 items, 2-7 options, weights, reversal, ×n, mean."""
    count = draw(st.integers(1, 8))
    items = []
    for i in range(count):
        low = draw(st.integers(0, 1))
        n = draw(st.integers(2, 7))
        items.append(
            Item(
                link_id=f"q{i}",
                text=f"Question {i}",
                options=tuple(Option(str(v), str(v), v) for v in range(low, low + n)),
            )
        )
    link_ids = tuple(item.link_id for item in items)
    reverse = frozenset(draw(st.lists(st.sampled_from(link_ids), unique=True)))
    weights = draw(st.dictionaries(st.sampled_from(link_ids), st.integers(1, 3)))
    rule = Rule(
        items=link_ids,
        method=draw(st.sampled_from(["sum", "mean"])),
        weights=weights,
        reverse=reverse,
        multiply=draw(st.sampled_from([1, 2, 4])),
        decimals=draw(st.sampled_from([0, 2])),
    )
    half = link_ids[: max(1, count // 2)]
    return Instrument(
        id="generated",
        short_name="GEN",
        title="Generated",
        items=tuple(items),
        total=rule,
        subscales=(Subscale("first", "First half", Rule(items=half)),),
    )


def _answers(draw, instrument):
    return [draw(st.sampled_from(item.scores)) for item in instrument.items]


@settings(max_examples=300, deadline=None)
@given(data=st.data())
def test_every_total_lies_within_the_instruments_range(data):
    instrument = data.draw(instruments())
    result = scoring.score(instrument, _answers(data.draw, instrument))
    low, high = instrument.range
    assert low <= result.total <= high
    sub_low, sub_high = instrument.subscales[0].rule.bounds(instrument)
    assert sub_low <= result.subscales["first"] <= sub_high


@settings(max_examples=300, deadline=None)
@given(data=st.data())
def test_the_extreme_answers_reach_the_ends_of_the_range(data):
    instrument = data.draw(instruments())
    rule = instrument.total
    lowest = [item.high if item.link_id in rule.reverse else item.low for item in instrument.items]
    highest = [item.low if item.link_id in rule.reverse else item.high for item in instrument.items]
    assert scoring.score(instrument, lowest).total == instrument.range[0]
    assert scoring.score(instrument, highest).total == instrument.range[1]


@settings(max_examples=300, deadline=None)
@given(data=st.data())
def test_raising_one_answer_never_lowers_the_total_unless_reverse_keyed(data):
    instrument = data.draw(instruments())
    answers = _answers(data.draw, instrument)
    position = data.draw(st.integers(0, len(answers) - 1))
    item = instrument.items[position]
    if answers[position] == item.high:
        return
    raised = list(answers)
    raised[position] = answers[position] + 1
    before = scoring.score(instrument, answers).total
    after = scoring.score(instrument, raised).total
    if item.link_id in instrument.total.reverse:
        assert after <= before
    else:
        assert after >= before


@settings(max_examples=200, deadline=None)
@given(data=st.data())
def test_reverse_keying_mirrors_an_item(data):
    instrument = data.draw(instruments())
    item = instrument.items[0]
    from dataclasses import replace

    plain_rule = replace(instrument.total, reverse=frozenset(), method="sum", decimals=0)
    reversed_rule = replace(plain_rule, reverse=frozenset({item.link_id}))
    plain = replace(instrument, total=plain_rule)
    mirrored = replace(instrument, total=reversed_rule)
    answers = _answers(data.draw, instrument)
    flipped = list(answers)
    flipped[0] = item.low + item.high - answers[0]
    # answering x on a reversed item scores what answering (low + high - x) scores plainly
    assert scoring.score(mirrored, answers).total == scoring.score(plain, flipped).total


def test_mean_scoring_multiplies_and_rounds_half_up():
    items = tuple(
        Item(f"q{i}", "Q", tuple(Option(str(v), str(v), v) for v in range(0, 6))) for i in range(3)
    )
    rule = Rule(items=("q0", "q1", "q2"), method="mean", multiply=4, decimals=1)
    instrument = Instrument("m", "M", "M", items, rule)
    # mean of 1, 2, 2 = 1.6667; x4 = 6.6667 -> 6.7
    assert scoring.score(instrument, [1, 2, 2]).total == 6.7
    assert instrument.range == (0, 20)


def test_bands_and_critical_items_on_a_small_instrument():
    items = tuple(
        Item(f"q{i}", "Q", tuple(Option(str(v), str(v), v) for v in range(0, 4))) for i in range(2)
    )
    instrument = Instrument(
        "s",
        "S",
        "S",
        items,
        Rule(items=("q0", "q1")),
        bands=(Band(0, 2, "Low"), Band(3, 6, "High")),
        critical=(CriticalItem("q1", 2, "crisis", "Q1 high"),),
    )
    assert scoring.score(instrument, [2, 0]).as_dict() == {
        "instrument": "s",
        "total": 2,
        "subscales": {},
        "band": "Low",
        "flags": [],
    }
    assert scoring.score(instrument, [0, 3]).flags == ["critical:q1"]
    assert math.isclose(scoring.score(instrument, [3, 3]).total, 6)
