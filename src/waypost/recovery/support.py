"""Ways to reach a support person from the urge page, added by later stages.

The urge page (``views/help.py``) lists the people of the client's own plan with a
button to call each. Stage 3 (allies, in ``connect``, which sits above this app)
adds a one-tap message to a chosen support person by registering a function here
from its ``AppConfig.ready()``::

    support.register("connect.message_ally", message_actions)

The function gets the request and the client's enrollment and returns the actions
this client may take now (none when they have no ally, or no consent for it). An
action is a link, or a small POST form when ``post`` is true (the page adds the
CSRF token and a fresh ``client_uuid``). Nothing is shown until an app registers:
the page never offers a button that does nothing.
"""

from __future__ import annotations

from collections.abc import Callable, Iterable
from dataclasses import dataclass
from typing import TYPE_CHECKING

if TYPE_CHECKING:
    from django.http import HttpRequest
    from django_stubs_ext import StrOrPromise

    from waypost.program.models import Enrollment


@dataclass(frozen=True)
class SupportAction:
    key: str
    label: StrOrPromise  # "Message Sam: I'm having a hard moment"
    url: str
    post: bool = False
    hint: StrOrPromise = ""


ActionsFunction = Callable[["HttpRequest", "Enrollment"], Iterable[SupportAction]]

_sources: dict[str, ActionsFunction] = {}


def register(key: str, actions: ActionsFunction) -> ActionsFunction:
    _sources[key] = actions
    return actions


def unregister(key: str) -> None:
    _sources.pop(key, None)


def actions_for(request: HttpRequest, enrollment: Enrollment) -> list[SupportAction]:
    """Every registered app's actions for this client, in order of registration."""
    return [action for source in _sources.values() for action in source(request, enrollment)]
