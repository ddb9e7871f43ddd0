"""A broken instrument file stops start-up, with a message naming the file and the problem."""

from __future__ import annotations

import copy
import json

import pytest
from django.apps import apps
from django.core.exceptions import ImproperlyConfigured

from waypost.assessments import catalog

PHQ9 = json.loads((catalog.BUILTIN_DIR / "phq-9.json").read_text())


@pytest.fixture
def clinic_instruments(tmp_path, monkeypatch):
    """A clinic's own instruments folder (WAYPOST_INSTRUMENTS_DIR); the catalogue is
    emptied afterwards, so no other test sees anything loaded from it."""
    monkeypatch.setenv("WAYPOST_INSTRUMENTS_DIR", str(tmp_path))
    yield tmp_path
    catalog._cached.cache_clear()


def _own(**waypost) -> dict:
    data = copy.deepcopy(PHQ9)
    data["id"], data["url"] = "own-9", "urn:test:instrument:own-9"
    data["waypost"].update(waypost)
    return data


@pytest.mark.parametrize(
    ("waypost", "problem"),
    [
        # each of these once escaped as an AttributeError or a ZeroDivisionError, unnamed
        ({"bands": "x"}, "bands must be a list of objects"),
        (
            {
                "subscales": [
                    {
                        "id": "s",
                        "name": "S",
                        "method": "mean",
                        "items": ["phq9-1", "phq9-2"],
                        "weights": {"phq9-1": 1, "phq9-2": -1},
                    }
                ]
            },
            "subscale 's': the weights of a mean must not add up to 0",
        ),
    ],
    ids=["bands", "mean-weights"],
)
def test_start_up_stops_on_a_broken_instrument_file(clinic_instruments, waypost, problem):
    # Given a clinic folder with a broken questionnaire
    path = clinic_instruments / "own-9.json"
    path.write_text(json.dumps(_own(**waypost)))
    # When the app starts
    with pytest.raises(ImproperlyConfigured) as caught:
        apps.get_app_config("assessments").ready()
    # Then start-up stops with a message naming the file and the problem
    assert str(caught.value) == f"instrument file {path}: {problem}"
    assert isinstance(caught.value.__cause__, catalog.InstrumentFileError)
