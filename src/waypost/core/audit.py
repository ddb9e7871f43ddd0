"""The audit trail: every view or change of client data by someone other than the client."""

from __future__ import annotations

from collections.abc import Callable
from datetime import datetime
from typing import TYPE_CHECKING, TypeAlias

from django.utils.translation import gettext_lazy as _

from waypost.core.models import AuditEvent

if TYPE_CHECKING:
    # The configured user model (AUTH_USER_MODEL), as django-stubs resolves it.
    from django.contrib.auth.models import _User as User
    from django_stubs_ext import StrOrPromise

    from waypost.program.models import Enrollment


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
