"""Calendar sources: what goes into a person's private iCalendar feed.

Each part of Stage 3 that has dates registers a source from its
``AppConfig.ready()`` (group therapy: the sessions of a client's groups and of a
clinician's; meetings: a client's favourite meetings). The feed view (group
therapy's ``calendar`` module) asks every source for the events of the person
whose token it is, at the moment of the request, so a withdrawn consent or a
removed favourite is gone from the next fetch.

A source decides itself what the viewer may see: it is given the person, and
for an ally it must check the client's consent (``AllyLink.allows``) on every
call. It returns ``icalendar.Event`` components, each with a stable ``UID``.
"""

from __future__ import annotations

from collections.abc import Callable, Iterable
from dataclasses import dataclass
from datetime import datetime
from typing import TYPE_CHECKING

if TYPE_CHECKING:
    from django.contrib.auth.models import _User as User
    from django_stubs_ext import StrOrPromise
    from icalendar import Event


@dataclass(frozen=True)
class CalendarSource:
    """One kind of dated thing a person's feed may carry."""

    key: str
    label: StrOrPromise
    # (viewer, now) -> the events this viewer may see now.
    events: Callable[[User, datetime], Iterable[Event]]


_registry: dict[str, CalendarSource] = {}


def register(source: CalendarSource) -> None:
    if source.key in _registry and _registry[source.key] is not source:
        raise ValueError(f"calendar source {source.key!r} is already registered")
    _registry[source.key] = source


def sources() -> list[CalendarSource]:
    return list(_registry.values())
