"""Operations on safety plans and risk alerts: what views, other apps, the API and tasks call.

Public API for other apps
- ``latest_plan(enrollment)`` / ``plan_versions(enrollment)``: reads.
- ``save_plan(*, enrollment, content, by, path="", at=None)``: a new version, through
  ``core.documents.save_version``.
- ``raise_alert(*, enrollment, kind, summary, source_label, source_url="", at=None,
  notify=True, severity=None)``: put an alert in the clinician's risk inbox and tell
  them, discreetly.
- ``acknowledge(*, alert, by, note, at=None)``: the clinician has seen it and says what
  they did.
"""

from __future__ import annotations

from collections.abc import Iterable, Mapping
from datetime import datetime
from enum import StrEnum
from typing import TYPE_CHECKING, Any

from django.core.exceptions import PermissionDenied
from django.db import transaction
from django.db.models import QuerySet
from django.utils import dateformat, timezone
from django.utils.translation import gettext as _

from waypost.access.policy import Action, require
from waypost.core import documents
from waypost.core import events as core_events
from waypost.core.errors import DomainError
from waypost.program.models import Enrollment
from waypost.safety import events, plan_content, selectors
from waypost.safety.models import SEVERITY_MAX, RiskAlert, SafetyPlan

if TYPE_CHECKING:
    from django.contrib.auth.models import _User as User

NOTE_MAX_LENGTH = 4000

# --- safety plan -------------------------------------------------------------------


class SafetyPlanError(DomainError):
    """The plan cannot be saved; the message says what to change, kindly."""

    code = "safety_plan_refused"


def latest_plan(enrollment: Enrollment) -> SafetyPlan | None:
    """The newest version of the client's safety plan, or None if none was written yet."""
    return documents.latest_version(SafetyPlan, enrollment)


def plan_versions(enrollment: Enrollment) -> QuerySet[SafetyPlan]:
    """Every version, newest first (content is decrypted only when read)."""
    return (
        SafetyPlan.objects.filter(enrollment=enrollment)
        .select_related("saved_by")
        .order_by("-version")
    )


def save_plan(
    *,
    enrollment: Enrollment,
    content: Mapping[str, Iterable[Any]],
    by: User,
    path: str = "",
    at: datetime | None = None,
) -> SafetyPlan:
    """Save the plan as a new version and return it; earlier versions stay as they were.

    ``content`` maps section keys (``plan_content.SECTION_KEYS``) to items:
    text for most parts, ``Contact`` or ``{"name", "phone"}`` for people and
    services. The client or their primary clinician may save; the
    clinician's save is marked as written together in session and audited.
    Saving exactly what the newest version already says, by the same person,
    makes no new version (a double tap or a retry) and returns that version.
    """
    require(by, Action.EDIT_SAFETY_PLAN, enrollment)
    try:
        clean = plan_content.normalise(content)
    except plan_content.PlanContentError as exc:
        raise SafetyPlanError(str(exc)) from None
    try:
        plan, _created = documents.save_version(
            model=SafetyPlan,
            enrollment=enrollment,
            content=plan_content.dumps(clean),
            by=by,
            in_session=by.pk != enrollment.client_id,
            event_kind=events.PLAN_SAVED,
            at=at,
            path=path,
        )
    except documents.VersionConflict:
        raise SafetyPlanError(
            _("Someone saved the plan at the same moment. Please open it again and retry.")
        ) from None
    return plan


# --- risk alerts ---------------------------------------------------------------------


class AlertErrorCode(StrEnum):
    NOTE_REQUIRED = "alert_note_required"
    NOTE_TOO_LONG = "alert_note_too_long"
    ALREADY_ACKNOWLEDGED = "alert_already_acknowledged"


class AlertError(DomainError):
    """An alert cannot be acknowledged; ``code`` is one of :class:`AlertErrorCode`."""

    def __init__(self, code: AlertErrorCode, message: str):
        super().__init__(message, code=code)
        self.status = 409 if code == AlertErrorCode.ALREADY_ACKNOWLEDGED else 400


def _safe_source_url(url: str) -> str:
    """Only a path inside Waypost: the inbox never links anywhere else."""
    url = (url or "").strip()
    if not url.startswith("/") or url.startswith("//") or "\\" in url or len(url) > 500:
        return ""
    return url


