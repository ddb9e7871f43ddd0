"""Consent scopes: the things a client may choose to share with an ally.

A registry other apps extend as their data arrives (streak, check-in
summary, lapse alerts, Shield alerts, meeting attendance). Each scope names
what the ally would see, in words the client can judge before agreeing.
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any

from django.utils.translation import gettext_lazy as _


@dataclass(frozen=True)
class ConsentScope:
    key: str
    label: Any
    explanation: Any


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


JOURNEY = "journey"
CARE_TEAM = "care_team"

register(
    ConsentScope(
        JOURNEY,
        _("Journey"),
        _("Which of the four stages you are in and how long you have been in it."),
    )
)
register(
    ConsentScope(
        CARE_TEAM,
        _("Care team"),
        _("The name of your clinician and how to reach the clinic."),
    )
)
