"""Next steps: what is waiting for the client, so Today can lead with the one that matters.

Each app registers, from its ``AppConfig.ready()``, a function that gets the
request and the client's enrollment and returns the steps it has for them
(none when nothing is waiting). Today shows the most urgent step as a large
card and the rest as a short list; the page never names the apps.

A step is urgent by its ``priority`` (lower first; the constants below are the
scale every app shares) and, within one priority, by ``due`` (sooner first,
undated last). Steps of equal rank keep the order of registration.

Like a panel's context function, a steps function checks access itself
(``access.policy.can``) and must not write: a step whose button has to create
something (a questionnaire that fell due since the last sweep) carries ``post``
fields and the page makes its button a POST form.
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

# The shared scale, most urgent first.
NOW = 0  # belongs to today: today's check-in (Stage 2 on)
CLOSING = 10  # closes within two days, or already begun: a questionnaire
ASKED = 20  # the clinician asked for it: a questionnaire, reading, a motivation tool
CONTINUE = 40  # the client's own unfinished work: the history, the story
START = 50  # the client's own work not begun yet
WHENEVER = 70  # a gentle suggestion: a reading everyone starts with, a stale readiness number
SOMEDAY = 90  # worth doing once, never pressing: a safety plan


@dataclass(frozen=True)
class NextStep:
    key: str  # unique on the page, e.g. "assessments.form.12"
    priority: int
    title: StrOrPromise  # short: "Mood questionnaire", "Your history"
    description: StrOrPromise  # one plain sentence or a few facts
    url: str
    verb: StrOrPromise  # the button: "Start", "Continue", "Read"
    due: datetime | None = None
    # Hidden fields the button POSTs to ``url``; empty: the button is a link.
    post: tuple[tuple[str, str], ...] = ()


StepsFunction = Callable[["HttpRequest", "Enrollment"], Iterable[NextStep]]

_sources: dict[str, StepsFunction] = {}


def register(key: str, steps: StepsFunction) -> StepsFunction:
    """Add (or, with the same key, replace) a source of next steps."""
    _sources[key] = steps
    return steps


def unregister(key: str) -> None:
    _sources.pop(key, None)


def _rank(step: NextStep) -> tuple[int, bool, float]:
    return (step.priority, step.due is None, step.due.timestamp() if step.due else 0.0)


def next_steps(request: HttpRequest, enrollment: Enrollment) -> list[NextStep]:
    """Every registered step for this client, most urgent first."""
    steps: list[NextStep] = []
    for source in _sources.values():
        steps.extend(source(request, enrollment))
    return sorted(steps, key=_rank)
