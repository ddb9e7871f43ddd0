"""One way to record what happened to a client's record: the timeline and the audit trail.

A service that changes a client's record calls :func:`record` once. It appends
the timeline event and, when the person acting is not the client, the audit
entry, in the same transaction as the change. Apps declare their kinds of
event up front (:func:`register`, from ``AppConfig.ready()``), each with a label
and the sentence the timeline shows.

Events are stored language-neutral: the kind's key and its parameters (in
``data``), never a sentence. The sentence is made when someone reads it, in the
reader's language, as the audit trail already does with its subjects. Nothing
sensitive goes in ``data``; free text (a reason, a note) goes in ``detail``,
which is encrypted.

Reads are audited where they happen: in the view (or a panel's context
function) that shows the data, through :func:`record_view`, never in a service.
"""

from __future__ import annotations

from collections.abc import Callable, Mapping
from dataclasses import dataclass
from datetime import datetime
from typing import TYPE_CHECKING, Any, TypeAlias

from django.db import transaction

from waypost.core import audit
from waypost.core.models import AuditEvent, TimelineEvent

if TYPE_CHECKING:
    # The configured user model (AUTH_USER_MODEL), as django-stubs resolves it.
    from django.contrib.auth.models import _User as User
    from django_stubs_ext import StrOrPromise

    from waypost.program.models import Enrollment

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
    """

    key: str
    label: StrOrPromise
    text: Text
    params: Params | None = None
    in_session: StrOrPromise | None = None
    audit: str = ""

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


def describe(event: TimelineEvent) -> str:
    """The timeline sentence of a stored event, in the reader's language."""
    kind = _kinds.get(event.kind)
    if kind is None:
        # An event whose app is gone: the text it was stored with, if any.
        return str(event.data.get("text", event.kind))
    return kind.describe(event.data, fallback=event.data.get("text"))


def record(
    *,
    enrollment: Enrollment,
    kind: str,
    actor: User | None,
    data: Mapping[str, Any] | None = None,
    detail: str = "",
    at: datetime | None = None,
    path: str = "",
    audit_what: str = "",
) -> TimelineEvent:
    """Append what happened to the client's timeline and, if someone else did it, audit it.

    ``kind`` must be declared (:func:`register`); an undeclared kind is a
    programming error and raises ``KeyError`` before anything is written.
    ``data`` holds the kind's parameters (JSON, stored in clear: nothing
    sensitive); ``detail`` holds free text, encrypted at rest. ``audit_what``
    names the audit subject more precisely than the kind does, when it must.
    """
    declared = _kinds[kind]
    with transaction.atomic():
        event = TimelineEvent.objects.create(
            enrollment=enrollment,
            kind=kind,
            actor=actor,
            detail=detail,
            data=dict(data or {}),
            **({"created_at": at} if at else {}),
        )
        what = audit_what or declared.audit
        if what and actor is not None:
            audit.record_access(
                actor=actor,
                enrollment=enrollment,
                action=AuditEvent.Action.CHANGE,
                what=what,
                path=path,
                at=at,
            )
    return event


def record_view(
    *,
    actor: User,
    enrollment: Enrollment,
    what: str,
    path: str = "",
    export: bool = False,
) -> AuditEvent | None:
    """Audit that ``actor`` saw (or exported) ``what`` of the client's record.

    Called by views and panels, the one place per read path; a client reading
    their own record is not audited.
    """
    return audit.record_access(
        actor=actor,
        enrollment=enrollment,
        action=AuditEvent.Action.EXPORT if export else AuditEvent.Action.VIEW,
        what=what,
        path=path,
    )


def record_change(
    *,
    actor: User,
    enrollment: Enrollment,
    what: str,
    at: datetime | None = None,
    path: str = "",
) -> AuditEvent | None:
    """Audit a change that has no line of its own on the timeline (a draft saved, a form ended).

    A change the client makes to their own record is not audited.
    """
    return audit.record_access(
        actor=actor,
        enrollment=enrollment,
        action=AuditEvent.Action.CHANGE,
        what=what,
        path=path,
        at=at,
    )
