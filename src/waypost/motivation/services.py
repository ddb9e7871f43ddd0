"""Writes for the motivation tools: readiness, decisional balance, values, stage of change.

Every function takes keyword arguments and checks access itself: the client
may use their own tools (``Action.VIEW_OWN``); their primary clinician may
fill any of them with the client in session (``Action.ASSIGN_WORK``), which
marks the result as done in session and writes the audit trail. Each records
a discreet timeline event (nothing the client wrote goes into it, see
``motivation/events.py``) and closes the clinician's open request for that
tool, if there is one. The decisional balance and the values sort are
versioned documents, saved through ``core.documents.save_version``.
Bad input raises ``MotivationContentError`` with a message fit to show;
nothing is saved then.
"""

from __future__ import annotations

from collections.abc import Iterable, Mapping
from datetime import datetime
from typing import Any

from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from waypost.access.policy import Action, require
from waypost.assessments import results as measure_results
from waypost.assessments import services as measures
from waypost.assessments.gates import READINESS_RULER
from waypost.assessments.models import Administration
from waypost.core import documents
from waypost.core import events as core_events
from waypost.motivation import events, tools
from waypost.motivation.models import (
    DecisionalBalance,
    MotivationRequest,
    StageOfChangeEntry,
    ValuesCardSort,
)
from waypost.motivation.tools import MotivationContentError
from waypost.motivation.values_cards import CARDS
from waypost.program.models import Enrollment

# Choosing top values and writing notes this soon after the sort, by the same person,
# completes that sort rather than making another version.
SITTING_HOURS = 12

__all__ = [
    "MotivationContentError",
    "ask_client",
    "record_readiness",
    "record_stage",
    "save_balance",
    "save_sort",
    "save_top",
    "save_top_notes",
    "withdraw_request",
]


def _in_session(by: Any, enrollment: Enrollment) -> bool:
    """Check who acts: the client themself, or their clinician with them (in session)."""
    if by.pk == enrollment.client_id:
        require(by, Action.VIEW_OWN, enrollment)
        return False
    require(by, Action.ASSIGN_WORK, enrollment)
    return True


def _close_requests(enrollment: Enrollment, tool: str, at: datetime) -> None:
    MotivationRequest.objects.filter(
        enrollment=enrollment, tool=tool, closed_at__isnull=True
    ).update(closed_at=at, outcome="done")


def _same_moment() -> MotivationContentError:
    return MotivationContentError(
        _("Someone saved this at the same moment. Please open it again and retry.")
    )


# --- readiness ruler -----------------------------------------------------------------


def record_readiness(
    *, enrollment: Enrollment, value: Any, by: Any, path: str = "", at: datetime | None = None
) -> Administration:
    """Keep a readiness number (0–10) as a completed readiness-ruler questionnaire.

    When the client answers and a readiness ruler their clinician assigned is
    open, that form is the one completed; otherwise a new completed form is
    recorded, marked as filled in together in session when the clinician saves
    (and audited; the questionnaire's own timeline line is the assessments app's).
    """
    in_session = _in_session(by, enrollment)
    number = tools.parse_readiness(value)
    now = at or timezone.now()
    with transaction.atomic():
        form = None
        if not in_session:
            form = (
                measure_results.open_forms(enrollment).filter(instrument_id=READINESS_RULER).first()
            )
        try:
            if form is not None:
                link_id = measures.entry_for(READINESS_RULER).instrument.items[0].link_id
                measures.record_answer(form=form, link_id=link_id, value=number, by=by, at=now)
                measures.submit(form=form, by=by, at=now)
                form.refresh_from_db()
            else:
                form = measures.record_completed(
                    enrollment=enrollment,
                    instrument_id=READINESS_RULER,
                    answers=[number],
                    at=now,
                    source=(
                        Administration.Source.SESSION
                        if in_session
                        else Administration.Source.CLIENT
                    ),
                )
        except measures.MeasureError as exc:
            raise MotivationContentError(exc.message) from None
        _close_requests(enrollment, "readiness", now)
        if in_session:
            core_events.record_change(
                actor=by, enrollment=enrollment, what=events.READINESS, path=path, at=now
            )
    return form


# --- decisional balance ------------------------------------------------------------


