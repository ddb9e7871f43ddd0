"""What the declared instrument format refuses that the hand-written checks let through.

Each refusal names the file and the place in it, as every other broken-file
message does (see test_catalog.py for the rest of the format).
"""

from __future__ import annotations

import copy
import json
from pathlib import Path

import pytest

from waypost.assessments import catalog
from waypost.assessments.catalog import InstrumentFileError

PHQ9 = json.loads((catalog.BUILTIN_DIR / "phq-9.json").read_text())


def _problem(directory: Path, data: dict) -> str:
    """The problem told for ``data`` saved as the PHQ-9's file in ``directory``."""
    path = directory / "phq-9.json"
    path.write_text(json.dumps(data))
    with pytest.raises(InstrumentFileError) as caught:
        catalog.load_directories([directory])
    assert caught.value.path == path
    return caught.value.problem


def test_two_bands_with_one_label_are_refused(tmp_path):
    # given a PHQ-9 whose second band has the first one's label
    data = copy.deepcopy(PHQ9)
    data["waypost"]["bands"][1]["label"] = "Minimal"
    # when it is loaded
    problem = _problem(tmp_path, data)
    # then the label is named: a result's band is found by its label
    assert problem == "two bands have the same label (Minimal)"


def test_two_screens_with_one_flag_are_refused(tmp_path):
    # given a PHQ-9 with its screen listed twice
    data = copy.deepcopy(PHQ9)
    data["waypost"]["screens"].append(dict(data["waypost"]["screens"][0]))
    # when it is loaded
    problem = _problem(tmp_path, data)
    # then the flag is named
    assert problem == "two screens have the same flag (screen-positive)"


def test_two_service_standards_with_one_id_are_refused(tmp_path):
    # given a PHQ-9 with its NHS Talking Therapies standard listed twice
    data = copy.deepcopy(PHQ9)
    data["waypost"]["service_standards"].append(dict(data["waypost"]["service_standards"][0]))
    # when it is loaded
    problem = _problem(tmp_path, data)
    # then the id is named
    assert problem == "two service standards have the same id (nhs-talking-therapies)"


@pytest.mark.parametrize(
    ("keys", "value", "problem"),
    [
        (("bands", 1, "detail"), 3, "band 'Mild': detail must be text"),
        (("norms", "general", "source"), 5, "norms.general: source must be text"),
        (
            ("service_standards", 0, "source"),
            None,
            "service standard nhs-talking-therapies: source must be text",
        ),
        (("licence", "url"), ["https://www.phqscreeners.com/"], "licence.url must be text"),
    ],
    ids=["band-detail", "norm-source", "standard-source", "licence-url"],
)
def test_text_shown_to_people_must_be_text(tmp_path, keys, value, problem):
    # given a PHQ-9 where a piece of text shown on a page is something else
    data = copy.deepcopy(PHQ9)
    target = data["waypost"]
    for key in keys[:-1]:
        target = target[key]
    target[keys[-1]] = value
    # when it is loaded, then the place is named
    assert _problem(tmp_path, data) == problem


def test_a_screen_without_a_cut_off_says_so(tmp_path):
    # given a PHQ-9 screen with neither min nor max
    data = copy.deepcopy(PHQ9)
    del data["waypost"]["screens"][0]["min"]
    # when it is loaded, then the screen is named with what it lacks
    assert _problem(tmp_path, data) == "screen screen-positive: needs a cut-off: min, max or both"


def test_every_problem_of_a_file_is_named_at_once(tmp_path):
    # given a PHQ-9 with three unrelated mistakes
    data = copy.deepcopy(PHQ9)
    data["waypost"]["stem"] = 3
    data["waypost"]["direction"] = "up"
    data["waypost"]["bands"][0]["min"] = "0"
    # when it is loaded
    problem = _problem(tmp_path, data)
    # then all three are told, in the file's order, on one line
    assert problem == (
        "stem must be text; "
        'direction must be "higher_is_worse" or "higher_is_better"; '
        "band 'Minimal': min must be a number, not '0'"
    )
    assert "\n" not in problem


def test_a_misspelt_key_in_the_waypost_section_is_refused_not_ignored(tmp_path):
    # given PHQ-9 with "critical_items" misspelt, which would silently drop the crisis rule
    data = copy.deepcopy(PHQ9)
    data["waypost"]["critical_item"] = data["waypost"].pop("critical_items")
    path = tmp_path / "phq-9-misspelt.json"
    path.write_text(json.dumps(data))
    # when it is loaded, then the file is refused, naming the key
    with pytest.raises(catalog.InstrumentFileError) as caught:
        catalog.load_file(path)
    assert "critical_item is not a key Waypost knows (check its spelling)" in str(caught.value)
