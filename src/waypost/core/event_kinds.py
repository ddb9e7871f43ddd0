"""The kinds of event a client's timeline can hold, and how each is put into words.

Apps declare their kinds (:func:`register`, from ``AppConfig.ready()``); the
timeline makes each sentence when it is read, in the reader's language, from
the kind and the event's parameters. This module imports no model, so the
timeline model can describe its rows without an import cycle; write events
through ``core.events.record``.

A timeline is filtered by *category* ("Check-ins", "Session notes"): a kind names
its own (``category``), or a registered :class:`Category` claims it by the start of
its key, or it falls under the first part of its key, so kinds declared before
categories existed are filtered too.
"""

from __future__ import annotations

from collections.abc import Callable, Iterable, Mapping
from dataclasses import dataclass
from typing import TYPE_CHECKING, Any, TypeAlias

if TYPE_CHECKING:
    from django_stubs_ext import StrOrPromise

# Turns an event's stored data into the words its sentence needs, in the reader's
# language (a stage number into its name, scope keys into their labels …).
Params = Callable[[Mapping[str, Any]], Mapping[str, Any]]
# A sentence (lazily translated), or a function of the event's data that picks one.
Text: TypeAlias = "StrOrPromise | Callable[[Mapping[str, Any]], StrOrPromise]"


@dataclass(frozen=True)
class EventKind:
    """A kind of thing that happens in a client's program.

    ``key`` is a dotted name owned by the app (``program.stage_changed``).
    ``label`` names the kind (for filters and lists). ``text`` is the sentence
    the timeline shows, with ``%(name)s`` placeholders filled from the event's
    data through ``params`` (or a function of the data that picks the sentence,
    when one kind has several). ``in_session`` is the sentence used instead when the
    data says it happened with the clinician in session. ``audit`` is the
    audit-trail subject written when someone other than the client does it
    (empty: the event is not audited, e.g. it is the client's own step).
    ``private`` names the parameters that say what the client's reading or
    answers are about (a module's key): they are stored encrypted, apart from
    the rest of the data, and joined back when the sentence is made.
    ``category`` is the key of the group a timeline filters it under
    (:class:`Category`); empty, a category that claims the kind decides, else the
    first part of the key (``safety`` for ``safety.plan_saved``).
    """

    key: str
    label: StrOrPromise
    text: Text
    params: Params | None = None
    in_session: StrOrPromise | None = None
    audit: str = ""
    private: tuple[str, ...] = ()
    category: str = ""

    def describe(self, data: Mapping[str, Any], fallback: str | None = None) -> str:
        """The sentence for one event, in the active language.

        Data from an older version of the kind, missing a parameter, gives the
        ``fallback`` text it was stored with, or else the kind's label.
        """
        try:
            if self.in_session and data.get("in_session"):
                template = self.in_session
            elif callable(self.text):
                template = self.text(data)
            else:
                template = self.text
            values = dict(data)
            if self.params is not None:
                values.update(self.params(data))
            return str(template) % values if "%(" in str(template) else str(template)
        except (KeyError, TypeError, ValueError, LookupError):
            return str(fallback or self.label)


_kinds: dict[str, EventKind] = {}


def register(kind: EventKind) -> EventKind:
    """Declare a kind of event (from an app's ``AppConfig.ready()``)."""
    if kind.key in _kinds and _kinds[kind.key] != kind:
        raise ValueError(f"event kind {kind.key!r} is already registered differently")
    _kinds[kind.key] = kind
    return kind


def get(key: str) -> EventKind:
    """The registered kind; ``KeyError`` for a kind no app declared."""
    return _kinds[key]


def kinds() -> list[EventKind]:
    """Every declared kind, by key."""
    return [_kinds[key] for key in sorted(_kinds)]


def describe(key: str, data: Mapping[str, Any], private: Mapping[str, Any]) -> str:
    """The timeline sentence of a stored event, in the reader's language.

    ``data`` and ``private`` are the event's parameters in clear and encrypted; an
    event stored before its kind took its present form may carry its old sentence
    as ``text`` in either.
    """
    values = {**data, **private}
    fallback = values.get("text")
    kind = _kinds.get(key)
    if kind is None:
        # An event whose app is gone: the text it was stored with, if any.
        return str(fallback or key)
    return kind.describe(values, fallback=fallback)


# --- categories: how a timeline is filtered -----------------------------------------


@dataclass(frozen=True)
class Category:
    """A group of kinds a timeline can be filtered by ("Check-ins", "Session notes").

    ``includes`` claims kinds that name no category of their own, by the start of
    their key: a whole key (``"recovery.checked_in"``) or a part of one
    (``"assessments."``, ``"safety.alert_"``). When several categories claim a kind,
    the longest start wins. A kind that names its ``category`` keeps it; a kind that
    nobody claims is filtered under the first part of its key.
    """

    key: str
    label: StrOrPromise
    order: int = 100
    includes: tuple[str, ...] = ()


# Where a category nobody registered goes: after the registered ones.
_UNREGISTERED_ORDER = 1000
_categories: dict[str, Category] = {}


def register_category(category: Category) -> Category:
    """Declare a category (from an app's ``AppConfig.ready()``)."""
    if category.key in _categories and _categories[category.key] != category:
        raise ValueError(f"category {category.key!r} is already registered differently")
    _categories[category.key] = category
    return category


def unregister_category(key: str) -> None:
    """Remove a category (tests that register their own)."""
    _categories.pop(key, None)


def category_of(kind: EventKind) -> str:
    """The key of the category ``kind`` is filtered under."""
    if kind.category:
        return kind.category
    best, length = "", 0
    for category in _categories.values():
        for start in category.includes:
            if kind.key.startswith(start) and len(start) > length:
                best, length = category.key, len(start)
    return best or kind.key.partition(".")[0]


def category(key: str) -> Category:
    """The registered category, or one made from its key (``group_therapy``: "Group therapy")."""
    found = _categories.get(key)
    if found is not None:
        return found
    return Category(key, key.replace("_", " ").capitalize(), order=_UNREGISTERED_ORDER)


def categories() -> list[Category]:
    """The categories of the declared kinds (each once), in order, then by label."""
    keys = {category_of(kind) for kind in _kinds.values()}
    return sorted((category(key) for key in keys), key=lambda c: (c.order, str(c.label)))


def kinds_in(category_keys: Iterable[str]) -> list[str]:
    """The keys of the declared kinds filtered under any of these categories, sorted."""
    wanted = set(category_keys)
    return sorted(key for key, kind in _kinds.items() if category_of(kind) in wanted)
