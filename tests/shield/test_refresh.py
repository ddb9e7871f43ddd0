"""Lists from URLs: fetched whole or not at all, compiled together, last copy kept on failure."""

from __future__ import annotations

import pytest

from waypost.shield import refresh
from waypost.shield.blocklist import Blocklist


def test_the_setting_names_a_category_and_a_url_each():
    assert refresh.parse_sources(["adult=https://lists.example/a.txt", " bypass = file:///x "]) == [
        ("adult", "https://lists.example/a.txt"),
        ("bypass", "file:///x"),
    ]
    for bad in ("https://lists.example/a.txt", "nonsense=https://x", "adult=ftp://x"):
        with pytest.raises(refresh.RefreshError):
            refresh.parse_sources([bad])


def test_lists_are_fetched_and_compiled_into_the_file_shield_maps(tmp_path):
    adult = tmp_path / "adult.txt"
    adult.write_text("||one.example^\n0.0.0.0 two.example\n", encoding="utf-8")
    bypass = tmp_path / "bypass.txt"
    bypass.write_text("doh.example\n", encoding="utf-8")
    folder = tmp_path / "shield"
    done = refresh.refresh([("adult", adult.as_uri()), ("bypass", bypass.as_uri())], folder)
    assert set(done.fetched.values()) == {"ok"}
    assert done.report is not None and done.report.domains == 3
    compiled = Blocklist.open(folder / "lists.bin")
    assert compiled.match("www.one.example") == "adult"
    assert compiled.match("doh.example") == "bypass"


def test_a_list_that_cannot_be_fetched_keeps_its_copy_from_last_time(tmp_path):
    adult = tmp_path / "adult.txt"
    adult.write_text("one.example\n", encoding="utf-8")
    folder = tmp_path / "shield"
    refresh.refresh([("adult", adult.as_uri())], folder)
    adult.unlink()  # the list's host is down today
    done = refresh.refresh([("adult", adult.as_uri())], folder)
    assert done.fetched[adult.as_uri()].startswith("kept the copy from last time")
    assert Blocklist.open(folder / "lists.bin").match("one.example") == "adult"


def test_a_binary_or_huge_download_is_refused_and_nothing_is_compiled(tmp_path, monkeypatch):
    binary = tmp_path / "list.bin"
    binary.write_bytes(b"\x00\x01\x02" * 100)
    folder = tmp_path / "shield"
    done = refresh.refresh([("adult", binary.as_uri())], folder)
    assert "not a text list" in done.fetched[binary.as_uri()]
    assert done.report is None and not (folder / "lists.bin").exists()
    monkeypatch.setattr(refresh, "MAX_BYTES", 10)
    text = tmp_path / "big.txt"
    text.write_text("one.example\ntwo.example\n", encoding="utf-8")
    done = refresh.refresh([("adult", text.as_uri())], folder)
    assert "larger than" in done.fetched[text.as_uri()]
    assert not list((folder / "sources").glob(".download-*"))  # no half-written file left


def test_the_worker_refreshes_the_lists_only_when_they_are_due(tmp_path, settings, monkeypatch):
    import os
    import time

    from waypost.shield import tasks

    monkeypatch.setenv("WAYPOST_DATA_DIR", str(tmp_path))
    listed = tmp_path / "adult.txt"
    listed.write_text("one.example\n", encoding="utf-8")
    settings.SHIELD_LISTS = []
    assert tasks.refresh_lists_if_due() is None  # nothing configured
    settings.SHIELD_LISTS = [f"adult={listed.as_uri()}"]
    settings.SHIELD_REFRESH_HOURS = 24
    assert tasks.refresh_lists_if_due()["compiled"]["domains"] == 1
    assert tasks.refresh_lists_if_due() is None  # fresh: not again
    compiled = tmp_path / "shield" / "lists.bin"
    day_ago = time.time() - 25 * 3600
    os.utime(compiled, (day_ago, day_ago))
    listed.write_text("one.example\ntwo.example\n", encoding="utf-8")
    assert tasks.refresh_lists_if_due()["compiled"]["domains"] == 2
    # a file of an older format (from before an upgrade) is compiled again at once
    data = bytearray(compiled.read_bytes())
    data[8:10] = (1).to_bytes(2, "little")
    compiled.write_bytes(bytes(data))
    listed.write_text("one.example\ntwo.example\nthree.example\n", encoding="utf-8")
    assert tasks.refresh_lists_if_due()["compiled"]["domains"] == 3
    assert tasks.refresh_lists_if_due() is None
