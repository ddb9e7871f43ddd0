"""Assigning measures, opening forms when they fall due, answering, scoring, importing.

Views, tasks, the demo and the API call these; each checks access through
``access.policy`` where a person acts, and writes the audit trail and the
client's timeline where someone other than the client acts.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime, timedelta
from typing import Any

from django.db import transaction
from django.utils import formats, timezone
from django.utils.translation import gettext as _

from waypost.access.policy import Action, require
from waypost.assessments import catalog, scoring, selectors
from waypost.assessments import events as measure_events
from waypost.assessments.models import Administration, Assignment, Session
from waypost.core import events
from waypost.core.errors import DomainError
from waypost.program.models import Enrollment

MAX_WINDOW_DAYS = 28
MAX_EVERY_WEEKS = 52


class MeasureError(DomainError):
    """Something a person asked for that cannot be done; ``message`` says why, kindly."""

    code = "measure_refused"


def entry_for(instrument_id: str) -> catalog.Entry:
    entry = catalog.get(instrument_id)
    if entry is None:
        raise MeasureError(_("There is no questionnaire called %(id)s.") % {"id": instrument_id})
    return entry


# --- assigning ------------------------------------------------------------------------


def assign_measure(
    *,
    enrollment: Enrollment,
    instrument_id: str,
    by: Any,
    schedule: str = Assignment.Schedule.ONCE,
    every_weeks: int | None = None,
    window_days: int = 7,
    at: datetime | None = None,
) -> Assignment:
    """Ask the client to fill in a questionnaire once or on a schedule; open it if due."""
    require(by, Action.ASSIGN_WORK, enrollment)
    entry = entry_for(instrument_id)
    if schedule not in Assignment.Schedule.values:
        raise MeasureError(_("Please choose when the questionnaire is due."))
    if schedule == Assignment.Schedule.EVERY_N_WEEKS:
        if not every_weeks or not 1 <= every_weeks <= MAX_EVERY_WEEKS:
            raise MeasureError(
                _("Please give how often, from every 1 to every %(n)d weeks.")
                % {"n": MAX_EVERY_WEEKS}
            )
    else:
        every_weeks = None
    if not 1 <= window_days <= MAX_WINDOW_DAYS:
        raise MeasureError(
            _("A questionnaire can stay open from 1 to %(n)d days.") % {"n": MAX_WINDOW_DAYS}
        )
    current = Assignment.objects.filter(
        enrollment=enrollment, instrument_id=entry.id, ended_at__isnull=True
    )
    if schedule != Assignment.Schedule.ONCE and current.exclude(schedule="once").exists():
        raise MeasureError(
            _("%(name)s is already on a schedule for this client. End that one first.")
            % {"name": entry.instrument.short_name}
        )
    if (
        schedule == Assignment.Schedule.ONCE
        and Administration.objects.filter(
            enrollment=enrollment,
            instrument_id=entry.id,
            status__in=[Administration.Status.OPEN, Administration.Status.IN_PROGRESS],
            closes_at__gt=at or timezone.now(),
        ).exists()
    ):
        raise MeasureError(
            _("%(name)s is already waiting for this client.")
            % {"name": entry.instrument.short_name}
        )
    now = at or timezone.now()
    with transaction.atomic():
        assignment = Assignment.objects.create(
            enrollment=enrollment,
            instrument_id=entry.id,
            schedule=schedule,
            every_weeks=every_weeks,
            window_days=window_days,
            starts_at=now,
            created_by=by,
            created_at=now,
        )
        events.record(
            enrollment=enrollment,
            kind=measure_events.ASSIGNED,
            actor=by,
            data={"assignment": assignment.pk, "instrument": entry.id},
            at=now,
        )
        open_due_forms(enrollment=enrollment, now=now)
    return assignment


def end_assignment(*, assignment: Assignment, by: Any, at: datetime | None = None) -> None:
    """Stop a schedule; forms already open stay open until they close."""
    require(by, Action.ASSIGN_WORK, assignment.enrollment)
    if assignment.ended_at is not None:
        return
    now = at or timezone.now()
    with transaction.atomic():
        Assignment.objects.filter(pk=assignment.pk).update(ended_at=now)
        assignment.ended_at = now
        events.record_change(
            actor=by,
            enrollment=assignment.enrollment,
            what="measure schedule ended",
            at=now,
        )


def plan_session(*, enrollment: Enrollment, starts_at: datetime, by: Any) -> Session:
    """Note the next session, so "before each session" questionnaires open ahead of it."""
    require(by, Action.ASSIGN_WORK, enrollment)
    now = timezone.now()
    if starts_at <= now:
        raise MeasureError(_("Please choose a time in the future."))
    if starts_at > now + timedelta(days=366):
        raise MeasureError(_("Please choose a time within the next year."))
    with transaction.atomic():
        session = Session.objects.create(enrollment=enrollment, starts_at=starts_at, created_by=by)
        events.record_change(actor=by, enrollment=enrollment, what="session planned")
        open_due_forms(enrollment=enrollment, now=now)
    return session


def cancel_session(*, session: Session, by: Any) -> None:
    """Remove a planned session; a form opened for it closes too."""
    require(by, Action.ASSIGN_WORK, session.enrollment)
    if session.cancelled_at is None:
        Session.objects.filter(pk=session.pk).update(cancelled_at=timezone.now())
        Administration.objects.filter(
            enrollment=session.enrollment,
            assignment__schedule=Assignment.Schedule.BEFORE_SESSION,
            closes_at=session.starts_at,
            status__in=[Administration.Status.OPEN, Administration.Status.IN_PROGRESS],
        ).update(status=Administration.Status.EXPIRED)
        events.record_change(actor=by, enrollment=session.enrollment, what="session cancelled")


# --- opening and closing forms -------------------------------------------------------


def open_due_forms(
    *, enrollment: Enrollment | None = None, now: datetime | None = None
) -> list[Administration]:
    """Create the forms that have fallen due, once each; return the new ones.

    Only the sweep (``tasks``) and POSTs call this: pages show what is due through
    ``selectors.waiting_forms`` without writing.
    """
    now = now or timezone.now()
    created = []
    for due in selectors.due_occurrences(enrollment=enrollment, now=now):
        form, made = Administration.objects.get_or_create(
            assignment=due.assignment,
            opens_at=due.opens,
            defaults={
                "enrollment": due.assignment.enrollment,
                "instrument_id": due.assignment.instrument_id,
                "instrument_version": _version(due.assignment.instrument_id),
                "closes_at": due.closes,
                "created_at": now,
            },
        )
        if made:
            created.append(form)
    return created


def start_due_form(
    *, assignment: Assignment, by: Any, at: datetime | None = None
) -> Administration:
    """The client starts a questionnaire that is due: its form, opened now if not yet.

    The POST behind a Start button for a form that fell due since the last sweep,
    so the client never waits for the background task.
    """
    require(by, Action.VIEW_OWN, assignment.enrollment)
    now = at or timezone.now()
    open_due_forms(enrollment=assignment.enrollment, now=now)
    form = (
        Administration.objects.filter(
            assignment=assignment,
            status__in=[Administration.Status.OPEN, Administration.Status.IN_PROGRESS],
            opens_at__lte=now,
            closes_at__gt=now,
        )
        .order_by("closes_at")
        .first()
    )
    if form is None:
        raise MeasureError(_("That questionnaire has closed. There is nothing you need to do."))
    return form


def expire_closed_forms(now: datetime | None = None) -> int:
    """Forms past their closing time that nobody finished: expired, kindly, not missed."""
    now = now or timezone.now()
    return Administration.objects.filter(
        status__in=[Administration.Status.OPEN, Administration.Status.IN_PROGRESS],
        closes_at__lte=now,
    ).update(status=Administration.Status.EXPIRED)


def _version(instrument_id: str) -> str:
    entry = catalog.get(instrument_id)
    return str(entry.questionnaire.get("version", "")) if entry else ""


# --- answering ------------------------------------------------------------------------


@dataclass(frozen=True)
class AnswerOutcome:
    """What answering one question led to: a critical answer needs support shown now."""

    critical: scoring.CriticalItem | None = None


def _check_open(form: Administration, now: datetime) -> None:
    if form.status == Administration.Status.COMPLETED:
        raise MeasureError(_("This questionnaire is already done. Thank you."))
    if form.status == Administration.Status.EXPIRED or form.closes_at <= now:
        raise MeasureError(_("This questionnaire has closed. Your clinician can open a new one."))
    if form.opens_at > now:
        raise MeasureError(_("This questionnaire is not open yet."))


def record_answer(
    *, form: Administration, link_id: str, value: Any, by: Any, at: datetime | None = None
) -> AnswerOutcome:
    """Keep one answer. A critical answer alerts the clinician at once, whatever comes next."""
    require(by, Action.VIEW_OWN, form.enrollment)
    now = at or timezone.now()
    _check_open(form, now)
    entry = entry_for(form.instrument_id)
    try:
        item = entry.instrument.item(link_id)
    except KeyError:
        raise MeasureError(_("That question is not part of this questionnaire.")) from None
    try:
        number = float(value)
    except (TypeError, ValueError):
        raise MeasureError(_("Please choose one of the answers.")) from None
    option = item.option_for(int(number) if number.is_integer() else number)
    if option is None:
        raise MeasureError(_("Please choose one of the answers."))
    critical = next(
        (
            c
            for c in entry.instrument.critical
            if c.link_id == link_id and option.score >= c.min_score and c.action == "crisis"
        ),
        None,
    )
    with transaction.atomic():
        form = Administration.objects.select_for_update().get(pk=form.pk)
        _check_open(form, now)
        answers = form.answers
        answers[link_id] = option.score
        form.answers = answers
        form.status = Administration.Status.IN_PROGRESS
        form.started_at = form.started_at or now
        fields = ["answers_data", "status", "started_at"]
        if critical is not None and form.alert_raised_at is None:
            _raise_critical_alert(form, entry, item, option, now)
            form.alert_raised_at = now
            fields.append("alert_raised_at")
        form.save(update_fields=fields)
    return AnswerOutcome(critical=critical)


def _raise_critical_alert(
    form: Administration,
    entry: catalog.Entry,
    item: scoring.Item,
    option: scoring.Option,
    now: datetime,
    notify: bool = True,
) -> None:
    from django.urls import reverse

    from waypost.safety.services import raise_alert

    position = entry.instrument.items.index(item) + 1
    raise_alert(
        enrollment=form.enrollment,
        kind="critical_item",
        summary=_('%(name)s question %(n)d ("%(question)s"): answered "%(answer)s"')
        % {
            "name": entry.instrument.short_name,
            "n": position,
            "question": item.text,
            "answer": option.display,
        },
        source_label=_("%(name)s, %(date)s")
        % {
            "name": entry.instrument.short_name,
            "date": formats.date_format(timezone.localtime(now), "j M Y"),
        },
        source_url=reverse("assessments:clinician_form", args=[form.enrollment_id, form.pk]),
        at=now,
        notify=notify,
    )


def submit(*, form: Administration, by: Any, at: datetime | None = None) -> scoring.Result:
    """Score a fully answered form and keep the result."""
    require(by, Action.VIEW_OWN, form.enrollment)
    now = at or timezone.now()
    with transaction.atomic():
        form = Administration.objects.select_for_update().get(pk=form.pk)
        _check_open(form, now)
        result = _complete(form, now)
    return result


def _complete(
    form: Administration, now: datetime, notify: bool = True, alert_at: datetime | None = None
) -> scoring.Result:
    entry = entry_for(form.instrument_id)
    answers = form.answers
    missing = [
        i + 1 for i, item in enumerate(entry.instrument.items) if item.link_id not in answers
    ]
    if missing:
        raise MeasureError(
            _("Some questions still need an answer: %(list)s.")
            % {"list": ", ".join(str(n) for n in missing)}
        )
    result = scoring.score(entry.instrument, [answers[i.link_id] for i in entry.instrument.items])
    form.total = result.total
    form.band = result.band or ""
    form.subscales = result.subscales
    form.flags = result.flags
    form.status = Administration.Status.COMPLETED
    form.completed_at = now
    form.save()
    if form.assignment_id and form.assignment.schedule == Assignment.Schedule.ONCE:
        # Done is done: a one-off leaves the list of schedules.
        Assignment.objects.filter(pk=form.assignment_id, ended_at__isnull=True).update(ended_at=now)
    events.record(
        enrollment=form.enrollment,
        kind=measure_events.COMPLETED,
        actor=None,
        data={"form": form.pk, "instrument": entry.id},
        at=now,
    )
    # A critical answer that came in without passing through record_answer (an import)
    # still reaches the clinician.
    if form.alert_raised_at is None:
        for critical in entry.instrument.critical:
            if critical.flag in result.flags and critical.action == "crisis":
                item = entry.instrument.item(critical.link_id)
                option = item.option_for(answers[critical.link_id])
                # The alert is new when Waypost learns of it, even for an old form.
                raised = alert_at or timezone.now()
                _raise_critical_alert(form, entry, item, option, raised, notify=notify)
                form.alert_raised_at = raised
                form.save(update_fields=["alert_raised_at"])
                break
    return result


def record_completed(
    *,
    enrollment: Enrollment,
    instrument_id: str,
    answers: list[float | int],
    at: datetime,
    source: str = Administration.Source.CLIENT,
    assignment: Assignment | None = None,
    alert: bool = True,
    notify: bool = True,
    alert_at: datetime | None = None,
    uuid: Any = None,
) -> Administration:
    """A form completed at ``at`` with these answers (imports and the demo's history).

    A critical answer raises an alert dated ``alert_at`` (default: now, since that is
    when Waypost learns of it). ``uuid`` keeps an imported response's id, so the same
    response cannot be imported twice.
    """
    entry = entry_for(instrument_id)
    try:
        scoring.check_answers(entry.instrument, answers)
    except scoring.AnswerError as exc:
        raise MeasureError(str(exc)) from exc
    if uuid is not None and Administration.objects.filter(uuid=uuid).exists():
        raise MeasureError(_("This response has already been imported."))
    form = Administration(
        enrollment=enrollment,
        assignment=assignment,
        instrument_id=entry.id,
        instrument_version=str(entry.questionnaire.get("version", "")),
        source=source,
        opens_at=at,
        closes_at=at + timedelta(days=7),
        started_at=at,
        created_at=at,
        alert_raised_at=None if alert else at,
    )
    form.answers = {
        item.link_id: value for item, value in zip(entry.instrument.items, answers, strict=True)
    }
    if uuid is not None:
        form.uuid = uuid
    form.save()
    _complete(form, at, notify=notify, alert_at=alert_at)
    return form
