"""Instrument files are checked before use; a broken file is named with its problem."""

from __future__ import annotations

import copy
import json
from pathlib import Path

import pytest

from waypost.assessments import catalog
from waypost.assessments.catalog import InstrumentFileError

PHQ9 = json.loads((catalog.BUILTIN_DIR / "phq-9.json").read_text())


def write(directory: Path, data: dict, name: str | None = None) -> Path:
    path = directory / f"{name or data.get('id', 'x')}.json"
    path.write_text(json.dumps(data))
    return path


def phq9(**waypost) -> dict:
    data = copy.deepcopy(PHQ9)
    data["waypost"].update(waypost)
    return data


def test_every_shipped_instrument_loads():
    entries = catalog.load_directories([catalog.BUILTIN_DIR])
    assert "phq-9" in entries
    for entry in entries.values():
        assert entry.licence.commercial_use in catalog.LICENCE_USES
        assert entry.citation


def test_a_clinics_own_instrument_is_added_from_its_directory(tmp_path, monkeypatch):
    # given a clinic's own licensed questionnaire dropped into WAYPOST_INSTRUMENTS_DIR
    own = phq9(short_name="OWN-9")
    own["id"] = "own-9"
    write(tmp_path, own)
    monkeypatch.setenv("WAYPOST_INSTRUMENTS_DIR", str(tmp_path))
    # then it joins the built-in ones, with no code
    entries = catalog.load_directories(catalog.directories())
    assert entries["own-9"].instrument.short_name == "OWN-9"
    assert entries["own-9"].summary()["source"] == str(tmp_path / "own-9.json")
    assert entries["phq-9"].summary()["source"] == "built-in"


def _broken(tmp_path, data, name=None) -> str:
    path = write(tmp_path, data, name)
    with pytest.raises(InstrumentFileError) as caught:
        catalog.load_directories([tmp_path])
    assert caught.value.path == path
    assert str(path) in str(caught.value)
    return caught.value.problem


def _without_weight(data):
    del data["item"][2]["answerOption"][1]["extension"]
    return data


def _gap(data):
    data["waypost"]["bands"][1]["min"] = 6
    return data


def _overlap(data):
    data["waypost"]["bands"][1]["min"] = 4
    return data


def _short_bands(data):
    data["waypost"]["bands"][-1]["max"] = 26
    return data


def _wrong_range(data):
    data["waypost"]["scoring"]["range"] = [0, 30]
    return data


def _bad_fhir(data):
    data["status"] = {"not": "a code"}
    return data


def _duplicate_link(data):
    data["item"][1]["linkId"] = "phq9-1"
    return data


def _unknown_reverse(data):
    data["waypost"]["scoring"]["reverse"] = ["phq9-99"]
    return data


def _critical_unknown(data):
    data["waypost"]["critical_items"][0]["item"] = "phq9-10"
    return data


def _critical_at_lowest(data):
    data["waypost"]["critical_items"][0]["min_score"] = 0
    return data


def _same_scores(data):
    data["item"][0]["answerOption"][1]["extension"][0]["valueDecimal"] = 0
    return data


def _no_licence(data):
    del data["waypost"]["licence"]
    return data


def _bad_licence(data):
    data["waypost"]["licence"]["commercial_use"] = "maybe"
    return data


def _no_waypost(data):
    del data["waypost"]
    return data


def _bad_reliability(data):
    data["waypost"]["reliability"]["value"] = 1.4
    return data


def _norm_sd_zero(data):
    data["waypost"]["norms"]["general"]["sd"] = 0
    return data


def _norm_mean_outside(data):
    data["waypost"]["norms"]["clinical"] = {"mean": 31, "sd": 5}
    return data


@pytest.mark.parametrize(
    ("breaks", "problem"),
    [
        (_without_weight, "option 2 ('Several days') has no score"),
        (_gap, "gap between bands 'Minimal' and 'Mild'"),
        (_overlap, "bands 'Minimal' and 'Mild' overlap"),
        (_short_bands, "bands end at 26, but the highest total is 27"),
        (_wrong_range, "scoring.range says [0, 30] but the items give [0, 27]"),
        (_bad_fhir, "not a valid FHIR Questionnaire: status"),
        (_duplicate_link, "linkId used more than once: phq9-1"),
        (_unknown_reverse, "unknown or unscored items phq9-99"),
        (_critical_unknown, "critical item phq9-10: no such item"),
        (_critical_at_lowest, "min_score must be above the lowest"),
        (_same_scores, "two options have the same score"),
        (_no_licence, 'the "licence" section is missing'),
        (_bad_licence, "licence.commercial_use must be one of"),
        (_no_waypost, 'the "waypost" section is missing'),
        (_bad_reliability, "reliability.value must be between 0 and 1"),
        (_norm_sd_zero, "norms.general: sd must be above 0"),
        (_norm_mean_outside, "norms.clinical: mean 31.0 is outside the total's range 0–27"),
    ],
    ids=lambda v: v.__name__ if callable(v) else None,
)
def test_a_broken_file_is_named_with_its_problem(tmp_path, breaks, problem):
    assert problem in _broken(tmp_path, breaks(copy.deepcopy(PHQ9)))


def test_files_that_are_not_json_or_misnamed_are_named(tmp_path):
    (tmp_path / "bad.json").write_text('{"resourceType": "Questionnaire",')
    with pytest.raises(InstrumentFileError, match=r"bad\.json: not valid JSON \(line 1"):
        catalog.load_directories([tmp_path])
    (tmp_path / "bad.json").unlink()
    assert "file name must be the Questionnaire id" in _broken(tmp_path, PHQ9, name="phq9")


def test_an_id_defined_twice_is_refused(tmp_path):
    write(tmp_path, PHQ9)
    with pytest.raises(InstrumentFileError, match="already defined in"):
        catalog.load_directories([catalog.BUILTIN_DIR, tmp_path])


def test_a_missing_directory_is_named(tmp_path):
    with pytest.raises(InstrumentFileError, match="does not exist"):
        catalog.load_directories([tmp_path / "nowhere"])


def _screen_outside_subscale(data):
    data["waypost"]["subscales"] = [{"id": "first", "name": "First", "items": ["phq9-1"]}]
    data["waypost"]["screens"].append({"flag": "x", "label": "x", "min": 9, "subscale": "first"})
    return data


def test_a_screen_beyond_its_subscales_range_is_named(tmp_path):
    problem = _broken(tmp_path, _screen_outside_subscale(copy.deepcopy(PHQ9)))
    assert "screen x: cut-off 9 is outside [0, 3]" in problem
