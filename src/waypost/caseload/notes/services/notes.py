"""Writing, signing, correcting and amending session notes.

Only the client's primary clinician (``Action.WRITE_SESSION_NOTE``) does any of these,
and a draft or a correction only by the note's own author. The lifecycle is enforced
here, in the database, not only in the pages: each change is a conditional update
(a draft only while it is a draft, a correction only while ``signed_at`` is less than
24 hours ago), so a page left open, a double tap or two tabs cannot change a note
that has moved on. A note that has locked takes amendments only, which are rows of
their own; the note and its revisions never change again.

Every signed change is one timeline event (and, being the clinician's, an audit
entry); a draft saved is audited with ``events.record_change``.
"""

from __future__ import annotations

import json
from dataclasses import dataclass
from datetime import datetime, timedelta
from typing import TYPE_CHECKING
from uuid import UUID

from django.db import IntegrityError, transaction
from django.db.models import F
from django.utils import timezone
from django.utils.translation import gettext as _

from waypost.access.policy import Action, require
from waypost.caseload.appointments.models import Appointment
from waypost.caseload.notes import events as note_events
from waypost.caseload.notes import lifecycle
from waypost.caseload.notes.models import SECTIONS, NoteAmendment, NoteRevision, SessionNote
from waypost.core import events
from waypost.core.errors import DomainError
from waypost.core.timezones import first_zone

if TYPE_CHECKING:
    from django.contrib.auth.models import _User as User

    from waypost.program.models import Enrollment

MIN_MINUTES, MAX_MINUTES = 5, 240
SECTION_MAX = 10_000
RISK_NOTE_MAX = 2_000
AMENDMENT_MAX = 5_000
REASON_MAX = 500
#: A note is for a session that has taken place (a little slack for clocks).
FUTURE_SLACK = timedelta(hours=1)
#: How long before the client joined a session may be (an assessment before joining).
BEFORE_JOINING = timedelta(days=366)


class NoteError(DomainError):
    """A note change that cannot be made; ``message`` says why."""

    code = "session_note_refused"


class NoteLocked(NoteError):
    """The note has locked (24 hours after signing): only amendments now."""

    code = "session_note_locked"
    status = 409


class NoteConflict(NoteError):
    """The note changed (another tab or window) since the form was shown: nothing changed."""

    code = "session_note_conflict"
    status = 409

    def __init__(self, message: str = "") -> None:
        super().__init__(
            message
            or _("This note was changed in another tab or window; here is the current version.")
        )


@dataclass(frozen=True)
class NoteContent:
    """What the clinician writes: the session's facts and the sections."""

    session_at: datetime
    format: str = SessionNote.Format.IN_PERSON
    duration_minutes: int = 50
    discussed: str = ""
    assessment: str = ""
    plan: str = ""
    risk: str = ""
    risk_note: str = ""
    appointment_id: int | None = None

    def cleaned(self) -> NoteContent:
        """The same content with the texts trimmed."""
        return NoteContent(
            session_at=self.session_at,
            format=self.format,
            duration_minutes=self.duration_minutes,
            discussed=self.discussed.strip(),
            assessment=self.assessment.strip(),
            plan=self.plan.strip(),
            risk=self.risk,
            risk_note=self.risk_note.strip() if self.risk in ("some", "serious") else "",
            appointment_id=self.appointment_id,
        )


def _check(enrollment: Enrollment, content: NoteContent, now: datetime) -> None:
    """Refuse content no note may hold, draft or signed."""
    if content.format not in SessionNote.Format.values:
        raise NoteError(_("Please choose how the session took place."))
    if not MIN_MINUTES <= content.duration_minutes <= MAX_MINUTES:
        raise NoteError(
            _("A session lasts between %(low)s and %(high)s minutes.")
            % {"low": MIN_MINUTES, "high": MAX_MINUTES}
        )
    if content.session_at > now + FUTURE_SLACK:
        raise NoteError(_("A note is for a session that has taken place: please check the time."))
    if content.session_at < enrollment.created_at - BEFORE_JOINING:
        raise NoteError(_("That is long before the client joined: please check the date."))
    if content.risk and content.risk not in SessionNote.Risk.values:
        raise NoteError(_("Please choose one of the risk answers."))
    for name in SECTIONS:
        if len(getattr(content, name)) > SECTION_MAX:
            raise NoteError(
                _("Each part of the note holds up to %(n)s characters.") % {"n": SECTION_MAX}
            )
    if len(content.risk_note) > RISK_NOTE_MAX:
        raise NoteError(_("The risk note holds up to %(n)s characters.") % {"n": RISK_NOTE_MAX})
    if content.appointment_id is not None:
        appointment = Appointment.objects.filter(
            pk=content.appointment_id, enrollment=enrollment
        ).first()
        if appointment is None or appointment.is_cancelled:
            raise NoteError(_("Please choose one of this client's appointments."))
        zone = first_zone(enrollment.clinic.time_zone)
        if (
            appointment.starts_at.astimezone(zone).date()
            != content.session_at.astimezone(zone).date()
        ):
            raise NoteError(_("The appointment linked must be on the day of the session."))


