"""Module files are checked at start-up; a broken one is named, with what is wrong."""

from __future__ import annotations

import os
import subprocess
import sys
from pathlib import Path

import pytest
from django.apps import apps
from django.core.exceptions import ImproperlyConfigured

from tests.learn.conftest import BODY, write_module
from waypost.learn import content
from waypost.learn.content import LibraryError, load_library


def _problems(*folders: Path) -> list[tuple[str, str]]:
    with pytest.raises(LibraryError) as caught:
        load_library(list(folders))
    return caught.value.problems


def test_a_good_file_loads_with_its_reading_time_worked_out(tmp_path):
    # Given a module of 450 words with no reading time declared
    write_module(tmp_path, "good.md", body="word " * 450, core=True, stage=2, audience="both")
    # When the library loads
    library = load_library([tmp_path])
    # Then the module is there, with its fields and about 3 minutes' reading at 200 wpm
    module = library.get("a-test-module")
    assert module.title == "A test module"
    assert (module.core, module.stage, module.audience) == (True, 2, "both")
    assert module.words == 450
    assert module.reading_minutes == 3
    assert library.core == [module]


def test_a_missing_title_names_the_file(tmp_path):
    path = write_module(tmp_path, "untitled.md", title=None)
    assert _problems(tmp_path) == [(str(path), "missing title")]


def test_bad_yaml_names_the_file_and_the_line(tmp_path):
    path = tmp_path / "broken.md"
    path.write_text("---\nslug: broken\ntitle: [unclosed\nsummary: x\n---\nText\n")
    [(where, problem)] = _problems(tmp_path)
    assert where == str(path)
    assert problem.startswith("the header is not valid YAML")
    assert "line" in problem


def test_a_colon_in_an_unquoted_title_is_explained(tmp_path):
    path = tmp_path / "colon.md"
    path.write_text("---\nslug: colon\ntitle: The 5 Cs: a list\nsummary: x\n---\nText\n")
    [(where, problem)] = _problems(tmp_path)
    assert where == str(path) and "not valid YAML" in problem


def test_a_duplicate_slug_names_both_files(tmp_path):
    first = write_module(tmp_path, "a.md", slug="same")
    second = write_module(tmp_path, "b.md", slug="same")
    [(where, problem)] = _problems(tmp_path)
    assert where == str(second)
    assert "'same' is already used by" in problem and str(first) in problem


def test_a_file_without_a_header_is_refused(tmp_path):
    path = tmp_path / "plain.md"
    path.write_text("# Just Markdown\n\nNo header.\n")
    assert _problems(tmp_path) == [
        (str(path), "the file must start with a line of three dashes (---) and a header")
    ]


def test_a_header_that_never_closes_is_refused(tmp_path):
    path = tmp_path / "open.md"
    path.write_text("---\nslug: open\ntitle: Open\n")
    [(_, problem)] = _problems(tmp_path)
    assert "never closed" in problem


@pytest.mark.parametrize(
    ("fields", "expected"),
    [
        ({"audience": "everyone"}, "audience 'everyone' must be one of: client, ally, both"),
        ({"stage": 5}, "stage 5 must be 1, 2, 3 or 4"),
        ({"stage": "two"}, "stage 'two' must be 1, 2, 3 or 4"),
        ({"core": "maybe"}, "core must be true or false, not 'maybe'"),
        ({"slug": "Not A Slug"}, "slug 'Not A Slug' must be lower-case letters"),
        ({"sources": None}, "missing sources"),
        ({"sources": []}, "missing sources"),
        ({"sources": [{"author": "x"}]}, "sources must be a list of full references"),
        ({"summary": ""}, "missing summary"),
        ({"order": "first"}, "order 'first' must be a whole number"),
        ({"titel": "typo"}, "unknown header field(s): titel"),
        ({"reading_minutes": 20}, "reading_minutes says 20, but the 14 words read in about 1"),
    ],
)
def test_each_bad_field_is_explained(tmp_path, fields, expected):
    path = write_module(tmp_path, "bad.md", **fields)
    [(where, problem)] = _problems(tmp_path)
    assert where == str(path)
    assert problem.startswith(expected), problem


def test_a_declared_reading_time_close_to_the_text_is_kept(tmp_path):
    write_module(tmp_path, "ok.md", body="word " * 1000, reading_minutes=6)
    assert load_library([tmp_path]).get("a-test-module").reading_minutes == 6


