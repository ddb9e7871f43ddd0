"""A module header is checked against its declaration; every problem in it is named at once."""

from __future__ import annotations

import pytest

from tests.learn.conftest import write_module
from waypost.learn.content import LibraryError, load_library


def test_every_problem_of_a_header_is_named_at_once(tmp_path):
    # given a module with no title, a stage that does not exist and a core that is a number
    path = write_module(tmp_path, "bad.md", title=None, stage=9, core=3)
    # when the library loads
    with pytest.raises(LibraryError) as caught:
        load_library([tmp_path])
    # then the file is listed once, with all three problems in the header's order
    assert caught.value.problems == [
        (
            str(path),
            "missing title; core must be true or false, not 3; stage 9 must be 1, 2, 3 or 4",
        )
    ]


def test_a_title_of_spaces_counts_as_missing(tmp_path):
    # given a module whose title is only spaces
    path = write_module(tmp_path, "blank.md", title="   ")
    # when the library loads
    with pytest.raises(LibraryError) as caught:
        load_library([tmp_path])
    # then it is told as missing, like an empty title
    assert caught.value.problems == [(str(path), "missing title")]