def raise_alert(
    *,
    enrollment: Enrollment,
    kind: str,
    summary: str,
    source_label: str,
    source_url: str = "",
    at: datetime | None = None,
    notify: bool = True,
    severity: int | None = None,
) -> RiskAlert:
    """Put an open alert in the primary clinician's risk inbox and return it.

    Called by the system on the client's behalf (e.g. a critical answer), so
    it checks no permission. ``summary`` and ``source_label`` are stored
    encrypted and shown to the clinician only; ``source_url`` must be a path
    inside Waypost (anything else is dropped). The timeline gets a discreet
    line, and once the transaction commits the clinician gets an e-mail that
    says nothing clinical, only where to look (``notify=False`` skips it,
    e.g. for backdated demo data). ``severity`` (0–100, see ``RiskAlert.severity``)
    orders the inbox; leave it None when no scored answer raised the alert.
    """
    summary = (summary or "").strip()
    if not summary:
        raise ValueError("a risk alert needs a summary")
    kind = (kind or "").strip()[:40] or "alert"
    if severity is not None:
        severity = max(0, min(SEVERITY_MAX, int(severity)))
    now = at or timezone.now()
    with transaction.atomic():
        alert = RiskAlert.objects.create(
            enrollment=enrollment,
            created_at=now,
            kind=kind,
            summary=summary,
            source_label=(source_label or "").strip()[:300],
            source_url=_safe_source_url(source_url),
            severity=severity,
        )
        core_events.record(
            enrollment=enrollment,
            kind=events.ALERT_RAISED,
            actor=None,
            detail=summary,
            data={"alert": alert.pk, "kind": kind},
            at=now,
        )
        if notify:
            from waypost.safety import tasks

            alert_id = alert.pk
            transaction.on_commit(lambda: tasks.notify_clinician_of_alert(alert_id))
    return alert


def acknowledge(*, alert: RiskAlert, by: User, note: str, at: datetime | None = None) -> RiskAlert:
    """The primary clinician (or the clinician on call it was passed to) writes what they did.

    The note is required and stored encrypted. An alert is acknowledged once:
    a second attempt (even a simultaneous one) raises ``AlertError`` and
    changes nothing.
    """
    # The policy answers for the client's own clinician; the one on call is granted this
    # alert by its escalation (see ``selectors.may_acknowledge``).
    if not selectors.may_acknowledge(by, alert):
        raise PermissionDenied
    note = (note or "").strip()
    if not note:
        raise AlertError(
            AlertErrorCode.NOTE_REQUIRED,
            _("Please write a short note: what you did or will do about this alert."),
        )
    if len(note) > NOTE_MAX_LENGTH:
        raise AlertError(
            AlertErrorCode.NOTE_TOO_LONG,
            _("Please keep the note under %(max)d characters.") % {"max": NOTE_MAX_LENGTH},
        )
    now = at or timezone.now()
    with transaction.atomic():
        # Claim it with a conditional update so two clinicians cannot both acknowledge.
        claimed = RiskAlert.objects.filter(pk=alert.pk, status=RiskAlert.Status.OPEN).update(
            status=RiskAlert.Status.ACKNOWLEDGED,
            acknowledged_by=by,
            acknowledged_at=now,
            note=note,
        )
        if claimed != 1:
            current = RiskAlert.objects.select_related("acknowledged_by").get(pk=alert.pk)
            who = current.acknowledged_by.name if current.acknowledged_by else _("someone")
            when = (
                dateformat.format(timezone.localtime(current.acknowledged_at), "j M Y, H:i")
                if current.acknowledged_at
                else "?"
            )
            raise AlertError(
                AlertErrorCode.ALREADY_ACKNOWLEDGED,
                _(
                    "This alert was already acknowledged by %(who)s on %(when)s. "
                    "Nothing was changed."
                )
                % {"who": who, "when": when},
            )
        core_events.record(
            enrollment=alert.enrollment,
            kind=events.ALERT_ACKNOWLEDGED,
            actor=by,
            detail=note,
            data={"alert": alert.pk},
            at=now,
        )
    alert.refresh_from_db()
    return alert


def open_alert_count(enrollments: QuerySet[Enrollment] | Iterable[int]) -> int:
    """Open alerts across the given enrollments (for nav badges and caseload counts)."""
    return RiskAlert.objects.filter(
        enrollment__in=enrollments, status=RiskAlert.Status.OPEN
    ).count()
