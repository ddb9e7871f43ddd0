"""The life domains a Stage 4 goal belongs to: content data in ``content/domains.json``.

The file is versioned with the code and checked when Waypost starts
(``FlourishConfig.ready``): a broken file stops start-up with a message naming what
is wrong, because a goal whose domain vanished would lose its heading. A domain's
``key`` is stored on each goal, so a key, once used, stays; names and descriptions
may be reworded freely.

No Django import here, so the file can be checked on its own.
"""

from __future__ import annotations

import json
import re
from dataclasses import dataclass
from functools import cache
from pathlib import Path
from typing import Any

DOMAINS_FILE = Path(__file__).parent / "content" / "domains.json"
KEY = re.compile(r"^[a-z][a-z0-9_]{1,39}$")
SUPPORTED_VERSIONS = (1,)


class DomainFileError(Exception):
    """The domains file cannot be used; the message says where and what."""


@dataclass(frozen=True)
class Domain:
    """One area of life a goal can belong to."""

    key: str
    name: str
    description: str
    examples: tuple[str, ...]


def _text(entry: dict[str, Any], name: str, where: str, *, limit: int) -> str:
    value = entry.get(name)
    if not isinstance(value, str) or not value.strip():
        raise DomainFileError(f"{where}: {name!r} must be some text")
    if len(value) > limit:
        raise DomainFileError(f"{where}: {name!r} must be at most {limit} characters")
    return value.strip()


def parse(raw: Any) -> tuple[Domain, ...]:
    """The domains a loaded file declares, in its order; ``DomainFileError`` if it is wrong."""
    if not isinstance(raw, dict):
        raise DomainFileError("the file must hold one JSON object")
    if raw.get("version") not in SUPPORTED_VERSIONS:
        raise DomainFileError(f"'version' must be one of {SUPPORTED_VERSIONS}")
    entries = raw.get("domains")
    if not isinstance(entries, list) or not entries:
        raise DomainFileError("'domains' must be a list of at least one domain")
    found: list[Domain] = []
    seen: set[str] = set()
    for n, entry in enumerate(entries, start=1):
        where = f"domain {n}"
        if not isinstance(entry, dict):
            raise DomainFileError(f"{where}: must be an object")
        key = entry.get("key")
        if not isinstance(key, str) or not KEY.match(key):
            raise DomainFileError(f"{where}: 'key' must be 2-40 lower-case letters, digits or _")
        if key in seen:
            raise DomainFileError(f"{where}: the key {key!r} is used twice")
        seen.add(key)
        examples = entry.get("examples", [])
        if not isinstance(examples, list) or not all(
            isinstance(e, str) and e.strip() for e in examples
        ):
            raise DomainFileError(f"{where}: 'examples' must be a list of texts")
        found.append(
            Domain(
                key=key,
                name=_text(entry, "name", where, limit=60),
                description=_text(entry, "description", where, limit=300),
                examples=tuple(e.strip() for e in examples),
            )
        )
    return tuple(found)


def load(path: Path = DOMAINS_FILE) -> tuple[Domain, ...]:
    """Read and check a domains file."""
    try:
        raw = json.loads(path.read_text(encoding="utf-8"))
    except (OSError, ValueError) as exc:
        raise DomainFileError(f"{path.name}: cannot be read as JSON ({exc})") from None
    try:
        return parse(raw)
    except DomainFileError as exc:
        raise DomainFileError(f"{path.name}: {exc}") from None


@cache
def domains() -> tuple[Domain, ...]:
    """The built-in domains, read once."""
    return load()


def by_key() -> dict[str, Domain]:
    return {d.key: d for d in domains()}


def get(key: str) -> Domain | None:
    """The domain with this key, or None (a key no longer in the file)."""
    return by_key().get(key)
