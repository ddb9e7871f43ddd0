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


def _setting(name: str, value, *keys):
    """A break that sets ``data["waypost"][keys...]`` to ``value`` (named for the test id)."""

    def breaks(data):
        target = data["waypost"]
        for key in keys[:-1]:
            target = target[key]
        target[keys[-1]] = value
        return data

    breaks.__name__ = name
    return breaks


_NHS = ("service_standards", 0)


def _total_code_no_code(data):
    data["waypost"]["total_code"] = {"system": "http://loinc.org", "display": "x"}
    return data


def _total_code_bad_system(data):
    data["waypost"]["total_code"] = {"system": "loinc", "code": "1", "display": "x"}
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
        (_total_code_no_code, "total_code: 'code' is missing"),
        (_total_code_bad_system, "total_code.system must be a URI"),
        (_norm_mean_outside, "norms.clinical: mean 31.0 is outside the total's range 0–27"),
        # malformed structures are named, not an AttributeError from deep inside
        (_setting("bands_a_string", "x", "bands"), "bands must be a list of objects"),
        (_setting("screens_strings", ["x"], "screens"), "screens must be a list of objects"),
        (
            _setting("critical_an_object", {"item": "phq9-9"}, "critical_items"),
            "critical_items must be a list of objects",
        ),
        (_setting("subscales_a_string", "ab", "subscales"), "subscales must be a list of objects"),
        (
            _setting("standards_numbers", [6, 10], "service_standards"),
            "service_standards must be a list of objects",
        ),
        (_setting("norms_a_list", [], "norms"), "norms must be an object"),
        (_setting("norm_a_number", 3, "norms", "general"), "norms.general must be an object"),
        (_setting("reliability_a_number", 0.89, "reliability"), "reliability must be an object"),
        (
            _setting("reliability_text", "high", "reliability", "value"),
            "reliability.value must be a number, not 'high'",
        ),
        (_setting("band_without_label", None, "bands", 0, "label"), "band: 'label' is missing"),
        (_setting("languages_a_string", "en", "languages"), "languages must be a list of"),
        (
            _setting("short_form_of_a_list", ["phq-2"], "short_form_of"),
            "short_form_of must be text",
        ),
        (
            _setting("items_a_string", "phq9-1", "scoring", "items"),
            "scoring: items must be a list of linkIds",
        ),
        (
            _setting("reverse_a_string", "phq9-1", "scoring", "reverse"),
            "scoring: reverse must be a list of linkIds",
        ),
        (
            _setting("weights_a_list", [2], "scoring", "weights"),
            "scoring: weights must be an object of linkId: number",
        ),
        (
            _setting("range_a_number", 27, "scoring", "range"),
            "scoring: range must be [lowest, highest]",
        ),
        # weights: numbers, and a mean's must not add up to 0 (ZeroDivisionError before)
        (
            _setting("weight_text", {"phq9-1": "2"}, "scoring", "weights"),
            "scoring: the weight of phq9-1 must be a number, not '2'",
        ),
        (
            _setting(
                "mean_weights_add_up_to_0",
                [
                    {
                        "id": "s",
                        "name": "S",
                        "method": "mean",
                        "weights": {"phq9-1": 1, "phq9-2": -1},
                        "items": ["phq9-1", "phq9-2"],
                    }
                ],
                "subscales",
            ),
            "subscale 's': the weights of a mean must not add up to 0",
        ),
        # an explicitly empty list of items is a mistake, not "every item"
        (
            _setting("subscale_items_empty", [{"id": "s", "name": "S", "items": []}], "subscales"),
            "subscale 's': items must not be empty",
        ),
        (_setting("total_items_empty", [], "scoring", "items"), "scoring: items must not be empty"),
        (
            _setting("items_twice", ["phq9-1", "phq9-1"], "scoring", "items"),
            "scoring: items listed more than once: phq9-1",
        ),
        # multiply above 0; decimals a whole number from 0 to 4
        (
            _setting("multiply_0", 0, "scoring", "multiply"),
            "scoring: multiply must be a number above 0",
        ),
        (
            _setting("multiply_negative", -4, "scoring", "multiply"),
            "multiply must be a number above 0",
        ),
        (
            _setting("multiply_nan", float("nan"), "scoring", "multiply"),
            "multiply must be a number",
        ),
        (
            _setting("decimals_negative", -1, "scoring", "decimals"),
            "decimals must be a whole number",
        ),
        (
            _setting("decimals_fraction", 1.5, "scoring", "decimals"),
            "decimals must be a whole number",
        ),
        (_setting("decimals_true", True, "scoring", "decimals"), "decimals must be a whole number"),
        # a service standard must fit the total's range
        (
            _setting("caseness_above_range", 28, *_NHS, "caseness"),
            "service standard nhs-talking-therapies: caseness 28 is outside the total's range 0–27",
        ),
        (
            _setting("caseness_below_range", -1, *_NHS, "caseness"),
            "caseness -1 is outside the total's range 0–27",
        ),
        (
            _setting("reliable_change_0", 0, *_NHS, "reliable_change"),
            "service standard nhs-talking-therapies: reliable_change must be above 0 "
            "and no more than 27",
        ),
        (
            _setting("reliable_change_too_wide", 28, *_NHS, "reliable_change"),
            "reliable_change must be above 0 and no more than 27",
        ),
    ],
    ids=lambda v: v.__name__ if callable(v) else None,
)
def test_a_broken_file_is_named_with_its_problem(tmp_path, breaks, problem):
    assert problem in _broken(tmp_path, breaks(copy.deepcopy(PHQ9)))


def test_absent_items_still_mean_every_item(tmp_path):
    data = copy.deepcopy(PHQ9)
    assert "items" not in data["waypost"]["scoring"]
    data["waypost"]["subscales"] = [{"id": "all", "name": "All"}]
    write(tmp_path, data)
    instrument = catalog.load_directories([tmp_path])["phq-9"].instrument
    assert len(instrument.total.items) == len(instrument.subscales[0].rule.items) == 9


def test_a_service_standard_at_the_edges_of_the_range_is_accepted(tmp_path):
    data = copy.deepcopy(PHQ9)
    data["waypost"]["service_standards"][0].update(caseness=27, reliable_change=27)
    write(tmp_path, data)
    assert catalog.load_directories([tmp_path])["phq-9"].instrument.service_standards


def test_an_unexpected_error_still_names_the_file(tmp_path, monkeypatch):
    # given a check that fails in a way nobody foresaw
    def surprise(*args):
        raise ZeroDivisionError("division by zero")

    monkeypatch.setattr(catalog, "_check_rules", surprise)
    # then the file is still named, with what went wrong
    problem = _broken(tmp_path, PHQ9)
    assert problem == "the file could not be checked (ZeroDivisionError: division by zero)"


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
