"""One way to save a new version of a client's document (safety plan, decisional balance …).

A versioned document is a model built on ``core.models.VersionedDocumentFields``
with an ``enrollment`` link and a unique (enrollment, version) rule. Every
save makes a new numbered version, earlier versions stay as they were, and
the client's timeline (and, when someone other than the client saves, the
audit trail) says so. :func:`save_version` is that operation, written once;
the apps keep only what is their own: checking access, cleaning the content
and the words their timeline uses (:func:`version_event`).
"""

from __future__ import annotations

from collections.abc import Callable, Mapping
from datetime import datetime
from typing import TYPE_CHECKING, Any, TypeVar

from django.db import IntegrityError, transaction
from django.db.models import Max
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from waypost.core import events
from waypost.core.events import EventKind
from waypost.core.models import VersionedDocumentFields

if TYPE_CHECKING:
    # The configured user model (AUTH_USER_MODEL), as django-stubs resolves it.
    from django.contrib.auth.models import _User as User
    from django_stubs_ext import StrOrPromise

    from waypost.program.models import Enrollment

Document = TypeVar("Document", bound=VersionedDocumentFields)


class VersionConflict(Exception):
    """Two saves took the same version number twice running; nothing was saved.

    Callers turn this into their own kind message ("someone saved this at the
    same moment …"): it only happens when two people save at once.
    """


class _NumberTaken(Exception):
    """The version number was taken by another save after we counted."""


def lock_enrollment(enrollment: Enrollment) -> None:
    """Hold the enrollment row until the transaction ends, so its saves take turns.

    Must be called inside ``transaction.atomic()``. A no-op on SQLite, whose
    writing transactions are already one at a time.
    """
    type(enrollment).objects.select_for_update().filter(pk=enrollment.pk).first()


def latest_version(model: type[Document], enrollment: Enrollment) -> Document | None:
    """The newest version of the client's document of this kind, or None."""
    # ``_default_manager``: how code written for any model reaches its manager (Django's
    # own generic code does the same); the abstract base has no ``objects`` to name.
    return (
        model._default_manager.filter(enrollment=enrollment)
        .select_related("saved_by")
        .order_by("-version")
        .first()
    )


def _next_number(model: type[Document], enrollment: Enrollment) -> int:
    """One more than the highest version so far (1 for the first)."""
    highest = model._default_manager.filter(enrollment=enrollment).aggregate(n=Max("version"))["n"]
    return (highest or 0) + 1


def save_version(
    *,
    model: type[Document],
    enrollment: Enrollment,
    content: str | Callable[[Document | None], str],
    by: User,
    in_session: bool,
    event_kind: str,
    at: datetime | None = None,
    unchanged: Callable[[Document], bool] | None = None,
    fields: Mapping[str, Any] | None = None,
    event_data: Mapping[str, Any] | None = None,
    path: str = "",
) -> tuple[Document, bool]:
    """Save ``content`` as the next version of the client's document; return (version, created).

    The contract:

    - Access is the caller's to check; so is cleaning the content. ``content``
      is the text to keep (usually JSON, encrypted by the model), or a function
      of the newest version (None when there is none) returning it, for
      documents whose next version carries something over from the last.
    - Runs in one transaction holding the enrollment row (:func:`lock_enrollment`),
      so two saves for one client take turns.
    - When the newest version was saved by ``by`` and says the same (same
      ``content``, or ``unchanged(newest)`` is true), nothing is written and
      ``(newest, False)`` is returned: a double tap or a retry.
    - Otherwise the version is numbered one above the newest (1 for the first),
      with ``created_at=at`` (default now), ``saved_by=by``, ``in_session`` and
      any extra model ``fields``; then ``event_kind`` is recorded through
      ``events.record`` with ``{"version": n, "in_session": in_session}`` plus
      ``event_data``, which also writes the audit entry when ``by`` is not the
      client. Returns ``(version, True)``.
    - If another save took the same number in between (the unique
      (enrollment, version) rule refuses it), the whole attempt runs once more;
      a second clash raises :class:`VersionConflict` and nothing is saved.
    """
    now = at or timezone.now()
    for attempt in (1, 2):
        try:
            with transaction.atomic():
                return _attempt(
                    model=model,
                    enrollment=enrollment,
                    content=content,
                    by=by,
                    in_session=in_session,
                    event_kind=event_kind,
                    now=now,
                    unchanged=unchanged,
                    fields=fields,
                    event_data=event_data,
                    path=path,
                )
        except _NumberTaken:
            if attempt == 2:
                raise VersionConflict(
                    f"{model.__name__} version clashed twice for enrollment {enrollment.pk}"
                ) from None
    raise AssertionError("unreachable")  # pragma: no cover


def _attempt(
    *,
    model: type[Document],
    enrollment: Enrollment,
    content: str | Callable[[Document | None], str],
    by: User,
    in_session: bool,
    event_kind: str,
    now: datetime,
    unchanged: Callable[[Document], bool] | None,
    fields: Mapping[str, Any] | None,
    event_data: Mapping[str, Any] | None,
    path: str,
) -> tuple[Document, bool]:
    lock_enrollment(enrollment)
    latest = latest_version(model, enrollment)
    text = content(latest) if callable(content) else content
    if latest is not None and latest.saved_by_id == by.pk:
        same = unchanged(latest) if unchanged is not None else latest.content == text
        if same:
            return latest, False
    number = _next_number(model, enrollment)
    try:
        # A savepoint of its own: only a clash on the number is a reason to try again.
        with transaction.atomic():
            document = model._default_manager.create(
                enrollment=enrollment,
                version=number,
                created_at=now,
                saved_by=by,
                in_session=in_session,
                content=text,
                **dict(fields or {}),
            )
    except IntegrityError:
        if not model._default_manager.filter(enrollment=enrollment, version=number).exists():
            raise  # some other rule refused the row: not a race
        raise _NumberTaken from None
    events.record(
        enrollment=enrollment,
        kind=event_kind,
        actor=by,
        data={"version": number, "in_session": in_session, **dict(event_data or {})},
        at=now,
        path=path,
    )
    return document, True


def version_event(
    *, key: str, label: StrOrPromise, first: StrOrPromise, later: StrOrPromise, audit: str = ""
) -> EventKind:
    """The timeline kind for "a version was saved", as :func:`save_version` records it.

    ``first`` is the sentence for version 1 ("Safety plan written"), ``later``
    the one for the others, with ``%(n)d`` for the number ("Safety plan updated
    (version %(n)d)"); both lazily translated. Saved by the clinician with the
    client, the sentence ends "in session". ``audit`` is the audit-trail
    subject. Register the result from ``AppConfig.ready()``.
    """

    def words(data: Mapping[str, Any]) -> dict[str, str]:
        number = data.get("version")
        if number == 1 or not isinstance(number, int):
            return {"what": str(first)}
        return {"what": str(later) % {"n": number}}

    return EventKind(
        key=key,
        label=label,
        text="%(what)s",
        in_session=_("%(what)s in session"),
        params=words,
        audit=audit,
    )


__all__ = [
    "VersionConflict",
    "latest_version",
    "lock_enrollment",
    "save_version",
    "version_event",
]
