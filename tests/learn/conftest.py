"""Helpers for the reading library's tests: module files written on the fly."""

from __future__ import annotations

from pathlib import Path

import pytest
import yaml

from waypost.learn import content

BODY = "A short, kind text about something that helps.\n\n## Questions to reflect on\n\n1. One?\n"


def module_text(body: str = BODY, **fields) -> str:
    """A module file: header fields (None drops a field) and a Markdown body."""
    header = {
        "slug": "a-test-module",
        "title": "A test module",
        "summary": "For tests.",
        "audience": "client",
        "core": False,
        "stage": 1,
        "order": 10,
        "sources": ["Author, A. (2020). A real-looking reference. A Journal, 1(1), 1-2."],
    }
    header.update(fields)
    header = {k: v for k, v in header.items() if v is not None}
    return f"---\n{yaml.safe_dump(header, allow_unicode=True, sort_keys=False)}---\n{body}"


def write_module(folder: Path, name: str, body: str = BODY, **fields) -> Path:
    path = folder / name
    path.write_text(module_text(body, **fields), encoding="utf-8")
    return path


@pytest.fixture
def clinic_modules(tmp_path, monkeypatch):
    """A clinic's own module folder (WAYPOST_MODULES_DIR); the library is restored afterwards."""
    folder = tmp_path / "clinic-modules"
    folder.mkdir()
    monkeypatch.setenv(content.MODULES_DIR_VARIABLE, str(folder))
    yield folder
    monkeypatch.delenv(content.MODULES_DIR_VARIABLE, raising=False)
    content.reload()


@pytest.fixture
def books():
    return content.library()
