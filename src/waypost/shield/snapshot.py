"""The devices and their policies as the resolver sees them: a JSON file, no database.

The web app writes it (``sync.write_snapshot``) and the resolver reads it: at start, and
again whenever the web app has a newer one. If the database is down the resolver goes on
with the last file it read, so a phone's lookups never depend on the web app.

Format (version 1)::

    {"version": 1, "written_at": 1733300000.0,
     "devices": {"17": {"token": "…", "address": "203.0.113.5" | null,
                        "categories": ["adult"], "safesearch": "strict",
                        "allow": ["example.org"], "block": [],
                        "lockdown_until": 1733303600.0 | null,
                        "essentials": ["waypost.example.org"]}}}
"""

from __future__ import annotations

import json
import os
import tempfile
import time
from dataclasses import dataclass, replace
from pathlib import Path
from typing import Any

from waypost.shield import rules
from waypost.shield.server import Identities

VERSION = 1


class SnapshotError(ValueError):
    """A snapshot file that cannot be read or is not one."""


@dataclass(frozen=True)
class DeviceEntry:
    policy: rules.Policy
    lockdown_until: float | None


def write(path: Path, snapshot: dict[str, Any]) -> None:
    """Write ``snapshot`` atomically: a reader sees the old file or the new, never half."""
    path.parent.mkdir(parents=True, exist_ok=True)
    handle, temporary = tempfile.mkstemp(dir=path.parent, prefix=".snapshot-")
    try:
        with os.fdopen(handle, "w", encoding="utf-8") as out:
            json.dump(snapshot, out)
        os.replace(temporary, path)
    except BaseException:
        Path(temporary).unlink(missing_ok=True)
        raise


def read(path: Path) -> dict[str, Any]:
    try:
        data = json.loads(path.read_text(encoding="utf-8"))
    except (OSError, ValueError) as exc:
        raise SnapshotError(f"cannot read the Shield snapshot {path}: {exc}") from exc
    if not isinstance(data, dict) or data.get("version") != VERSION:
        raise SnapshotError(f"{path} is not a version {VERSION} Shield snapshot")
    if not isinstance(data.get("devices"), dict):
        raise SnapshotError(f"{path} has no devices")
    return data


def _policy(entry: dict[str, Any]) -> DeviceEntry:
    try:
        safesearch = rules.SafeSearch(entry.get("safesearch", "strict"))
    except ValueError:
        safesearch = rules.SafeSearch.STRICT
    policy = rules.Policy(
        categories=frozenset(entry.get("categories") or ("adult",)),
        allow=frozenset(entry.get("allow") or ()),
        block=frozenset(entry.get("block") or ()),
        safesearch=safesearch,
        essentials=frozenset(entry.get("essentials") or ()),
    )
    until = entry.get("lockdown_until")
    return DeviceEntry(policy, float(until) if until else None)


class SnapshotIdentities(Identities):
    """Devices by token and address, and each device's policy, from a snapshot."""

    standalone = False

    def __init__(self, snapshot: dict[str, Any] | None = None) -> None:
        self._tokens: dict[str, str] = {}
        self._addresses: dict[str, str] = {}
        self._devices: dict[str, DeviceEntry] = {}
        self.written_at = 0.0
        if snapshot is not None:
            self.replace(snapshot)

    def replace(self, snapshot: dict[str, Any]) -> None:
        """Switch to ``snapshot`` at once (between two queries: one assignment each)."""
        tokens, addresses, devices = {}, {}, {}
        for device, entry in snapshot["devices"].items():
            tokens[str(entry["token"]).lower()] = device
            if entry.get("address"):
                addresses[str(entry["address"])] = device
            devices[device] = _policy(entry)
        self._tokens, self._addresses, self._devices = tokens, addresses, devices
        self.written_at = float(snapshot.get("written_at") or 0.0)

    def __len__(self) -> int:
        return len(self._devices)

    def by_token(self, token: str) -> str | None:
        return self._tokens.get(token.lower())

    def by_address(self, address: str) -> str | None:
        return self._addresses.get(address)

    def policy_for(self, device: str) -> rules.Policy:
        """The device's policy now (in lockdown until its time is up)."""
        entry = self._devices.get(device)
        if entry is None:
            return rules.Policy()
        if entry.lockdown_until is not None and entry.lockdown_until > time.time():
            return replace(entry.policy, lockdown=True)
        return entry.policy
