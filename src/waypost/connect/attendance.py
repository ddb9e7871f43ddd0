"""Attendance sources: the ways a client takes part in groups and meetings.

Peer meetings (a self-reported log) and group therapy (taken by the facilitator)
each register a source from their ``AppConfig.ready()``. The Stage 3 gate, the
clinician's view of a client's connections and the ally's attendance section
read every source through :func:`attended` and :func:`recent`, without knowing
the apps.
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass
from datetime import datetime
from typing import TYPE_CHECKING

if TYPE_CHECKING:
    from django_stubs_ext import StrOrPromise

    from waypost.program.models import Enrollment


@dataclass(frozen=True)
class Attended:
    """One occasion a client took part in: a meeting they went to, a group session."""

    source: str
    at: datetime  # when it started (aware)
    title: str  # the meeting's or group's name; never anything the client wrote
    online: bool


@dataclass(frozen=True)
class AttendanceSource:
    key: str
    label: StrOrPromise  # "Peer meetings", "Group sessions"
    # (enrollment, since or None) -> how many occasions attended since then
    count: Callable[[Enrollment, datetime | None], int]
    # (enrollment, limit) -> the latest occasions, newest first
    latest: Callable[[Enrollment, int], list[Attended]]


_registry: dict[str, AttendanceSource] = {}


def register(source: AttendanceSource) -> None:
    if source.key in _registry and _registry[source.key] is not source:
        raise ValueError(f"attendance source {source.key!r} is already registered")
    _registry[source.key] = source


def unregister(key: str) -> None:
    _registry.pop(key, None)


def sources() -> list[AttendanceSource]:
    return list(_registry.values())


def attended(enrollment: Enrollment, since: datetime | None = None) -> int:
    """How many meetings and group sessions the client attended (since ``since``)."""
    return sum(source.count(enrollment, since) for source in _registry.values())


def recent(enrollment: Enrollment, limit: int = 10) -> list[Attended]:
    """The latest occasions across every source, newest first."""
    merged = [item for source in _registry.values() for item in source.latest(enrollment, limit)]
    return sorted(merged, key=lambda item: item.at, reverse=True)[:limit]
