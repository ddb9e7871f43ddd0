"""The kinds of alert allies can get: which timeline event tells which allies.

An :class:`AlertKind` joins a kind of timeline event (``core.events``) to a consent
scope (``connect.scopes``): when an event of that kind is recorded for a client, every
ally whose open link allows that scope gets an alert, at the rhythm they chose (or at
once, for an ``urgent`` kind). Apps register their kinds from ``AppConfig.ready()``;
an app above connect (Shield) may do so from its own module::

    registry.register(AlertKind(
        key="shield.silent", scope="shield", event_kind=silence.SILENT,
        label=_("A device goes quiet on Shield"),
        text=_("One of %(name)s’s devices has gone quiet on Shield."),
    ))

Registering a kind makes ``core.events`` hand this app every new event of its
``event_kind`` once the change commits (:func:`waypost.core.events.listen`).

Wording is shown to the ally on their Updates page only, behind sign-in; the e-mail
never carries it (it says only that there is an update). ``text`` gets the client's
name as ``%(name)s`` and the event's data (through ``params``, when the words need
working out).
"""

from __future__ import annotations

from collections.abc import Callable, Iterable, Mapping, Sequence
from dataclasses import dataclass
from typing import TYPE_CHECKING, Any

from waypost.core import events

if TYPE_CHECKING:
    from django_stubs_ext import StrOrPromise

    from waypost.connect.alerts.models import AllyAlert
    from waypost.core.models import TimelineEvent

#: Extra words for each alert on the Updates page (the client's message), by alert id.
Details = Callable[["Sequence[AllyAlert]"], Mapping[int, str]]


@dataclass(frozen=True)
class AlertKind:
    """One kind of news an ally may hear, and how it is put into words for them.

    ``key`` names the kind (dotted, owned by the app). ``scope`` is the consent scope an
    ally's link must allow; ``event_kind`` the timeline kind that raises it. ``label``
    names the kind for the ally's settings ("A lapse is logged"); ``text`` is the
    sentence on the Updates page, ``hint`` one calm line on how to respond. ``urgent``
    kinds go at once, whatever rhythm the ally chose and in their quiet hours too (a
    request for support that waits for a digest is useless). ``details`` adds words to
    each alert (the client's short message), read in one go for a page of alerts.
    ``mail_text`` replaces the e-mail's "There is an update from %(name)s." for this
    kind; like the rest of the e-mail it must name nothing clinical.
    """

    key: str
    scope: str
    event_kind: str
    label: StrOrPromise
    text: StrOrPromise
    params: Callable[[Mapping[str, Any]], Mapping[str, Any]] | None = None
    hint: StrOrPromise = ""
    urgent: bool = False
    details: Details | None = None
    mail_text: StrOrPromise = ""

    def describe(self, *, name: str, data: Mapping[str, Any]) -> str:
        """The sentence for one alert, in the active language; the label if data is missing."""
        values: dict[str, Any] = {**data, "name": name}
        try:
            if self.params is not None:
                values.update(self.params(data))
            return str(self.text) % values
        except (KeyError, TypeError, ValueError, LookupError):
            return str(self.label)


_kinds: dict[str, AlertKind] = {}


def register(kind: AlertKind) -> AlertKind:
    """Declare a kind of alert (from ``AppConfig.ready()``); the same kind twice is fine."""
    if kind.key in _kinds and _kinds[kind.key] != kind:
        raise ValueError(f"alert kind {kind.key!r} is already registered differently")
    _kinds[kind.key] = kind
    events.listen(kind.event_kind, _raise_alerts)
    return kind


def unregister(key: str) -> None:
    """Forget a kind (tests); its event kind is no longer listened to if no other uses it."""
    kind = _kinds.pop(key, None)
    if kind is not None and not for_event(kind.event_kind):
        events.unlisten(kind.event_kind, _raise_alerts)


def get(key: str) -> AlertKind | None:
    """The registered kind, or None for one whose app is gone."""
    return _kinds.get(key)


def kinds() -> list[AlertKind]:
    """Every registered kind, in the order they were registered."""
    return list(_kinds.values())


def for_event(event_kind: str) -> list[AlertKind]:
    """The kinds an event of ``event_kind`` raises."""
    return [kind for kind in _kinds.values() if kind.event_kind == event_kind]


def for_scopes(scopes: Iterable[str]) -> list[AlertKind]:
    """The kinds an ally hears with these consent scopes, in registration order."""
    allowed = set(scopes)
    return [kind for kind in _kinds.values() if kind.scope in allowed]


def _raise_alerts(event: TimelineEvent) -> None:
    """The listener: raise this event's alerts for the allies who share its scope."""
    from waypost.connect.alerts import services

    services.raise_alerts(event=event)