def _check_complete(note: SessionNote | NoteContent) -> None:
    """Refuse to sign a note that lacks what every signed note must say."""
    if not note.discussed.strip():
        raise NoteError(_("Please write what was discussed before signing."))
    if not note.risk:
        raise NoteError(_("Please answer the risk check before signing."))
    if note.risk in ("some", "serious") and not note.risk_note.strip():
        raise NoteError(_("Please say what the concerns are before signing."))


def _fields(content: NoteContent) -> dict[str, object]:
    return {
        "session_at": content.session_at,
        "format": content.format,
        "duration_minutes": content.duration_minutes,
        "appointment_id": content.appointment_id,
        "discussed": content.discussed,
        "assessment": content.assessment,
        "plan": content.plan,
        "risk": content.risk,
        "risk_note": content.risk_note,
    }


def _require_author(note: SessionNote, by: User) -> None:
    require(by, Action.WRITE_SESSION_NOTE, note.enrollment)
    if note.author_id != by.pk:
        raise NoteError(_("Only the clinician who wrote this note can change it."))


def _event_data(note: SessionNote) -> dict[str, object]:
    return {"note": note.pk, "session_at": note.session_at.isoformat()}


def write_note(
    *,
    enrollment: Enrollment,
    by: User,
    content: NoteContent,
    client_uuid: UUID,
    sign: bool = False,
    path: str = "",
    at: datetime | None = None,
) -> SessionNote:
    """Start a note, as a draft, or signed at once (``sign``); returns it.

    The same ``client_uuid`` sent twice returns the note already kept (a double submit).
    """
    require(by, Action.WRITE_SESSION_NOTE, enrollment)
    now = at or timezone.now()
    content = content.cleaned()
    existing = SessionNote.objects.filter(enrollment=enrollment, client_uuid=client_uuid).first()
    if existing is not None:
        return existing
    _check(enrollment, content, now)
    if sign:
        _check_complete(content)
    try:
        with transaction.atomic():
            note = SessionNote.objects.create(
                enrollment=enrollment,
                client_uuid=client_uuid,
                author=by,
                created_at=now,
                updated_at=now,
                **_fields(content),
            )
            if sign:
                _sign(note, by, now, path)
            else:
                events.record_change(
                    actor=by, enrollment=enrollment, what=note_events.DRAFT, at=now, path=path
                )
    except IntegrityError:
        stored = SessionNote.objects.filter(enrollment=enrollment, client_uuid=client_uuid).first()
        if stored is None:
            raise
        return stored
    return note


def update_draft(
    *,
    note: SessionNote,
    by: User,
    content: NoteContent,
    sign: bool = False,
    version: int | None = None,
    path: str = "",
    at: datetime | None = None,
) -> SessionNote:
    """Save a draft's new content, and sign it too with ``sign``; returns the note.

    ``version`` is the note's version the form showed: the draft changes only if it is
    still at it and still a draft, else :class:`NoteConflict` (another tab saved or
    signed it meanwhile) and nothing changes. The same content sent again (a double
    tap) is no conflict: a draft left as it is, a note already signed returned as it is.
    A signed note is corrected with :func:`correct_note`, never here.
    """
    _require_author(note, by)
    now = at or timezone.now()
    content = content.cleaned()
    _check(note.enrollment, content, now)
    if sign:
        _check_complete(content)
    with transaction.atomic():
        current = SessionNote.objects.select_for_update(of=("self",)).get(pk=note.pk)
        same = not _differs(current, content)
        if not current.is_draft:
            if sign and same:  # signed by the tap before: nothing to do
                note.refresh_from_db()
                return note
            raise NoteConflict
        if version is not None and version != current.version and not same:
            raise NoteConflict
        if same and not sign:
            note.refresh_from_db()
            return note
        changed = SessionNote.objects.filter(
            pk=note.pk, status=SessionNote.Status.DRAFT, version=current.version
        ).update(updated_at=now, version=F("version") + 1, **_fields(content))
        if not changed:
            raise NoteConflict
        note.refresh_from_db()
        if sign:
            _sign(note, by, now, path)
        else:
            events.record_change(
                actor=by, enrollment=note.enrollment, what=note_events.DRAFT, at=now, path=path
            )
    return note


