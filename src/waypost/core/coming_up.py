"""Coming up: dated things ahead of the client (the next session with their clinician).

Apps register, from ``AppConfig.ready()``, a function that gets the request and
the client's enrollment and returns what is ahead: only future, still planned
things. Today shows the soonest few with the day and time in the client's own
time zone; the page never names the apps that fill it.

As with panels and next steps, the function checks access itself and never writes.
"""

from __future__ import annotations

from collections.abc import Callable, Iterable
from dataclasses import dataclass
from typing import TYPE_CHECKING

if TYPE_CHECKING:
    from datetime import datetime

    from django.http import HttpRequest
    from django_stubs_ext import StrOrPromise

    from waypost.program.models import Enrollment


@dataclass(frozen=True)
class ComingUp:
    key: str  # unique on the page, e.g. "assessments.session.4"
    starts_at: datetime  # aware; the page shows it in the client's time zone
    title: StrOrPromise  # "Your session with Cleo Clinician"
    url: str = ""


UpcomingFunction = Callable[["HttpRequest", "Enrollment"], Iterable[ComingUp]]

_sources: dict[str, UpcomingFunction] = {}


def register(key: str, upcoming: UpcomingFunction) -> UpcomingFunction:
    """Add (or, with the same key, replace) a source of things coming up."""
    _sources[key] = upcoming
    return upcoming


def unregister(key: str) -> None:
    _sources.pop(key, None)


def coming_up(request: HttpRequest, enrollment: Enrollment, limit: int = 3) -> list[ComingUp]:
    """The soonest ``limit`` things ahead of this client, soonest first."""
    ahead: list[ComingUp] = []
    for source in _sources.values():
        ahead.extend(source(request, enrollment))
    return sorted(ahead, key=lambda item: item.starts_at)[:limit]
