"""The factors that make a longer recovery likely are read straight from the answers."""

from __future__ import annotations

import copy

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from tests.intake.helpers import COMPLETE_ANSWERS
from waypost.intake import factors
from waypost.intake.factors import FACT_KEYS, mainly_moral, recovery_factors

# Field names the factors read, plus one they do not.
NAMES = [
    "first_exposure_age",
    "years",
    "hours_per_week",
    "count",
    "conditions",
    "items",
    "moral_distress",
    "control_distress",
    "more_time",
    "work",
    "other",
]


def facts(answers: dict) -> dict[str, factors.Fact]:
    return {fact.key: fact for fact in recovery_factors(answers)}


def with_(topic: str, **values) -> dict:
    answers = copy.deepcopy(COMPLETE_ANSWERS)
    answers[topic] = {**answers[topic], **values}
    return answers


def test_a_complete_intake_reads_as_expected():
    # given: first exposure at 11, 12 years, 12.5 h/week, escalation yes (more time),
    # 2 attempts, depression, a serious area, night-time use, moral 2/10 vs control 9/10
    found = facts(COMPLETE_ANSWERS)
    assert list(found) == list(FACT_KEYS)
    assert {k: f.present for k, f in found.items()} == {
        "early_exposure": True,
        "long_duration": True,
        "high_hours": True,
        "escalation": True,
        "several_attempts": True,
        "co_occurring": True,
        "serious_impairment": True,
        "night_private_access": True,
        "high_moral_incongruence": False,
    }
    assert found["night_private_access"].value == ["night"]
    assert mainly_moral(COMPLETE_ANSWERS) is False


def test_nothing_answered_means_unknown_not_absent():
    assert all(fact.present is None for fact in recovery_factors({}))
    assert mainly_moral({}) is None


@pytest.mark.parametrize(
    ("topic", "values", "key", "present"),
    [
        ("first_exposure", {"first_exposure_age": 12}, "early_exposure", True),
        ("first_exposure", {"first_exposure_age": 13}, "early_exposure", False),
        ("duration", {"years": 5}, "long_duration", False),
        ("duration", {"years": 6}, "long_duration", True),
        ("frequency", {"hours_per_week": 10.0}, "high_hours", False),
        ("frequency", {"hours_per_week": 10.5}, "high_hours", True),
        ("attempts", {"count": 1}, "several_attempts", False),
        ("attempts", {"count": 2}, "several_attempts", True),
        ("conditions", {"conditions": []}, "co_occurring", False),
        ("impairment", {"relationships": "some"}, "serious_impairment", False),
        ("impairment", {"legal": "serious", "relationships": "none"}, "serious_impairment", True),
        ("vulnerabilities", {"items": ["loneliness"]}, "night_private_access", False),
        ("vulnerabilities", {"items": ["private_device"]}, "night_private_access", True),
        ("moral", {"moral_distress": 6}, "high_moral_incongruence", False),
        ("moral", {"moral_distress": 7}, "high_moral_incongruence", True),
    ],
)
def test_each_threshold_is_applied_at_its_edge(topic, values, key, present):
    assert facts(with_(topic, **values))[key].present is present


def test_escalation_counts_only_a_yes():
    answers = with_("escalation", more_time="unsure", more_extreme="no", values_conflict="unsure")
    assert facts(answers)["escalation"].present is False
    answers = with_("escalation", more_time="no", more_extreme="no", values_conflict="yes")
    assert facts(answers)["escalation"].present is True


@pytest.mark.parametrize(
    ("moral", "control", "expected"),
    [(9, 5, True), (5, 4, True), (4, 2, False), (8, 8, False), (2, 9, False)],
)
def test_mainly_moral_needs_a_real_share_and_more_than_loss_of_control(moral, control, expected):
    answers = with_("moral", moral_distress=moral, control_distress=control)
    assert mainly_moral(answers) is expected


@settings(deadline=None)
@given(
    st.dictionaries(
        st.sampled_from(
            [
                "first_exposure",
                "duration",
                "frequency",
                "attempts",
                "conditions",
                "impairment",
                "vulnerabilities",
                "moral",
                "escalation",
            ]
        ),
        st.one_of(
            st.none(),
            st.integers(),
            st.text(max_size=5),
            st.dictionaries(
                st.sampled_from(NAMES),
                st.one_of(
                    st.none(),
                    st.booleans(),
                    st.integers(),
                    st.floats(),
                    st.text(max_size=10),
                    st.lists(st.sampled_from(["night", "depression", 3, None]), max_size=3),
                ),
                max_size=6,
            ),
        ),
        max_size=9,
    )
)
def test_any_stored_shape_gives_nine_facts_without_crashing(answers):
    found = recovery_factors(answers)
    assert [f.key for f in found] == list(FACT_KEYS)
    assert all(f.present in (True, False, None) for f in found)


@given(st.integers(min_value=5, max_value=99))
def test_early_exposure_is_exactly_under_thirteen(age):
    fact = facts({"first_exposure": {"first_exposure_age": age}})["early_exposure"]
    assert fact.present is (age < 13)
    assert fact.value == age
