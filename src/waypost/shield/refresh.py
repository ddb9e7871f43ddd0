"""Blocklists from URLs: downloaded on a schedule, compiled into the file Shield maps.

The admin names the lists (``WAYPOST_SHIELD_LISTS="adult=https://…,bypass=https://…"``,
docs/shield.md). ``refresh`` downloads each into ``<data dir>/shield/sources/`` and compiles
them all into ``<data dir>/shield/lists.bin`` (written whole, then swapped in); a running
Shield notices the new file within a minute and switches to it between two queries.

A download that fails keeps the copy from last time, so one unreachable list never empties
the filter; a list bigger than ``MAX_BYTES`` or not text is refused the same way.
"""

from __future__ import annotations

import logging
import os
import tempfile
import urllib.request
from collections.abc import Callable, Sequence
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any
from urllib.error import URLError

from waypost.shield.blocklist import CATEGORIES, CompileReport, compile_lists

log = logging.getLogger("waypost.shield")

MAX_BYTES = 200 * 1024 * 1024
TIMEOUT = 60


class RefreshError(ValueError):
    """A list setting that cannot be used (unknown category, not a URL)."""


def parse_sources(entries: Sequence[str]) -> list[tuple[str, str]]:
    """``["adult=https://…", …]`` → ``[("adult", "https://…"), …]``."""
    sources = []
    for entry in entries:
        category, sep, url = entry.partition("=")
        category, url = category.strip(), url.strip()
        if not sep or category not in CATEGORIES:
            raise RefreshError(
                f"{entry!r}: write CATEGORY=URL, with a category of {', '.join(CATEGORIES)}"
            )
        if not url.startswith(("https://", "http://", "file://")):
            raise RefreshError(f"{entry!r}: the list must be an http(s):// or file:// URL")
        sources.append((category, url))
    return sources


def download(url: str, to: Path) -> None:
    """Fetch ``url`` into ``to`` (whole, or not at all), at most ``MAX_BYTES``."""
    request = urllib.request.Request(url, headers={"User-Agent": "Waypost-Shield"})  # noqa: S310
    handle, temporary = tempfile.mkstemp(dir=to.parent, prefix=".download-")
    try:
        with (
            urllib.request.urlopen(request, timeout=TIMEOUT) as response,  # noqa: S310
            os.fdopen(handle, "wb") as out,
        ):
            size = 0
            while chunk := response.read(1 << 16):
                size += len(chunk)
                if size > MAX_BYTES:
                    raise RefreshError(f"{url} is larger than {MAX_BYTES} bytes")
                if size == len(chunk) and b"\0" in chunk[:4096]:
                    raise RefreshError(f"{url} is not a text list")
                out.write(chunk)
        os.replace(temporary, to)
    finally:
        Path(temporary).unlink(missing_ok=True)


@dataclass
class Refreshed:
    """What a refresh did: the compile report and, per list, whether it was fetched."""

    report: CompileReport | None
    fetched: dict[str, str] = field(default_factory=dict)  # url -> "ok" or why not

    def as_json(self) -> dict[str, Any]:
        return {
            "fetched": self.fetched,
            "compiled": self.report.as_json() if self.report is not None else None,
        }


def refresh(
    sources: Sequence[tuple[str, str]],
    folder: Path,
    *,
    fetch: Callable[[str, Path], None] = download,
) -> Refreshed:
    """Download each list (keeping last time's copy when that fails) and compile them all."""
    copies = folder / "sources"
    copies.mkdir(parents=True, exist_ok=True)
    result = Refreshed(report=None)
    usable = []
    for number, (category, url) in enumerate(sources):
        copy = copies / f"{number:02d}-{category}.txt"
        try:
            fetch(url, copy)
            result.fetched[url] = "ok"
        except (OSError, URLError, RefreshError, ValueError) as exc:
            result.fetched[url] = (
                f"kept the copy from last time: {exc}" if copy.exists() else str(exc)
            )
            log.warning("Shield list %s not fetched: %s", url, exc)
        if copy.exists():
            usable.append((category, copy))
    if usable:
        result.report = compile_lists(usable, folder / "lists.bin")
    return result
