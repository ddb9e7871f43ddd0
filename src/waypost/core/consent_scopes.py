"""Consent scopes: the things a client may choose to share with an ally.

A registry each app fills for the data it owns (connect: journey and care team;
recovery: streak, weekly check-in summary, lapse alerts; shield: Shield alerts;
meetings and groups: attendance …), from its ``AppConfig.ready()``. It lives in
core so that apps below connect can register their own scopes; connect keeps the
links and consent themselves and re-exports these names (``waypost.connect.scopes``).

Each scope names what the ally would see, in words the client can judge before
agreeing, and how it is shown:

- on the ally's page, a ``template`` rendered with whatever ``context(link)``
  returns (the template sees it as ``data``, and the client's name as ``name``);
- in the API (``GET /api/v1/ally/links/{id}/shared``), whatever ``api(link)``
  returns: plain JSON (dates as ISO 8601 strings). A scope without ``api`` is
  listed there with its key and label only.

::

    register(ConsentScope(
        "streak", _("Streak and milestones"), _("Your current streak and total days."),
        template="recovery/ally/streak.html", context=streak_for_ally,
        api=streak_for_api, order=20,
    ))

``context`` and ``api`` receive the open ``connect.AllyLink`` whose consent allows
the scope (the caller has checked it) and must return only what the scope
promises: never free text the client wrote. ``order`` places the scope in every
list the client and the ally read (smaller first; equal orders keep the order
of registration).
"""

from __future__ import annotations

from collections.abc import Callable, Iterable
from dataclasses import dataclass
from typing import TYPE_CHECKING, Any, TypeAlias

if TYPE_CHECKING:
    from django_stubs_ext import StrOrPromise

    from waypost.connect.models import AllyLink

__all__ = [
    "JSON",
    "ApiView",
    "ConsentScope",
    "SectionContext",
    "all_scopes",
    "clean",
    "get",
    "known",
    "labels",
    "register",
]

# What an ally's section template gets as ``data``.
SectionContext = dict[str, Any]
# What a scope's API view returns: plain JSON values.
JSON: TypeAlias = "str | int | float | bool | None | list[JSON] | dict[str, JSON]"
ApiView: TypeAlias = "Callable[[AllyLink], dict[str, JSON]]"


def _no_context(link: AllyLink) -> SectionContext:
    return {}


@dataclass(frozen=True)
class ConsentScope:
    """One thing a client may share, and how an ally's page and the API show it."""

    key: str
    label: StrOrPromise
    explanation: StrOrPromise
    # The ally-facing section: a template and the data it needs from the link.
    template: str = ""
    context: Callable[[AllyLink], SectionContext] = _no_context
    # The same, as JSON for the API; None: the API lists the scope by key and label only.
    api: ApiView | None = None
    # Where the scope sits in the lists people read (smaller first).
    order: int = 100


_registry: dict[str, ConsentScope] = {}


def register(scope: ConsentScope) -> None:
    """Add a scope (from an app's ``AppConfig.ready()``); a key is registered once."""
    if scope.key in _registry and _registry[scope.key] is not scope:
        raise ValueError(f"consent scope {scope.key!r} is already registered")
    _registry[scope.key] = scope


def _ordered() -> list[ConsentScope]:
    # sorted() is stable: equal orders keep the order of registration.
    return sorted(_registry.values(), key=lambda scope: scope.order)


def all_scopes() -> list[ConsentScope]:
    """Every registered scope, in the order people read them."""
    return _ordered()


def get(key: str) -> ConsentScope | None:
    return _registry.get(key)


def clean(keys: Iterable[str]) -> list[str]:
    """Known scope keys from ``keys``, in reading order; unknown ones raise ValueError."""
    wanted = list(keys)
    unknown = [k for k in wanted if k not in _registry]
    if unknown:
        raise ValueError(f"unknown consent scope: {', '.join(unknown)}")
    return [scope.key for scope in _ordered() if scope.key in wanted]


def known(keys: Iterable[str]) -> list[ConsentScope]:
    """The registered scopes among ``keys``, in reading order; unknown keys are skipped.

    Stored consent may name a scope whose app was since removed; it simply
    shows nothing rather than failing.
    """
    wanted = set(keys)
    return [scope for scope in _ordered() if scope.key in wanted]


def labels(keys: Iterable[str]) -> list[str]:
    """The labels of the registered scopes among ``keys``, in reading order."""
    return [str(scope.label) for scope in known(keys)]