def save_balance(
    *,
    enrollment: Enrollment,
    content: Mapping[str, Iterable[Any]],
    by: Any,
    path: str = "",
    at: datetime | None = None,
) -> DecisionalBalance:
    """Save the four boxes as a new version; earlier versions stay as they were.

    Saving exactly what the newest version says, by the same person, makes no
    new version (a double tap or a retry) and returns that version.
    """
    in_session = _in_session(by, enrollment)
    text = tools.dumps(tools.normalise_balance(content))
    now = at or timezone.now()
    with transaction.atomic():
        try:
            balance, created = documents.save_version(
                model=DecisionalBalance,
                enrollment=enrollment,
                content=text,
                by=by,
                in_session=in_session,
                event_kind=events.BALANCE_SAVED,
                at=now,
                path=path,
            )
        except documents.VersionConflict:
            raise _same_moment() from None
        if created:
            _close_requests(enrollment, "balance", now)
    return balance


# --- values card sort --------------------------------------------------------------


def _same_sitting(latest: ValuesCardSort, by: Any, now: datetime) -> bool:
    return (
        latest.saved_by_id == by.pk
        and (now - latest.created_at).total_seconds() < SITTING_HOURS * 3600
    )


def save_sort(
    *,
    enrollment: Enrollment,
    piles: Mapping[str, str],
    by: Any,
    path: str = "",
    at: datetime | None = None,
) -> ValuesCardSort:
    """Sort the cards into piles: a new version. Top values that still qualify carry over.

    Sorting exactly as the newest version, by the same person, makes no new
    version and returns that version.
    """
    in_session = _in_session(by, enrollment)
    clean = tools.normalise_sort(piles, CARDS)
    now = at or timezone.now()

    def content(latest: ValuesCardSort | None) -> str:
        return tools.dumps(
            {"piles": clean, "top": tools.carry_top(latest.top, clean) if latest else []}
        )

    with transaction.atomic():
        try:
            sort, created = documents.save_version(
                model=ValuesCardSort,
                enrollment=enrollment,
                content=content,
                by=by,
                in_session=in_session,
                event_kind=events.VALUES_SORTED,
                at=now,
                unchanged=lambda latest: latest.piles == clean,
                fields={"updated_at": now},
                path=path,
            )
        except documents.VersionConflict:
            raise _same_moment() from None
        if created:
            _close_requests(enrollment, "values", now)
    return sort


def _update_top(
    *,
    enrollment: Enrollment,
    top: list[dict[str, str]],
    by: Any,
    in_session: bool,
    now: datetime,
    kind: str,
    path: str,
) -> ValuesCardSort:
    """Keep new top values (or their notes) with the newest sort.

    By the same person in the same sitting, the newest version is completed in
    place; otherwise it is a new version with the same piles.
    """
    with transaction.atomic():
        documents.lock_enrollment(enrollment)
        latest = documents.latest_version(ValuesCardSort, enrollment)
        if latest is None:
            raise MotivationContentError(_("Please sort the cards first."))
        clean = tools.normalise_top(top, latest.piles)
        if clean == latest.top:
            return latest
        text = tools.dumps({"piles": latest.piles, "top": clean})
        if _same_sitting(latest, by, now):
            # Finishing the sort just made: complete that version.
            latest.content = text
            latest.updated_at = now
            latest.save(update_fields=["content", "updated_at"])
            latest.__dict__.pop("data", None)
            sort = latest
            core_events.record(
                enrollment=enrollment,
                kind=kind,
                actor=by,
                data={"version": sort.version, "in_session": in_session},
                at=now,
                path=path,
            )
        else:
            try:
                sort, _created = documents.save_version(
                    model=ValuesCardSort,
                    enrollment=enrollment,
                    content=text,
                    by=by,
                    in_session=in_session,
                    event_kind=kind,
                    at=now,
                    fields={"updated_at": now},
                    path=path,
                )
            except documents.VersionConflict:
                raise _same_moment() from None
        _close_requests(enrollment, "values", now)
    return sort


def save_top(
    *,
    enrollment: Enrollment,
    cards: Iterable[str],
    by: Any,
    path: str = "",
    at: datetime | None = None,
) -> ValuesCardSort:
    """Choose up to five top values from the newest sort; notes already written stay."""
    in_session = _in_session(by, enrollment)
    chosen = list(dict.fromkeys(cards))
    if not chosen:
        raise MotivationContentError(
            _("Please choose at least one value, or go back to your cards.")
        )
    latest = documents.latest_version(ValuesCardSort, enrollment)
    notes = {t["card"]: t.get("note", "") for t in latest.top} if latest else {}
    return _update_top(
        enrollment=enrollment,
        top=[{"card": c, "note": notes.get(c, "")} for c in chosen],
        by=by,
        in_session=in_session,
        now=at or timezone.now(),
        kind=events.VALUES_TOP_CHOSEN,
        path=path,
    )


