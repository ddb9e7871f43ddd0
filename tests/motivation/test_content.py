"""The rules of the tools, without a database: what is kept and what is refused."""

from __future__ import annotations

from datetime import UTC, datetime, timedelta

import pytest
from hypothesis import given
from hypothesis import strategies as st

from waypost.motivation import tools
from waypost.motivation.tools import MotivationContentError
from waypost.motivation.values_cards import CARDS

CARD_KEYS = sorted(CARDS)


@given(st.integers(min_value=-50, max_value=50))
def test_readiness_is_kept_only_from_0_to_10(number):
    if 0 <= number <= 10:
        assert tools.parse_readiness(str(number)) == number
    else:
        with pytest.raises(MotivationContentError):
            tools.parse_readiness(str(number))


@given(st.text(max_size=6).filter(lambda t: not t.strip().isdecimal()))
def test_readiness_refuses_what_is_not_a_whole_number(text):
    with pytest.raises(MotivationContentError):
        tools.parse_readiness(text)


@pytest.mark.parametrize("text", ["²", "½", "6.0", "1e1", "0x5", "--5"])
def test_readiness_refuses_look_alike_numbers_without_crashing(text):
    with pytest.raises(MotivationContentError):
        tools.parse_readiness(text)


def test_readiness_goes_stale_after_four_weeks():
    now = datetime(2025, 6, 1, tzinfo=UTC)
    assert tools.readiness_is_stale(None, now)
    assert not tools.readiness_is_stale(now - timedelta(days=27), now)
    assert tools.readiness_is_stale(now - timedelta(days=28), now)


@given(
    st.dictionaries(
        st.sampled_from(tools.BOX_KEYS),
        st.lists(
            st.fixed_dictionaries(
                {
                    "text": st.text(max_size=40),
                    "weight": st.one_of(st.none(), st.sampled_from(tools.WEIGHTS)),
                }
            ),
            max_size=tools.MAX_ITEMS_PER_BOX,
        ),
    )
)
def test_a_kept_balance_has_four_boxes_of_non_empty_tidy_lines(content):
    try:
        clean = tools.normalise_balance(content)
    except MotivationContentError:
        # only refused when every line is empty
        assert not any(" ".join(i["text"].split()) for items in content.values() for i in items)
        return
    assert set(clean) == set(tools.BOX_KEYS)
    for items in clean.values():
        for item in items:
            assert item["text"] and item["text"] == " ".join(item["text"].split())
            assert item["weight"] in (None, *tools.WEIGHTS)
    # normalising twice changes nothing, and the JSON round-trips
    assert tools.normalise_balance(clean) == clean
    assert tools.loads(tools.dumps(clean)) == clean


@pytest.mark.parametrize("weight", [0, 6, -1, "high", 2.5])
def test_a_weight_outside_1_to_5_is_refused(weight):
    with pytest.raises(MotivationContentError):
        tools.normalise_balance({"now_good": [{"text": "x", "weight": weight}]})


@given(
    st.dictionaries(st.sampled_from(CARD_KEYS), st.sampled_from(tools.PILES), min_size=1),
    st.lists(st.sampled_from(CARD_KEYS), max_size=8),
)
def test_top_values_are_at_most_five_cards_sorted_as_important(piles, chosen):
    clean = tools.normalise_sort(piles, CARDS)
    allowed = set(tools.top_candidates(clean))
    unique = list(dict.fromkeys(chosen))
    try:
        top = tools.normalise_top(chosen, clean)
    except MotivationContentError:
        assert len(unique) > tools.MAX_TOP_VALUES or not set(unique) <= allowed
        return
    assert [t["card"] for t in top] == unique
    assert len(top) <= tools.MAX_TOP_VALUES
    assert {t["card"] for t in top} <= allowed
    # after any re-sort, carried values still qualify
    carried = tools.carry_top(top, dict.fromkeys(clean, tools.NOT))
    assert carried == []


def test_very_important_cards_come_first_as_candidates():
    piles = {"fun": "important", "family": "very", "calm": "not"}
    assert tools.top_candidates(piles) == ["family", "fun"]


def test_the_stage_statements_name_the_five_stages_in_order():
    assert tools.CHANGE_STAGE_KEYS == (
        "precontemplation",
        "contemplation",
        "preparation",
        "action",
        "maintenance",
    )
    assert tools.change_stage("relapse") is None
