"""Consent scopes: the things a client may choose to share with an ally.

A registry other apps extend as their data arrives (streak, check-in
summary, lapse alerts, Shield alerts, meeting attendance). Each scope names
what the ally would see, in words the client can judge before agreeing, and
how the ally's page shows it: a ``template`` rendered with whatever
``context(link)`` returns. The ally page renders only the scopes a link
allows, so a new scope brings its own section without touching the view::

    register(ConsentScope(
        "streak", _("Streak"), _("Your current streak and total days."),
        template="recovery/ally/streak.html", context=streak_for_ally,
    ))

``context`` receives the open :class:`~waypost.connect.models.AllyLink` and
must return only what the scope promises; the template sees it as ``data``.
"""

from __future__ import annotations

from collections.abc import Callable, Iterable
from dataclasses import dataclass
from typing import TYPE_CHECKING, Any

from django.utils.translation import gettext_lazy as _

if TYPE_CHECKING:
    from django_stubs_ext import StrOrPromise

    from waypost.connect.models import AllyLink

# What an ally's section template gets as ``data``.
SectionContext = dict[str, Any]


def _no_context(link: AllyLink) -> SectionContext:
    return {}


@dataclass(frozen=True)
class ConsentScope:
    """One thing a client may share, and how an ally's page shows it."""

    key: str
    label: StrOrPromise
    explanation: StrOrPromise
    # The ally-facing section: a template and the data it needs from the link.
    template: str = ""
    context: Callable[[AllyLink], SectionContext] = _no_context


_registry: dict[str, ConsentScope] = {}


def register(scope: ConsentScope) -> None:
    if scope.key in _registry and _registry[scope.key] is not scope:
        raise ValueError(f"consent scope {scope.key!r} is already registered")
    _registry[scope.key] = scope


def all_scopes() -> list[ConsentScope]:
    return list(_registry.values())


def get(key: str) -> ConsentScope | None:
    return _registry.get(key)


def clean(keys: list[str]) -> list[str]:
    """Known scope keys from ``keys``, in registry order; unknown ones raise ValueError."""
    unknown = [k for k in keys if k not in _registry]
    if unknown:
        raise ValueError(f"unknown consent scope: {', '.join(unknown)}")
    return [k for k in _registry if k in keys]


def known(keys: Iterable[str]) -> list[ConsentScope]:
    """The registered scopes among ``keys``, in registry order; unknown keys are skipped.

    Stored consent may name a scope whose app was since removed; it simply
    shows nothing rather than failing.
    """
    wanted = set(keys)
    return [scope for key, scope in _registry.items() if key in wanted]


def labels(keys: Iterable[str]) -> list[str]:
    """The labels of the registered scopes among ``keys``, in registry order."""
    return [str(scope.label) for scope in known(keys)]


# --- the scopes the program itself offers ----------------------------------------


def journey_context(link: AllyLink) -> SectionContext:
    """Where the client is on the four-stage map and since when; no reasons, no history."""
    from waypost.program.models import Stage
    from waypost.program.services import journey

    enrollment = link.enrollment
    return {
        "steps": journey(enrollment),
        "stage": enrollment.stage,
        "stage_label": Stage(enrollment.stage).label,
        "stage_count": len(Stage),
        "since": enrollment.stage_entered_at,
        # Under a day: "has just moved into it", never "has been there for 0 minutes".
        "just_started": enrollment.days_in_stage < 1,
    }


def care_team_context(link: AllyLink) -> SectionContext:
    """The primary clinician's name, the clinic's contact details and its crisis lines."""
    enrollment = link.enrollment
    clinician = enrollment.primary_clinician
    clinic = enrollment.clinic
    return {
        "clinician_name": clinician.user.name,
        "clinician_title": clinician.title,
        "clinic_name": clinic.name,
        "clinic_phone": clinic.contact_phone,
        "clinic_email": clinic.contact_email,
        "clinic_address": clinic.address,
        "crisis_lines": list(clinic.crisis_lines.all()),
    }


JOURNEY = "journey"
CARE_TEAM = "care_team"

register(
    ConsentScope(
        JOURNEY,
        _("Journey"),
        _("Which of the four stages you are in and how long you have been in it."),
        template="connect/sections/journey.html",
        context=journey_context,
    )
)
register(
    ConsentScope(
        CARE_TEAM,
        _("Care team"),
        _("Your clinician's name, how to reach the clinic, and its crisis lines."),
        template="connect/sections/care_team.html",
        context=care_team_context,
    )
)