def test_an_empty_text_is_refused(tmp_path):
    path = write_module(tmp_path, "empty.md", body="\n\n")
    assert _problems(tmp_path) == [(str(path), "the text after the header is empty")]


def test_every_broken_file_is_listed_at_once(tmp_path):
    write_module(tmp_path, "one.md", slug="one", title=None)
    write_module(tmp_path, "two.md", slug="two", stage=9)
    write_module(tmp_path, "fine.md", slug="fine")
    problems = _problems(tmp_path)
    assert [Path(p).name for p, _ in problems] == ["one.md", "two.md"]


def test_readme_and_underscore_files_are_not_modules(tmp_path):
    (tmp_path / "README.md").write_text("How to write modules.\n")
    (tmp_path / "_draft.md").write_text("not ready\n")
    write_module(tmp_path, "real.md")
    assert [m.slug for m in load_library([tmp_path])] == ["a-test-module"]


def test_modules_are_in_stage_then_order(tmp_path):
    write_module(tmp_path, "c.md", slug="late", stage=2, order=1)
    write_module(tmp_path, "b.md", slug="second", stage=1, order=20)
    write_module(tmp_path, "a.md", slug="first", stage=1, order=10)
    assert [m.slug for m in load_library([tmp_path])] == ["first", "second", "late"]


# --- the clinic's own folder -------------------------------------------------------


def test_a_clinic_folder_adds_modules_to_the_built_in_ones(clinic_modules):
    write_module(clinic_modules, "ours.md", slug="our-own-module", title="Our own module")
    library = content.reload()
    assert library.get("our-own-module").title == "Our own module"
    assert library.get("five-cs") is not None


def test_a_clinic_file_reusing_a_built_in_slug_must_say_override(clinic_modules):
    path = write_module(clinic_modules, "five.md", slug="five-cs")
    with pytest.raises(LibraryError) as caught:
        content.reload()
    [(where, problem)] = caught.value.problems
    assert where == str(path)
    assert "add 'override: true'" in problem


def test_a_clinic_file_may_override_a_built_in_module(clinic_modules):
    write_module(clinic_modules, "five.md", slug="five-cs", title="Our 5 Cs", override=True)
    library = content.reload()
    assert library.get("five-cs").title == "Our 5 Cs"
    assert sum(1 for m in library if m.slug == "five-cs") == 1


def test_override_without_a_module_to_replace_is_refused(clinic_modules):
    write_module(clinic_modules, "new.md", slug="brand-new", override=True)
    with pytest.raises(LibraryError, match="no module 'brand-new' to replace"):
        content.reload()


def test_a_clinic_folder_that_does_not_exist_is_named(clinic_modules, monkeypatch):
    missing = clinic_modules / "nope"
    monkeypatch.setenv(content.MODULES_DIR_VARIABLE, str(missing))
    with pytest.raises(LibraryError) as caught:
        content.reload()
    assert caught.value.problems == [(str(missing), "WAYPOST_MODULES_DIR: this is not a folder")]


# --- start-up ---------------------------------------------------------------------


def test_start_up_stops_on_a_broken_file(clinic_modules):
    # Given a clinic folder with a module that has no title
    path = write_module(clinic_modules, "untitled.md", slug="untitled", title=None)
    # When the app starts
    with pytest.raises(ImproperlyConfigured) as caught:
        apps.get_app_config("learn").ready()
    # Then start-up stops with a message naming the file and the problem
    assert f"{path}: missing title" in str(caught.value)


def test_the_waypost_command_refuses_to_start_with_a_broken_module(tmp_path):
    # Given a clinic folder with a duplicate of a built-in slug
    folder = tmp_path / "mods"
    folder.mkdir()
    path = write_module(folder, "dupe.md", slug="five-cs", body=BODY)
    env = {k: v for k, v in os.environ.items() if not k.startswith(("WAYPOST_", "DJANGO_"))}
    env.update(WAYPOST_DATA_DIR=str(tmp_path / "data"), WAYPOST_MODULES_DIR=str(folder))
    # When Waypost starts (Django's system check, as serve and demo do)
    result = subprocess.run(
        [sys.executable, "-m", "waypost.cli", "manage", "check"],
        env=env,
        capture_output=True,
        text=True,
        timeout=120,
    )
    # Then it exits with an error naming the file
    assert result.returncode != 0
    assert str(path) in result.stderr
    assert "five-cs" in result.stderr
