"""Doors on "Get help now": the kinds of hard moment other apps know how to help with.

"Get help now" (the safety app's ``help`` page) always shows the crisis lines and,
for a client, their safety plan: that is its own door, "I'm not safe". A later app
that knows another kind of hard moment registers a door here from its
``AppConfig.ready()`` (Stage 2: "I'm having an urge", a page of its own), and the
help page shows its doors at the top, before the crisis lines, without knowing the
app. A door's ``url`` function gets the request and returns where the door leads,
or None when the door is not for this person (checked with ``access.policy``).
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass
from typing import TYPE_CHECKING

if TYPE_CHECKING:
    from django.http import HttpRequest
    from django_stubs_ext import StrOrPromise


@dataclass(frozen=True)
class HelpDoor:
    key: str
    label: StrOrPromise  # what the person says: "I'm having an urge"
    hint: StrOrPromise  # what they find behind it, in a few words
    url: Callable[[HttpRequest], str | None]
    order: int = 100


@dataclass(frozen=True)
class OpenDoor:
    """A door as one person sees it: where it leads for them."""

    key: str
    label: StrOrPromise
    hint: StrOrPromise
    href: str


_doors: dict[str, HelpDoor] = {}


def register(door: HelpDoor) -> HelpDoor:
    _doors[door.key] = door
    return door


def unregister(key: str) -> None:
    _doors.pop(key, None)


def doors_for(request: HttpRequest) -> list[OpenDoor]:
    """The registered doors this person may open, in order."""
    opened: list[OpenDoor] = []
    for door in sorted(_doors.values(), key=lambda d: (d.order, d.key)):
        href = door.url(request)
        if href:
            opened.append(OpenDoor(door.key, door.label, door.hint, href))
    return opened
