"""The domains file: content data, checked at start-up."""

from __future__ import annotations

import json

import pytest

from waypost.flourish import domains


def test_the_built_in_file_names_the_eight_areas_of_the_program():
    keys = [d.key for d in domains.domains()]
    assert keys == [
        "stable_recovery",
        "insight",
        "amends",
        "trauma",
        "social_skills",
        "healthy_internet",
        "self_care",
        "meaning",
    ]


@pytest.mark.parametrize(
    ("raw", "message"),
    [
        ([], "one JSON object"),
        ({"version": 9, "domains": []}, "version"),
        ({"version": 1, "domains": []}, "at least one"),
        ({"version": 1, "domains": [{"key": "Bad Key", "name": "x", "description": "y"}]}, "key"),
        (
            {
                "version": 1,
                "domains": [
                    {"key": "same", "name": "x", "description": "y"},
                    {"key": "same", "name": "x", "description": "y"},
                ],
            },
            "twice",
        ),
        ({"version": 1, "domains": [{"key": "ok", "name": "", "description": "y"}]}, "'name'"),
    ],
)
def test_a_broken_file_is_refused_saying_why(tmp_path, raw, message):
    path = tmp_path / "domains.json"
    path.write_text(json.dumps(raw))
    with pytest.raises(domains.DomainFileError, match=message):
        domains.load(path)
