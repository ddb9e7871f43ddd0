"""Writes for the motivation tools: readiness, decisional balance, values, stage of change.

Every function takes keyword arguments and checks access itself: the client
may use their own tools (``Action.VIEW_OWN``); their primary clinician may
fill any of them with the client in session (``Action.ASSIGN_WORK``), which
marks the result as done in session and writes the audit trail. Each records
a discreet timeline event (nothing the client wrote goes into a summary) and
closes the clinician's open request for that tool, if there is one.
Bad input raises ``MotivationContentError`` with a message fit to show;
nothing is saved then.
"""

from __future__ import annotations

from collections.abc import Iterable, Mapping
from datetime import datetime
from typing import Any

from django.db import IntegrityError, transaction
from django.db.models import Max
from django.utils import timezone
from django.utils.translation import gettext as _

from waypost.access.policy import Action, require
from waypost.assessments import results as measure_results
from waypost.assessments import services as measures
from waypost.assessments.gates import READINESS_RULER
from waypost.assessments.models import Administration
from waypost.core import audit, timeline
from waypost.learn import motivation
from waypost.learn import motivation_selectors as selectors
from waypost.learn.models import (
    DecisionalBalance,
    MotivationRequest,
    StageOfChangeEntry,
    ValuesCardSort,
)
from waypost.learn.motivation import MotivationContentError
from waypost.learn.values_cards import CARDS
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


def _in_session_summary(summary: str, in_session: bool) -> str:
    return _("%(what)s in session") % {"what": summary} if in_session else summary


def _close_requests(enrollment: Enrollment, tool: str, at: datetime) -> None:
    MotivationRequest.objects.filter(
        enrollment=enrollment, tool=tool, closed_at__isnull=True
    ).update(closed_at=at, outcome="done")


def _lock(enrollment: Enrollment) -> None:
    # Two saves cannot take the same version number (a no-op on SQLite, whose
    # IMMEDIATE transactions already serialise writers).
    Enrollment.objects.select_for_update().filter(pk=enrollment.pk).first()


def _next_version(model: Any, enrollment: Enrollment) -> int:
    return (model.objects.filter(enrollment=enrollment).aggregate(n=Max("version"))["n"] or 0) + 1


_SAME_MOMENT = _("Someone saved this at the same moment. Please open it again and retry.")


# --- readiness ruler -----------------------------------------------------------------