def sign_note(
    *, note: SessionNote, by: User, path: str = "", at: datetime | None = None
) -> SessionNote:
    """Sign a draft as it stands; a note already signed is returned as it is (a double tap)."""
    _require_author(note, by)
    now = at or timezone.now()
    with transaction.atomic():
        current = SessionNote.objects.select_for_update(of=("self",)).get(pk=note.pk)
        if current.is_draft:
            _check_complete(current)
            _sign(current, by, now, path)
    note.refresh_from_db()
    return note


def _sign(note: SessionNote, by: User, now: datetime, path: str) -> None:
    """Mark a draft signed (only if it still is one), keep revision 1, record the event."""
    changed = SessionNote.objects.filter(pk=note.pk, status=SessionNote.Status.DRAFT).update(
        status=SessionNote.Status.SIGNED,
        signed_by=by,
        signed_at=now,
        updated_at=now,
        version=F("version") + 1,
    )
    if not changed:
        raise NoteError(_("This note has been signed already."))
    note.refresh_from_db()
    NoteRevision.objects.create(
        note=note,
        number=1,
        reason=NoteRevision.Reason.SIGNED,
        saved_by=by,
        saved_at=now,
        snapshot=json.dumps(note.content(), sort_keys=True),
    )
    events.record(
        enrollment=note.enrollment,
        kind=note_events.NOTE_SIGNED,
        actor=by,
        data=_event_data(note),
        at=now,
        path=path,
    )


def correct_note(
    *,
    note: SessionNote,
    by: User,
    content: NoteContent,
    version: int | None = None,
    path: str = "",
    at: datetime | None = None,
) -> SessionNote:
    """Correct a signed note within 24 hours of signing; each correction is a new revision.

    Only the one who signed it. The database is asked to change the note only if it was
    signed less than 24 hours before ``at`` (now), so a correction can never reach a
    locked note, whatever the page showed; and, with ``version`` (the one the form
    showed), only if nobody corrected it meanwhile (:class:`NoteConflict`), so two
    corrections never silently undo each other. A correction that changes nothing is no
    revision (and no conflict: a double tap).
    """
    _require_author(note, by)
    now = at or timezone.now()
    content = content.cleaned()
    _check(note.enrollment, content, now)
    _check_complete(content)
    locked = NoteLocked(
        _(
            "This note locked 24 hours after it was signed and can no longer be "
            "corrected. Add an amendment instead."
        )
    )
    with transaction.atomic():
        current = SessionNote.objects.select_for_update(of=("self",)).get(pk=note.pk)
        if current.is_draft:
            raise NoteConflict(
                _("This note is still a draft: here it is, to save or sign; nothing was changed.")
            )
        if not _differs(current, content):
            return current
        if lifecycle.state(current.signed_at, now) == lifecycle.LOCKED:
            raise locked
        if version is not None and version != current.version:
            raise NoteConflict
        changed = SessionNote.objects.filter(
            pk=note.pk,
            status=SessionNote.Status.SIGNED,
            signed_by=by,
            signed_at__gt=now - lifecycle.LOCK_AFTER,
            version=current.version,
        ).update(updated_at=now, version=F("version") + 1, **_fields(content))
        if not changed:
            current.refresh_from_db()
            if lifecycle.state(current.signed_at, now) == lifecycle.LOCKED:
                raise locked
            if current.signed_by_id != by.pk:
                raise NoteError(_("Only the clinician who signed this note can correct it."))
            raise NoteConflict
        current.refresh_from_db()
        last = current.revisions.order_by("-number").values_list("number", flat=True).first()
        NoteRevision.objects.create(
            note=current,
            number=(last or 0) + 1,
            reason=NoteRevision.Reason.CORRECTED,
            saved_by=by,
            saved_at=now,
            snapshot=json.dumps(current.content(), sort_keys=True),
        )
        events.record(
            enrollment=current.enrollment,
            kind=note_events.NOTE_CORRECTED,
            actor=by,
            data=_event_data(current),
            at=now,
            path=path,
        )
    note.refresh_from_db()
    return note


