"""The client's sections (Today · Journey · Learn · Connect · Me) and which one a page is in.

``TABS`` is the client's bar: the bottom bar on a phone and the top links on a
wider screen show the same five names, so a page is called the same on both.

Which tab lights up is decided here, once, by the page's URL name
(``request.resolver_match.view_name``, e.g. ``"motivation:readiness"``):

1. a rule registered for that exact name;
2. else the longest registered rule ending in ``*`` that the name starts with
   (``"motivation:*"``: a whole namespace; ``"mfa_*"``: allauth's two-factor pages);
3. else the tab whose own page is in the same URL namespace, when only one tab's
   page is (every page of ``learn`` lights Learn; ``connect`` Connect; ``accounts`` Me);
4. else none (the help page, a clinician's page).

An app whose pages belong under another app's tab says so from its
``AppConfig.ready()``: ``nav.register("motivation:*", "journey")``. Rules here
cover what no app of ours owns: django-allauth's account and two-factor pages.
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import TYPE_CHECKING

from django.utils.translation import gettext_lazy as _

if TYPE_CHECKING:
    from django.urls import ResolverMatch
    from django_stubs_ext import StrOrPromise


@dataclass(frozen=True)
class Tab:
    key: str
    label: StrOrPromise
    url_name: str  # the tab's own page

    @property
    def namespace(self) -> str:
        return self.url_name.rpartition(":")[0]


TABS: tuple[Tab, ...] = (
    Tab("today", _("Today"), "program:today"),
    Tab("journey", _("Journey"), "program:journey"),
    Tab("learn", _("Learn"), "learn:library"),
    Tab("connect", _("Connect"), "connect:allies"),
    Tab("me", _("Me"), "accounts:account"),
)
TAB_KEYS = frozenset(tab.key for tab in TABS)

_rules: dict[str, str] = {}


def check_pattern(pattern: str) -> None:
    """A page pattern is a view name, or a prefix of one ending in one ``*``: else ValueError."""
    if "*" in pattern.rstrip("*") or pattern.count("*") > 1:
        raise ValueError(f"a page pattern may end in one '*', nowhere else: {pattern!r}")


def matches(pattern: str, view_name: str) -> bool:
    """Whether the page named ``view_name`` is one ``pattern`` names (see check_pattern)."""
    if pattern.endswith("*"):
        return view_name.startswith(pattern[:-1])
    return view_name == pattern


def register(pattern: str, tab: str) -> None:
    """Light ``tab`` on the pages ``pattern`` names: ``"ns:name"``, ``"ns:*"`` or ``"prefix*"``."""
    if tab not in TAB_KEYS:
        raise ValueError(f"unknown tab {tab!r}; known: {', '.join(sorted(TAB_KEYS))}")
    check_pattern(pattern)
    _rules[pattern] = tab


def unregister(pattern: str) -> None:
    _rules.pop(pattern, None)


def tab_for_view(view_name: str) -> str | None:
    """The key of the tab that holds the page named ``view_name``, or None."""
    for tab in TABS:
        if tab.url_name == view_name:
            return tab.key
    if view_name in _rules:
        return _rules[view_name]
    prefixes = [p for p in _rules if p.endswith("*") and matches(p, view_name)]
    if prefixes:
        return _rules[max(prefixes, key=len)]
    namespace = view_name.rpartition(":")[0]
    owners = [tab for tab in TABS if namespace and tab.namespace == namespace]
    return owners[0].key if len(owners) == 1 else None


def tab_for(match: ResolverMatch | None) -> str | None:
    """The tab that holds the page a request resolved to (None for an unresolved one)."""
    if match is None or not match.url_name:
        return None
    return tab_for_view(match.view_name)


# --- the links on Journey -------------------------------------------------------------------
#
# Journey lists the client's own work in the program ("Your work in the program"). Each app
# adds its pages from ``AppConfig.ready()`` with :func:`add_journey_link`; ``from_stage``
# keeps a later stage's tools off the list until the client is there.


@dataclass(frozen=True)
class JourneyLink:
    key: str
    label: StrOrPromise
    url_name: str
    order: int = 100
    from_stage: int = 1


_journey_links: dict[str, JourneyLink] = {}


def add_journey_link(link: JourneyLink) -> JourneyLink:
    _journey_links[link.key] = link
    return link


def journey_links(stage: int) -> list[JourneyLink]:
    """The links for a client in ``stage``, in order."""
    found = [link for link in _journey_links.values() if link.from_stage <= stage]
    return sorted(found, key=lambda link: (link.order, link.key))


# django-allauth's pages have no app of ours to register them: they are all "Me".
register("account_*", "me")
register("mfa_*", "me")
