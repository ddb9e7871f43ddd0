"""`waypost instruments check FILE [--examples FILE]`: the upload page's checks, without the web.

Also keeps the documentation honest: the complete example in docs/instruments.md is
the file in docs/instruments/, and it and its worked examples pass.
"""

from __future__ import annotations

import json
import re
from pathlib import Path

import pytest

from tests.assessments.clinic_questionnaires import (
    DOCS,
    EXAMPLE,
    EXAMPLE_FILE,
    EXAMPLES,
    EXAMPLES_FILE,
    example,
)
from tests.assessments.test_commands import waypost

INSTRUMENTS_MD = DOCS.parent / "instruments.md"


def _write(tmp_path: Path, data, name: str = "questionnaire.json") -> str:
    path = tmp_path / name
    path.write_text(json.dumps(data) if not isinstance(data, str) else data, encoding="utf-8")
    return str(path)


def _documented(marker: str):
    """The JSON block that follows ``<!-- marker -->`` in docs/instruments.md."""
    text = INSTRUMENTS_MD.read_text(encoding="utf-8")
    found = re.search(rf"<!-- {re.escape(marker)} -->\n```json\n(.*?)\n```", text, re.DOTALL)
    assert found, f"docs/instruments.md has no block after <!-- {marker} -->"
    return json.loads(found.group(1))


def test_the_documented_example_is_the_shipped_example_file():
    assert _documented("example-screen.json") == EXAMPLE
    assert _documented("example-screen.examples.json") == EXAMPLES


def test_the_documented_example_and_its_worked_examples_pass():
    result = waypost("check", str(EXAMPLE_FILE), "--examples", str(EXAMPLES_FILE))
    assert result.returncode == 0, result.stderr
    assert result.stdout.startswith("ok: example-screen (EX-4, ")
    assert "3 of 3 examples pass" in result.stdout
    assert result.stderr == ""


def test_the_documented_example_is_not_a_real_measure():
    # invented, and says so where people read it
    assert "invented" in EXAMPLE["title"]
    assert "not a published measure" in EXAMPLE["waypost"]["citation"]


def test_every_problem_is_printed_with_where_it_is_and_exit_2(tmp_path):
    data = example()
    data["waypost"]["bands"][1]["min"] = 5
    data["waypost"]["screens"][0]["min"] = 20
    result = waypost("check", _write(tmp_path, data))
    assert result.returncode == 2
    assert result.stdout == ""
    assert "questionnaire.json: 2 problems" in result.stderr
    assert "  - gap between bands 'Low' and 'Some': no band for 4 to 4  (at waypost.bands)" in (
        result.stderr
    )
    assert "cut-off 20 is outside [0, 12]  (at waypost.screens[0])" in result.stderr


def test_an_example_that_does_not_agree_exits_1_saying_what_differs(tmp_path):
    examples = [*EXAMPLES, {"answers": [1, 2, 1, 0], "total": 5, "band": "Some"}]
    result = waypost(
        "check", str(EXAMPLE_FILE), "--examples", _write(tmp_path, examples, "examples.json")
    )
    assert result.returncode == 1
    assert "example 4: FAIL: 1,2,1,0 → total: expected 5, got 4" in result.stdout
    assert "3 of 4 examples pass" in result.stdout


@pytest.mark.parametrize(
    ("examples", "problem"),
    [
        ([{"answers": [1, 2], "total": 3}], "example 1: the questionnaire has 4 items; got 2"),
        ({"answers": [0, 0, 0, 0]}, "must hold a list of examples"),
        ("[1, 2,", "not valid JSON"),
    ],
    ids=["wrong-count", "not-a-list", "broken-json"],
)
def test_an_examples_file_that_does_not_fit_exits_2(tmp_path, examples, problem):
    path = _write(tmp_path, examples, "examples.json")
    result = waypost("check", str(EXAMPLE_FILE), "--examples", path)
    assert result.returncode == 2
    assert problem in result.stderr


def test_json_output_for_scripts(tmp_path):
    result = waypost("check", str(EXAMPLE_FILE), "--examples", str(EXAMPLES_FILE), "--json")
    assert result.returncode == 0, result.stderr
    report = json.loads(result.stdout)
    assert report["ok"] is True and report["problems"] == []
    assert report["summary"]["id"] == "example-screen"
    assert [e["passed"] for e in report["examples"]] == [True, True, True]
    data = example(id="phq-9")
    result = waypost("check", _write(tmp_path, data), "--json")
    assert result.returncode == 2
    report = json.loads(result.stdout)
    assert report["ok"] is False
    assert report["problems"][0]["at"] == "id"


@pytest.mark.parametrize(
    ("content", "problem"),
    [
        (None, "cannot read"),
        (b"\xff\xfe\xfa", "not UTF-8 text"),
        (b"x" * (256 * 1024 + 1), "may be at most 256 KB"),
    ],
    ids=["missing", "not-utf8", "too-large"],
)
def test_a_file_that_cannot_be_read_exits_2(tmp_path, content, problem):
    path = tmp_path / "q.json"
    if content is not None:
        path.write_bytes(content)
    result = waypost("check", str(path))
    assert result.returncode == 2
    assert problem in result.stderr


def test_an_installed_file_is_not_a_clash_with_itself(tmp_path):
    from waypost.assessments import catalog

    result = waypost("check", str(catalog.BUILTIN_DIR / "phq-9.json"))
    assert result.returncode == 0, result.stderr
    # but a copy of it elsewhere is
    copy = _write(tmp_path, json.loads((catalog.BUILTIN_DIR / "phq-9.json").read_text()))
    result = waypost("check", copy)
    assert result.returncode == 2
    assert "id 'phq-9' is already a questionnaire of this installation" in result.stderr


def test_a_file_in_the_installations_folder_clashes_with_an_upload_of_its_id(tmp_path):
    folder = tmp_path / "folder"
    folder.mkdir()
    (folder / "example-screen.json").write_text(json.dumps(example(url="urn:test:x")))
    result = waypost("check", str(EXAMPLE_FILE), WAYPOST_INSTRUMENTS_DIR=str(folder))
    assert result.returncode == 2
    assert "id 'example-screen' is already a questionnaire of this installation" in (result.stderr)
    result = waypost(
        "check", str(folder / "example-screen.json"), WAYPOST_INSTRUMENTS_DIR=str(folder)
    )
    assert result.returncode == 0, result.stderr
