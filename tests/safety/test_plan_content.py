"""Typed lines become short plan items; phone numbers are found at the end of a line."""

from __future__ import annotations

import pytest
from hypothesis import given
from hypothesis import strategies as st

from waypost.safety import plan_content
from waypost.safety.plan_content import Contact, PlanContentError


def test_one_item_per_line_with_bullets_and_blank_lines_dropped():
    text = "  - Cold water on my face\n\n• Walk round the block  \n2. Call   Jun\r\n"
    assert plan_content.parse_items(text) == [
        "Cold water on my face",
        "Walk round the block",
        "Call Jun",
    ]


@pytest.mark.parametrize(
    ("line", "name", "phone"),
    [
        ("Aunt Lina, 9123 4567", "Aunt Lina", "9123 4567"),
        ("My brother Hakim 8765-4321", "My brother Hakim", "8765-4321"),
        ("Samaritans: 1767", "Samaritans", "1767"),
        ("Emergency 995", "Emergency", "995"),
        ("Dr Wong — +65 (6123) 4567", "Dr Wong", "+65 (6123) 4567"),
        ("Ward 3, 6389 2222", "Ward 3", "6389 2222"),
        ("Hui Min", "Hui Min", ""),
        ("Bus 12", "Bus 12", ""),
        ("+65 9123 4567", "+65 9123 4567", "+65 9123 4567"),
    ],
)
def test_a_contact_line_splits_into_name_and_phone(line, name, phone):
    assert plan_content.parse_contact(line) == Contact(name, phone)


def test_tap_to_call_keeps_only_digits_and_plus():
    assert Contact("Dr Wong", "+65 (6123) 4567").tel_href == "tel:+6561234567"
    assert Contact("Hui Min").tel_href == ""


def test_normalise_puts_every_part_in_order_and_ignores_unknown_keys():
    result = plan_content.normalise(
        {"coping": ["  Breathe  "], "helpers": [{"name": "Jun", "phone": "8234 5678"}], "x": [1]}
    )
    assert list(result) == list(plan_content.SECTION_KEYS)
    assert result["coping"] == ["Breathe"]
    assert result["helpers"] == [Contact("Jun", "8234 5678")]
    assert result["reasons"] == []


def test_an_empty_plan_is_refused_with_a_plain_message():
    with pytest.raises(PlanContentError, match="The plan is empty"):
        plan_content.normalise({"reasons": ["   ", ""]})


def test_too_many_or_too_long_lines_are_refused():
    with pytest.raises(PlanContentError, match="keep it to 20 or fewer"):
        plan_content.normalise({"coping": [f"idea {n}" for n in range(21)]})
    with pytest.raises(PlanContentError, match="under 200 letters"):
        plan_content.normalise({"coping": ["x" * 201]})


def test_a_very_long_contact_line_is_not_parsed_but_refused():
    line = "9" * 100_000
    assert plan_content.parse_contact(line).phone == ""
    with pytest.raises(PlanContentError):
        plan_content.normalise({"helpers": [line]})


_line = st.text(
    alphabet=st.characters(blacklist_categories=("Cs", "Cc", "Zl", "Zp")), max_size=60
).filter(lambda s: "\n" not in s and "\r" not in s)


@given(st.lists(_line, max_size=8))
def test_items_survive_a_round_trip_through_storage_and_the_edit_box(lines):
    # given the items a person typed
    items = plan_content.parse_items("\n".join(lines))
    if not items:
        return
    content = plan_content.normalise({"coping": items})
    # when stored and read back, and shown again in the edit box
    again = plan_content.loads(plan_content.dumps(content))
    box = plan_content.as_text("coping", again["coping"])
    # then nothing changed and no item is blank
    assert again["coping"] == content["coping"]
    assert plan_content.parse_items(box) == content["coping"]
    assert all(item.strip() == item and item for item in again["coping"])


@given(st.lists(_line, max_size=8))
def test_contacts_are_stable_once_parsed(lines):
    contacts = plan_content.parse_contacts("\n".join(lines))
    # parsing what we show in the edit box gives the same people back
    shown = plan_content.as_text("helpers", contacts)
    assert plan_content.parse_contacts(shown) == contacts
    assert all(c.name for c in contacts)
