"""How often a client is expected to check in: every day, unless another app says less.

Stage 4's maintenance plan agrees a lighter rhythm with the clinician ("a few times a
week", "once a week"). That plan lives in ``flourish``, which sits above this app, so
recovery never asks it by name: flourish registers a *provider* from its
``AppConfig.ready()``, a function that gets the enrollment and answers a rhythm or
None. The first provider with an answer wins; without one the rhythm is daily.

What each rhythm expects (used by the check-in reminder, ``reminders.py``):

- ``daily``: a check-in every day;
- ``several`` (a few times a week): once two days have passed since the last one, so
  a reminder at most every other day;
- ``weekly``: once seven days have passed since the last one.

A client who never checked in is expected today, whatever the rhythm.
"""

from __future__ import annotations

from collections.abc import Callable
from datetime import date
from typing import TYPE_CHECKING

if TYPE_CHECKING:
    from waypost.program.models import Enrollment

DAILY = "daily"
SEVERAL = "several"
WEEKLY = "weekly"
#: The days from one check-in to the next expected one.
GAP_DAYS = {DAILY: 1, SEVERAL: 2, WEEKLY: 7}

Provider = Callable[["Enrollment"], "str | None"]

_providers: dict[str, Provider] = {}


def register(key: str, provider: Provider) -> Provider:
    """Add (or, with the same key, replace) a provider of check-in rhythms."""
    _providers[key] = provider
    return provider


def unregister(key: str) -> None:
    _providers.pop(key, None)


def rhythm_of(enrollment: Enrollment) -> str:
    """The client's check-in rhythm: the first provider's known answer, else daily."""
    for provider in _providers.values():
        found = provider(enrollment)
        if found in GAP_DAYS:
            return found
    return DAILY


def is_expected(rhythm: str, today: date, latest_check_in: date | None) -> bool:
    """Whether a check-in is expected on ``today``, given the newest day checked in."""
    if latest_check_in is None:
        return True
    return (today - latest_check_in).days >= GAP_DAYS.get(rhythm, 1)