def save_top_notes(
    *,
    enrollment: Enrollment,
    notes: Mapping[str, str],
    by: Any,
    path: str = "",
    at: datetime | None = None,
) -> ValuesCardSort:
    """Write how the client's use fits or pulls against each top value (each optional)."""
    in_session = _in_session(by, enrollment)
    latest = documents.latest_version(ValuesCardSort, enrollment)
    if latest is None or not latest.top:
        raise MotivationContentError(_("Please choose your top values first."))
    top_cards = [t["card"] for t in latest.top]
    if set(notes) - set(top_cards):
        raise MotivationContentError(_("Notes go with your top values only."))
    return _update_top(
        enrollment=enrollment,
        top=[{"card": c, "note": notes.get(c, "")} for c in top_cards],
        by=by,
        in_session=in_session,
        now=at or timezone.now(),
        kind=events.VALUES_NOTES_WRITTEN,
        path=path,
    )


# --- stage of change -----------------------------------------------------------------


def record_stage(
    *,
    enrollment: Enrollment,
    stage: str,
    by: Any,
    note: str = "",
    view: str = StageOfChangeEntry.View.CLIENT,
    path: str = "",
    at: datetime | None = None,
) -> StageOfChangeEntry:
    """Keep where the client is with change today: their view, or the clinician's own."""
    in_session = _in_session(by, enrollment)
    if view not in StageOfChangeEntry.View.values or (
        view == StageOfChangeEntry.View.CLINICIAN and not in_session
    ):
        raise MotivationContentError(_("Please say whose view this is."))
    if tools.change_stage(stage) is None:
        raise MotivationContentError(_("Please choose the statement that fits best."))
    note = (note or "").strip()
    if len(note) > tools.NOTE_MAX_LENGTH:
        raise MotivationContentError(
            _("Please keep the note under %(n)d characters.") % {"n": tools.NOTE_MAX_LENGTH}
        )
    clinician_view = view == StageOfChangeEntry.View.CLINICIAN
    now = at or timezone.now()
    with transaction.atomic():
        entry = StageOfChangeEntry.objects.create(
            enrollment=enrollment,
            stage=stage,
            view=view,
            in_session=in_session and not clinician_view,
            note=note,
            recorded_at=now,
            recorded_by=by,
        )
        core_events.record(
            enrollment=enrollment,
            kind=events.STAGE_OF_CHANGE,
            actor=by,
            data={"stage": stage, "view": view, "in_session": entry.in_session},
            at=now,
            path=path,
        )
        if not clinician_view:
            _close_requests(enrollment, "stage", now)
    return entry


# --- asking the client -------------------------------------------------------------


def ask_client(
    *, enrollment: Enrollment, tool: str, by: Any, path: str = "", at: datetime | None = None
) -> tuple[MotivationRequest, bool]:
    """The clinician asks the client to use a tool; returns (request, newly asked)."""
    require(by, Action.ASSIGN_WORK, enrollment)
    if tool not in MotivationRequest.Tool.values:
        raise MotivationContentError(_("Please choose one of the four tools."))
    now = at or timezone.now()
    with transaction.atomic():
        documents.lock_enrollment(enrollment)
        existing = MotivationRequest.objects.filter(
            enrollment=enrollment, tool=tool, closed_at__isnull=True
        ).first()
        if existing is not None:
            return existing, False
        request = MotivationRequest.objects.create(
            enrollment=enrollment, tool=tool, asked_by=by, asked_at=now
        )
        core_events.record(
            enrollment=enrollment,
            kind=events.ASKED,
            actor=by,
            data={"tool": tool},
            at=now,
            path=path,
        )
    return request, True


def withdraw_request(
    *, enrollment: Enrollment, tool: str, by: Any, path: str = "", at: datetime | None = None
) -> bool:
    """Take a request back. Returns False if there was none open."""
    require(by, Action.ASSIGN_WORK, enrollment)
    now = at or timezone.now()
    with transaction.atomic():
        changed = MotivationRequest.objects.filter(
            enrollment=enrollment, tool=tool, closed_at__isnull=True
        ).update(closed_at=now, outcome="withdrawn")
        if not changed:
            return False
        core_events.record(
            enrollment=enrollment,
            kind=events.WITHDRAWN,
            actor=by,
            data={"tool": tool},
            at=now,
            path=path,
        )
    return True
