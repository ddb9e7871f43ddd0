"""The audit trail: every view or change of client data by someone other than the client.

Also every refused attempt at it: someone who asked for a client's record and
was turned away with a 404 or a 403 (:func:`record_refusal`). An attempt at a
record that does not exist names no client and no clinic, so it cannot join a
clinic's trail; it goes to the ``waypost.security`` log instead
(:func:`log_refused`).
"""

from __future__ import annotations

import logging
from collections.abc import Callable, Iterable
from datetime import datetime
from typing import TYPE_CHECKING, TypeAlias

from django.db import transaction
from django.utils.translation import gettext_lazy as _

from waypost.core.models import AuditEvent

if TYPE_CHECKING:
    # The configured user model (AUTH_USER_MODEL), as django-stubs resolves it.
    from django.contrib.auth.models import _User as User
    from django_stubs_ext import StrOrPromise

    from waypost.program.models import Enrollment

# Refused attempts that name no client (an id that does not exist). Propagates to the
# root handler (settings.LOGGING); only ids and a path, never a name or any content.
security_log = logging.getLogger("waypost.security")


def record_access(
    *,
    actor: User,
    enrollment: Enrollment,
    action: str,
    what: str,
    path: str = "",
    at: datetime | None = None,
) -> AuditEvent | None:
    """Record that ``actor`` viewed or changed ``what`` of the enrollment's client.

    A client looking at their own data is not recorded: the trail is about
    other people's access.
    """
    if actor.pk == enrollment.client_id:
        return None
    return AuditEvent.objects.create(
        actor=actor,
        clinic_id=enrollment.clinic_id,
        client_id=enrollment.client_id,
        action=action,
        what=what[:200],
        path=path[:500],
        **({"created_at": at} if at else {}),
    )


def record_listing(
    *, actor: User, enrollments: Iterable[Enrollment], what: str, path: str = ""
) -> list[AuditEvent]:
    """Record that ``actor`` saw each of these clients listed on a page: one row per client.

    One query however many clients (``bulk_create``), so a list page stays flat as it
    grows. The actor's own enrollment, if listed, is skipped, as in :func:`record_access`.
    """
    seen: set[tuple[int, int]] = set()
    rows = []
    for enrollment in enrollments:
        key = (enrollment.client_id, enrollment.clinic_id)
        if enrollment.client_id == actor.pk or key in seen:
            continue
        seen.add(key)
        rows.append(
            AuditEvent(
                actor=actor,
                clinic_id=enrollment.clinic_id,
                client_id=enrollment.client_id,
                action=AuditEvent.Action.VIEW,
                what=what[:200],
                path=path[:500],
            )
        )
    return AuditEvent.objects.bulk_create(rows) if rows else []


def record_refusal(
    *, actor: User, enrollment: Enrollment, what: str, path: str = ""
) -> AuditEvent | None:
    """Record that ``actor`` asked for ``what`` of the enrollment's client and was refused.

    The request goes on to end in a 404 or 403, so the row is committed here and now,
    in a transaction of its own: ``durable=True`` makes that a promise. Called inside
    someone else's transaction (``ATOMIC_REQUESTS`` switched on, or a caller's
    ``atomic()`` block), which the refusal would roll back and the row with it, it
    raises ``RuntimeError`` instead of losing the row without a word. (Django's own test
    cases are the exception: their wrapping transaction is allowed.)

    The client asking for their own record is not recorded, as in :func:`record_access`.
    """
    if actor.pk == enrollment.client_id:
        return None
    with transaction.atomic(durable=True):
        return AuditEvent.objects.create(
            actor=actor,
            clinic_id=enrollment.clinic_id,
            client_id=enrollment.client_id,
            action=AuditEvent.Action.REFUSED,
            what=what[:200],
            path=path[:500],
        )


def log_refused(
    *, actor_id: int | None, what: str, asked_for: int, exists: bool, path: str = ""
) -> None:
    """Log a refused attempt at ``what`` number ``asked_for`` that no trail can hold.

    An id that does not exist names no client and no clinic, and someone not signed in
    is nobody the trail can name, so these go to the ``waypost.security`` log instead:
    who asked (their id), for which id, whether it exists, and where. Nothing else.
    """
    security_log.warning(
        "refused: %s %d (%s), asked for by %s at %r",
        what,
        asked_for,
        "exists" if exists else "no such id",
        f"user {actor_id}" if actor_id is not None else "someone not signed in",
        path[:500],
    )


# --- what the trail shows ---------------------------------------------------------
#
# ``what`` is stored as a stable key in English ("client record", "shared: journey")
# so the trail reads the same whatever language the person who acted used. The
# audit page shows each key in the reader's language. Apps register their keys
# from AppConfig.ready(); a key written as "prefix: detail" may register a
# function that turns the detail into words too. An unknown key is shown as is.

# A subject's words (lazily translated), or a function that makes them from the detail.
Label: TypeAlias = "StrOrPromise | Callable[[str], str]"
_subjects: dict[str, Label] = {}


def register_subject(key: str, label: Label) -> None:
    _subjects[key] = label


def describe(what: str) -> str:
    """The ``what`` of an audit event in the reader's language."""
    label = _subjects.get(what)
    if label is not None and not callable(label):
        return str(label)
    prefix, sep, detail = what.partition(": ")
    label = _subjects.get(prefix) if sep else None
    if label is None:
        return what
    return label(detail) if callable(label) else f"{label}: {detail}"


register_subject("client record", _("Client record"))
register_subject("stage", _("Stage"))
register_subject("primary clinician", _("Primary clinician"))
register_subject("enrollment (API)", _("Program and stage history, through the API"))