def record_readiness(
    *, enrollment: Enrollment, value: Any, by: Any, path: str = "", at: datetime | None = None
) -> Administration:
    """Keep a readiness number (0–10) as a completed readiness-ruler questionnaire.

    When the client answers and a readiness ruler their clinician assigned is
    open, that form is the one completed; otherwise a new completed form is
    recorded, marked as filled in together in session when the clinician saves.
    """
    in_session = _in_session(by, enrollment)
    number = motivation.parse_readiness(value)
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
            audit.record_access(
                actor=by,
                enrollment=enrollment,
                action="change",
                what="readiness ruler",
                path=path,
                at=now,
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
    clean = motivation.normalise_balance(content)
    text = motivation.dumps(clean)
    now = at or timezone.now()
    with transaction.atomic():
        _lock(enrollment)
        latest = selectors.latest_balance(enrollment)
        if latest is not None and latest.saved_by_id == by.pk and latest.content == text:
            return latest
        number = _next_version(DecisionalBalance, enrollment)
        try:
            with transaction.atomic():
                balance = DecisionalBalance.objects.create(
                    enrollment=enrollment,
                    version=number,
                    created_at=now,
                    saved_by=by,
                    in_session=in_session,
                    content=text,
                )
        except IntegrityError:
            raise MotivationContentError(_SAME_MOMENT) from None
        summary = (
            _("Decisional balance written")
            if number == 1
            else _("Decisional balance updated (version %(n)d)") % {"n": number}
        )
        timeline.add_event(
            enrollment=enrollment,
            kind="learn.balance_saved",
            summary=_in_session_summary(summary, in_session),
            actor=by,
            data={"version": number, "in_session": in_session},
            at=now,
        )
        _close_requests(enrollment, "balance", now)
        audit.record_access(
            actor=by,
            enrollment=enrollment,
            action="change",
            what="decisional balance",
            path=path,
            at=now,
        )
    return balance


# --- values card sort --------------------------------------------------------------


def _new_sort(
    enrollment: Enrollment, piles: dict, top: list, by: Any, in_session: bool, now: datetime
) -> ValuesCardSort:
    number = _next_version(ValuesCardSort, enrollment)
    try:
        with transaction.atomic():
            return ValuesCardSort.objects.create(
                enrollment=enrollment,
                version=number,
                created_at=now,
                updated_at=now,
                saved_by=by,
                in_session=in_session,
                content=motivation.dumps({"piles": piles, "top": top}),
            )
    except IntegrityError:
        raise MotivationContentError(_SAME_MOMENT) from None


def _same_sitting(latest: ValuesCardSort | None, by: Any, now: datetime) -> bool:
    return (
        latest is not None
        and latest.saved_by_id == by.pk
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
    """Sort the cards into piles: a new version. Top values that still qualify carry over."""
    in_session = _in_session(by, enrollment)
    clean = motivation.normalise_sort(piles, CARDS)
    now = at or timezone.now()
    with transaction.atomic():
        _lock(enrollment)
        latest = selectors.latest_sort(enrollment)
        top = motivation.carry_top(latest.top, clean) if latest else []
        if latest is not None and latest.saved_by_id == by.pk and latest.piles == clean:
            return latest
        sort = _new_sort(enrollment, clean, top, by, in_session, now)
        summary = (
            _("Values card sort done")
            if sort.version == 1
            else _("Values card sort done again (version %(n)d)") % {"n": sort.version}
        )
        timeline.add_event(
            enrollment=enrollment,
            kind="learn.values_sorted",
            summary=_in_session_summary(summary, in_session),
            actor=by,
            data={"version": sort.version, "in_session": in_session},
            at=now,
        )
        _close_requests(enrollment, "values", now)
        audit.record_access(
            actor=by,
            enrollment=enrollment,
            action="change",
            what="values card sort",
            path=path,
            at=now,
        )
    return sort


def _update_top(
    *,
    enrollment: Enrollment,
    top: list[dict[str, str]],
    by: Any,
    in_session: bool,
    now: datetime,
    summary: str,
    kind: str,
    path: str,
) -> ValuesCardSort:
    with transaction.atomic():
        _lock(enrollment)
        latest = selectors.latest_sort(enrollment)
        if latest is None:
            raise MotivationContentError(_("Please sort the cards first."))
        clean = motivation.normalise_top(top, latest.piles)
        if clean == latest.top:
            return latest
        if _same_sitting(latest, by, now):
            # Finishing the sort just made: complete that version.
            latest.content = motivation.dumps({"piles": latest.piles, "top": clean})
            latest.updated_at = now
            latest.save(update_fields=["content", "updated_at"])
            latest.__dict__.pop("data", None)
            sort = latest
        else:
            sort = _new_sort(enrollment, latest.piles, clean, by, in_session, now)
        timeline.add_event(
            enrollment=enrollment,
            kind=kind,
            summary=_in_session_summary(summary, in_session),
            actor=by,
            data={"version": sort.version, "in_session": in_session},
            at=now,
        )
        _close_requests(enrollment, "values", now)
        audit.record_access(
            actor=by,
            enrollment=enrollment,
            action="change",
            what="values card sort",
            path=path,
            at=now,
        )
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
    latest = selectors.latest_sort(enrollment)
    notes = {t["card"]: t.get("note", "") for t in latest.top} if latest else {}
    return _update_top(
        enrollment=enrollment,
        top=[{"card": c, "note": notes.get(c, "")} for c in chosen],
        by=by,
        in_session=in_session,
        now=at or timezone.now(),
        summary=_("Top values chosen"),
        kind="learn.values_top_chosen",
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
    latest = selectors.latest_sort(enrollment)
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
        summary=_("Notes on top values written"),
        kind="learn.values_notes_written",
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
    if motivation.change_stage(stage) is None:
        raise MotivationContentError(_("Please choose the statement that fits best."))
    note = (note or "").strip()
    if len(note) > motivation.NOTE_MAX_LENGTH:
        raise MotivationContentError(
            _("Please keep the note under %(n)d characters.") % {"n": motivation.NOTE_MAX_LENGTH}
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
        if clinician_view:
            summary = _("Clinician's view of the stage of change recorded")
        else:
            summary = _in_session_summary(_("Stage of change recorded"), in_session)
        timeline.add_event(
            enrollment=enrollment,
            kind="learn.stage_of_change",
            summary=summary,
            actor=by,
            data={"stage": stage, "view": view, "in_session": entry.in_session},
            at=now,
        )
        if not clinician_view:
            _close_requests(enrollment, "stage", now)
        audit.record_access(
            actor=by,
            enrollment=enrollment,
            action="change",
            what="stage of change",
            path=path,
            at=now,
        )
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
        _lock(enrollment)
        existing = MotivationRequest.objects.filter(
            enrollment=enrollment, tool=tool, closed_at__isnull=True
        ).first()
        if existing is not None:
            return existing, False
        request = MotivationRequest.objects.create(
            enrollment=enrollment, tool=tool, asked_by=by, asked_at=now
        )
        _log_request(
            enrollment,
            tool,
            by=by,
            kind="learn.motivation_asked",
            summary=_("Asked to use a motivation tool: %(tool)s"),
            path=path,
            at=now,
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
        _log_request(
            enrollment,
            tool,
            by=by,
            kind="learn.motivation_withdrawn",
            summary=_("Request to use a motivation tool taken back: %(tool)s"),
            path=path,
            at=now,
        )
    return True


def _log_request(
    enrollment: Enrollment, tool: str, *, by: Any, kind: str, summary: str, path: str, at: datetime
) -> None:
    """A timeline line naming the tool, and the audit record of the change."""
    timeline.add_event(
        enrollment=enrollment,
        kind=kind,
        summary=summary % {"tool": MotivationRequest.Tool(tool).label},
        actor=by,
        data={"tool": tool},
        at=at,
    )
    audit.record_access(
        actor=by,
        enrollment=enrollment,
        action="change",
        what="motivation request",
        path=path,
        at=at,
    )
