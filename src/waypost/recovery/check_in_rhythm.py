"""How often a client is expected to check in: every day, unless another app says less.

Stage 4's maintenance plan agrees a lighter rhythm with the clinician ("a few times a
week", "once a week"). That plan lives in ``flourish``, which sits above this app, so
recovery never asks it by name: flourish registers a *provider* from its
``AppConfig.ready()``, a function that gets the enrollment and answers a rhythm or
None. The first provider with an answer wins; without one the rhythm is daily.

A provider may also give an *expression*: the same answer as SQL over an enrollment
row (or NULL), so that a list of clients (the caseload) reads every client's rhythm in
the query it makes anyway (``expression()``). A provider without one counts as daily
there.

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
from typing import TYPE_CHECKING, Any

from django.db.models import CharField, Value
from django.db.models.functions import Coalesce

if TYPE_CHECKING:
    from django.db.models import Expression

    from waypost.program.models import Enrollment

DAILY = "daily"
SEVERAL = "several"
WEEKLY = "weekly"
#: The days from one check-in to the next expected one.
GAP_DAYS = {DAILY: 1, SEVERAL: 2, WEEKLY: 7}

#: the number of days a check-in may be late before the caseload calls it quiet: three
#: days without one on the daily rhythm, four on "a few times a week", nine on weekly
QUIET_AFTER_DAYS = 2

Provider = Callable[["Enrollment"], "str | None"]
# An SQL expression over an enrollment row (in ``Enrollment.objects.annotate``).
ProviderExpression = Callable[[], "Expression | Any"]

_providers: dict[str, Provider] = {}
_expressions: dict[str, ProviderExpression] = {}


def register(
    key: str, provider: Provider, *, expression: ProviderExpression | None = None
) -> Provider:
    """Add (or, with the same key, replace) a provider of check-in rhythms."""
    _providers[key] = provider
    if expression is not None:
        _expressions[key] = expression
    else:
        _expressions.pop(key, None)
    return provider


def unregister(key: str) -> None:
    _providers.pop(key, None)
    _expressions.pop(key, None)


def expression() -> Coalesce | Value:
    """Each enrollment's rhythm as SQL, for lists: the first provider's answer, else daily.

    (A provider's answer that is not a known rhythm is read as daily by ``quiet_days``.)
    """
    found = [make() for make in _expressions.values()]
    if not found:
        return Value(DAILY, output_field=CharField())
    return Coalesce(*found, Value(DAILY), output_field=CharField())


def quiet_days(rhythm: str | None) -> int:
    """Days since the last check-in after which the caseload marks a client quiet."""
    return GAP_DAYS.get(rhythm or DAILY, GAP_DAYS[DAILY]) + QUIET_AFTER_DAYS


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