def is_orphaned(note: SessionNote) -> bool:
    """A draft whose author is no longer the client's primary clinician (moved on, left)."""
    if not note.is_draft:
        return False
    return bool(note.enrollment.primary_clinician.user_id != note.author_id)


def discard_orphaned_draft(
    *, note: SessionNote, by: User, path: str = "", at: datetime | None = None
) -> bool:
    """Discard a draft left by a clinician who is no longer the client's primary clinician.

    Nobody can sign such a draft (only its author could, and they no longer may write
    the client's notes), so the primary clinician now may remove it, having read it.
    A draft is not yet part of the signed record; its removal is: a timeline line (and
    an audit entry) says which session's draft, whose, and who discarded it. The
    delete is conditional (still a draft, still not the primary clinician's own), so a
    draft signed meanwhile is never lost. Returns whether it was discarded (``False``:
    a second tap, it is gone already).
    """
    require(by, Action.WRITE_SESSION_NOTE, note.enrollment)
    now = at or timezone.now()
    if note.author_id == by.pk:
        raise NoteError(_("This draft is yours: finish and sign it."))
    if not is_orphaned(note):
        raise NoteError(
            _("Only a draft left by a former clinician of this client can be discarded.")
        )
    data = _event_data(note) | {"author": note.author_id}
    with transaction.atomic():
        deleted, _kinds = SessionNote.objects.filter(
            pk=note.pk, status=SessionNote.Status.DRAFT, author_id=note.author_id
        ).delete()
        if not deleted:
            if SessionNote.objects.filter(pk=note.pk).exists():
                raise NoteConflict(_("This draft has been signed meanwhile; nothing was changed."))
            return False
        events.record(
            enrollment=note.enrollment,
            kind=note_events.NOTE_DISCARDED,
            actor=by,
            data=data,
            at=now,
            path=path,
        )
    return True


def _differs(note: SessionNote, content: NoteContent) -> bool:
    """Would ``content`` change the note? (Times compare as instants, whatever their zone.)"""
    return any(getattr(note, name) != value for name, value in _fields(content).items())


def add_amendment(
    *,
    note: SessionNote,
    by: User,
    text: str,
    reason: str,
    client_uuid: UUID,
    path: str = "",
    at: datetime | None = None,
) -> NoteAmendment:
    """Append a signed, dated amendment with its reason to a locked note; returns it.

    The client's primary clinician (whoever wrote the note). Before the note locks, the
    one who signed it corrects it instead. The same ``client_uuid`` twice keeps one.
    """
    require(by, Action.WRITE_SESSION_NOTE, note.enrollment)
    now = at or timezone.now()
    text, reason = text.strip(), reason.strip()
    existing = NoteAmendment.objects.filter(note=note, client_uuid=client_uuid).first()
    if existing is not None:
        return existing
    if not text:
        raise NoteError(_("Please write the amendment."))
    if not reason:
        raise NoteError(_("Please give the reason for the amendment."))
    if len(text) > AMENDMENT_MAX or len(reason) > REASON_MAX:
        raise NoteError(
            _("An amendment holds up to %(text)s characters, its reason up to %(reason)s.")
            % {"text": AMENDMENT_MAX, "reason": REASON_MAX}
        )
    if lifecycle.state(note.signed_at, now) != lifecycle.LOCKED:
        raise NoteError(
            _(
                "Amendments are for locked notes. Until it locks, the clinician who signed it "
                "corrects it."
            )
        )
    try:
        with transaction.atomic():
            amendment = NoteAmendment.objects.create(
                note=note,
                client_uuid=client_uuid,
                text=text,
                reason=reason,
                signed_by=by,
                signed_at=now,
            )
            events.record(
                enrollment=note.enrollment,
                kind=note_events.NOTE_AMENDED,
                actor=by,
                data=_event_data(note),
                at=now,
                path=path,
            )
    except IntegrityError:
        stored = NoteAmendment.objects.filter(note=note, client_uuid=client_uuid).first()
        if stored is None:
            raise
        return stored
    return amendment
