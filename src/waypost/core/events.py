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
function) that shows the data, through :func:`record_view` (or
:func:`record_list_view` for a page that lists clients), never in a service. A
refused attempt is audited by the one way in that refused it
(``program.selectors.record_of_client``), through :func:`record_refused`: the
view it guards never runs.

Listeners: an app that must act when something happens to a client (tell the
client's allies that a lapse was logged …) says so from its ``AppConfig.ready()``
with :func:`listen`, naming the kind of event, instead of every service that
records that kind calling it. :func:`record` hands each listener the new
:class:`~waypost.core.models.TimelineEvent` through ``transaction.on_commit``:
only once the change is committed, so a change rolled back tells nobody, and
never inside the writer's transaction. Each listener runs in a transaction of
its own; whatever it raises is logged and swallowed, because the event is
already recorded and the person who caused it must not see an error for
something a listener failed to do. Listeners must be quick (queue slow work,
such as e-mail, as a task) and idempotent (the same event may reach them twice
after a retry)::

    events.listen(recovery_events.LAPSE_LOGGED, tell_allies)
"""

from __future__ import annotations

import logging
from collections.abc import Callable, Iterable, Mapping
from datetime import datetime
from functools import partial
from typing import TYPE_CHECKING, Any

from django.db import transaction

from waypost.core import audit
from waypost.core.event_kinds import EventKind, Params, Text, describe, get, kinds, register
from waypost.core.models import AuditEvent, TimelineEvent

__all__ = [
    "EventKind",
    "Params",
    "Text",
    "describe",
    "get",
    "kinds",
    "listen",
    "listeners",
    "record",
    "record_change",
    "record_list_view",
    "record_refused",
    "record_view",
    "register",
    "unlisten",
]

logger = logging.getLogger(__name__)

if TYPE_CHECKING:
    from django.contrib.auth.models import AnonymousUser

    # The configured user model (AUTH_USER_MODEL), as django-stubs resolves it.
    from django.contrib.auth.models import _User as User

    from waypost.program.models import Enrollment


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
    ``data`` holds the kind's parameters (JSON, stored in clear, but for those the
    kind declares ``private``, which are encrypted); ``detail`` holds free text,
    encrypted at rest. ``audit_what`` names the audit subject more precisely than
    the kind does, when it must.
    """
    declared = get(kind)
    given = dict(data or {})
    private = {name: given.pop(name) for name in declared.private if name in given}
    with transaction.atomic():
        event = TimelineEvent(
            enrollment=enrollment,
            kind=kind,
            actor=actor,
            detail=detail,
            data=given,
            **({"created_at": at} if at else {}),
        )
        event.private_data = private
        event.save()
        if _listeners.get(kind):
            # After the outermost transaction commits; dropped if it rolls back.
            transaction.on_commit(partial(_tell_listeners, event))
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


# --- listeners ----------------------------------------------------------------------

Listener = Callable[[TimelineEvent], None]
_listeners: dict[str, list[Listener]] = {}


def listen(kind: str, callback: Listener) -> None:
    """Call ``callback(event)`` with every new event of ``kind``, once it is committed.

    Called from ``AppConfig.ready()``. The same callback for the same kind is kept
    once, however often it is given. ``kind`` need not be declared yet (the app that
    declares it may be readied later).
    """
    callbacks = _listeners.setdefault(kind, [])
    if callback not in callbacks:
        callbacks.append(callback)


def unlisten(kind: str, callback: Listener) -> None:
    """Stop calling ``callback`` for ``kind`` (tests); unknown pairs are ignored."""
    callbacks = _listeners.get(kind, [])
    if callback in callbacks:
        callbacks.remove(callback)


def listeners(kind: str) -> list[Listener]:
    """The callbacks listening to ``kind``, in the order they were added."""
    return list(_listeners.get(kind, ()))


def _tell_listeners(event: TimelineEvent) -> None:
    """Hand a committed event to each listener of its kind; a failing one stops no other."""
    for callback in listeners(event.kind):
        try:
            with transaction.atomic():
                callback(event)
        except Exception:
            # The event stands; a listener's failure must not reach the person who caused
            # it. The event's id and kind only: never its data.
            logger.exception(
                "listener %r failed for timeline event %s (%s)",
                getattr(callback, "__qualname__", callback),
                event.pk,
                event.kind,
            )


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


def record_list_view(
    *,
    actor: User,
    enrollments: Iterable[Enrollment],
    what: str,
    path: str = "",
) -> list[AuditEvent]:
    """Audit that ``actor`` saw these clients listed (the caseload, a clinic's client list).

    One row per client listed, written in one query, so the page stays flat as the
    list grows.
    """
    return audit.record_listing(actor=actor, enrollments=enrollments, what=what, path=path)


def record_refused(
    *,
    actor: User | AnonymousUser | None,
    enrollment: Enrollment | None,
    what: str,
    asked_for: int,
    path: str = "",
) -> AuditEvent | None:
    """Record that ``actor`` asked for ``what`` number ``asked_for`` and was refused.

    Called by the one way in that refuses (``program.selectors.record_of_client`` and
    its like), just before it raises the 404 or 403, with the client's ``enrollment``
    the thing belongs to, or ``None`` if there is no such thing. When there is a client
    and a signed-in person, the row goes to that clinic's audit trail, committed at
    once so it outlives the 404 (:func:`waypost.core.audit.record_refusal`). Otherwise
    nobody's trail can hold it, and it goes to the security log
    (:func:`waypost.core.audit.log_refused`).
    """
    if actor is not None and actor.is_authenticated:
        if enrollment is not None:
            return audit.record_refusal(actor=actor, enrollment=enrollment, what=what, path=path)
        actor_id: int | None = actor.pk
    else:
        actor_id = None
    audit.log_refused(
        actor_id=actor_id,
        what=what,
        asked_for=asked_for,
        exists=enrollment is not None,
        path=path,
    )
    return None


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
