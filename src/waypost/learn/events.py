"""What reading writes on a client's timeline.

The module's slug is stored, encrypted (it says what the client is working on); its
title is looked up when the timeline is read.
"""

from __future__ import annotations

from collections.abc import Mapping
from typing import Any

from django.utils.translation import gettext_lazy as _

from waypost.core import events
from waypost.core.events import EventKind

MODULE_READ = "learn.module_read"
MODULE_ASSIGNED = "learn.module_assigned"
MODULE_WITHDRAWN = "learn.module_withdrawn"
# Which module it was says what the client is working on: stored encrypted.
PRIVATE = ("module",)


def _title(data: Mapping[str, Any]) -> dict[str, Any]:
    from waypost.learn.content import library

    module = library().get(data["module"])
    # A module a clinic has since removed keeps its slug.
    return {"title": module.title if module else data["module"]}


def register_all() -> None:
    for kind in (
        EventKind(
            MODULE_READ,
            label=_("Reading done"),
            text=_("Read “%(title)s”"),
            params=_title,
            private=PRIVATE,
        ),
        EventKind(
            MODULE_ASSIGNED,
            label=_("Reading assigned"),
            text=_("Reading assigned: “%(title)s”"),
            params=_title,
            audit="reading assigned",
            private=PRIVATE,
        ),
        EventKind(
            MODULE_WITHDRAWN,
            label=_("Reading withdrawn"),
            text=_("Reading no longer assigned: “%(title)s”"),
            params=_title,
            audit="reading withdrawn",
            private=PRIVATE,
        ),
    ):
        events.register(kind)
