"""`waypost instruments list|score`, run as a person or a script would run it."""

from __future__ import annotations

import json
import os
import subprocess
import sys

import pytest


def waypost(*args: str, **env: str) -> subprocess.CompletedProcess:
    environment = {k: v for k, v in os.environ.items() if not k.startswith("WAYPOST_")}
    environment.update(env)
    return subprocess.run(
        [sys.executable, "-m", "waypost.cli", "instruments", *args],
        capture_output=True,
        text=True,
        timeout=60,
        check=False,
        env=environment,
    )


def test_list_prints_every_instrument_as_json():
    result = waypost("list", "--json")
    assert result.returncode == 0, result.stderr
    listed = {entry["id"]: entry for entry in json.loads(result.stdout)}
    assert listed["phq-9"]["range"] == [0, 27]
    assert listed["phq-9"]["flags"] == ["critical:phq9-9", "screen-positive"]


def test_score_prints_the_result_as_json():
    result = waypost("score", "phq-9", "--answers", "3,3,3,2,2,2,1,1,1", "--json")
    assert result.returncode == 0, result.stderr
    assert json.loads(result.stdout) == {
        "instrument": "phq-9",
        "total": 18,
        "subscales": {},
        "band": "Moderately severe",
        "flags": ["critical:phq9-9", "screen-positive"],
    }


@pytest.mark.parametrize(
    ("args", "message"),
    [
        (("score", "phq-9", "--answers", "1,2"), "has 9 items; got 2 answers"),
        (("score", "phq-9", "--answers", "0,0,0,0,0,0,0,0,7"), "it must be one of 0, 1, 2, 3"),
        (("score", "phq-9", "--answers", "0,0,zero"), "answer 3 is not a number"),
        (("score", "no-such", "--answers", "1"), "no instrument 'no-such'"),
    ],
)
def test_bad_answers_exit_2_with_a_message(args, message):
    result = waypost(*args, "--json")
    assert result.returncode == 2
    assert message in result.stderr
    assert result.stdout == ""


def test_a_broken_clinic_file_stops_the_command_with_its_name(tmp_path):
    (tmp_path / "broken.json").write_text("{}")
    result = waypost("list", WAYPOST_INSTRUMENTS_DIR=str(tmp_path))
    assert result.returncode == 2
    assert "broken.json" in result.stderr
    assert 'resourceType must be "Questionnaire"' in result.stderr
