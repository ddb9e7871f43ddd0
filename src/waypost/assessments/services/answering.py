"""Answering a questionnaire one question at a time, scoring it, and importing results.

A critical answer raises a risk alert for the clinician at once, whatever comes next.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime, timedelta
from typing import TYPE_CHECKING, Any
from uuid import UUID

from django.db import IntegrityError, transaction
from django.urls import reverse
from django.utils import formats, timezone
from django.utils.translation import gettext as _

from waypost.access.policy import Action, require
from waypost.assessments import catalog, scoring
from waypost.assessments import events as measure_events
from waypost.assessments.models import Administration, Assignment
from waypost.assessments.services.common import MeasureError, entry_for
from waypost.core import events
from waypost.program.models import Enrollment
from waypost.safety.services import raise_alert

if TYPE_CHECKING:
    from django.contrib.auth.models import _User as User


@dataclass(frozen=True)
class AnswerOutcome:
    """What answering one question led to: a critical answer needs support shown now."""

    critical: scoring.CriticalItem | None = None


def _entry_of(form: Administration) -> catalog.Entry:
    """The questionnaire exactly as this form was opened with (a clinic's version stays)."""
    entry = form.entry
    if entry is None:
        raise MeasureError(_("This questionnaire is no longer available."))
    return entry


def _check_open(form: Administration, now: datetime) -> None:
    if form.status == Administration.Status.COMPLETED:
        raise MeasureError(_("This questionnaire is already done. Thank you."))
    if form.status == Administration.Status.EXPIRED or form.closes_at <= now:
        raise MeasureError(_("This questionnaire has closed. Your clinician can open a new one."))
    if form.opens_at > now:
        raise MeasureError(_("This questionnaire is not open yet."))


def record_answer(
    *, form: Administration, link_id: str, value: Any, by: User, at: datetime | None = None
) -> AnswerOutcome:
    """Keep one answer. A critical answer alerts the clinician at once, whatever comes next."""
    require(by, Action.VIEW_OWN, form.enrollment)
    now = at or timezone.now()
    _check_open(form, now)
    entry = _entry_of(form)
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


def answer_severity(item: scoring.Item, option: scoring.Option) -> int:
    """How severe a critical answer is, 0 to 100: where it lies between the question's
    mildest and most severe answers (for a critical item a higher score is the more
    severe, as its ``min_score`` rule says). The risk inbox sorts by it, most severe
    first (``safety.models.RiskAlert.severity``). A question with one answer is 100.
    """
    span = float(item.high) - float(item.low)
    if span <= 0:
        return 100
    return max(0, min(100, round(100 * (float(option.score) - float(item.low)) / span)))


def _raise_critical_alert(
    form: Administration,
    entry: catalog.Entry,
    item: scoring.Item,
    option: scoring.Option,
    now: datetime,
    notify: bool = True,
) -> None:
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
        severity=answer_severity(item, option),
    )


def submit(*, form: Administration, by: User, at: datetime | None = None) -> scoring.Result:
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
    entry = _entry_of(form)
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
    if form.assignment is not None and form.assignment.schedule == Assignment.Schedule.ONCE:
        # Done is done: a one-off leaves the list of schedules.
        Assignment.objects.filter(pk=form.assignment.pk, ended_at__isnull=True).update(ended_at=now)
    events.record(
        enrollment=form.enrollment,
        kind=measure_events.COMPLETED,
        actor=None,
        data=measure_events.data_for(entry, form=form.pk),
        at=now,
    )
    # A critical answer that came in without passing through record_answer (an import)
    # still reaches the clinician.
    if form.alert_raised_at is None:
        for critical in entry.instrument.critical:
            if critical.flag in result.flags and critical.action == "crisis":
                item = entry.instrument.item(critical.link_id)
                option = item.option_for(answers[critical.link_id])
                if option is None:  # answers were checked against the options above
                    continue
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
    uuid: UUID | None = None,
) -> Administration:
    """A form completed at ``at`` with these answers (imports and the demo's history).

    A critical answer raises an alert dated ``alert_at`` (default: now, since that is
    when Waypost learns of it). ``uuid`` keeps an imported response's id, so the same
    response cannot be imported twice into this client's record, not even by two
    imports at the same moment. Only this record is looked at: a form with the same id
    in another client's record (another clinic's, perhaps) neither blocks the import
    nor shows that it exists. All or nothing: a refusal leaves no form and no event.
    """
    entry = entry_for(instrument_id, enrollment.clinic_id)
    try:
        scoring.check_answers(entry.instrument, answers)
    except scoring.AnswerError as exc:
        raise MeasureError(str(exc)) from exc
    form = Administration(
        enrollment=enrollment,
        assignment=assignment,
        instrument_id=entry.id,
        instrument_version=str(entry.questionnaire.get("version", ""))[:32],
        clinic_instrument_id=entry.upload_id,
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
    try:
        with transaction.atomic():
            if uuid is not None and _imported(enrollment, uuid):
                raise MeasureError(_("This response has already been imported."))
            form.save()
            _complete(form, at, notify=notify, alert_at=alert_at)
    except IntegrityError:
        # The same response, imported at the same moment, was saved first: the
        # database's constraint is exactly the check above.
        if uuid is not None and _imported(enrollment, uuid):
            raise MeasureError(_("This response has already been imported.")) from None
        raise
    return form


def _imported(enrollment: Enrollment, uuid: UUID) -> bool:
    """Whether this client's record already has the response ``uuid`` (no other record)."""
    return Administration.objects.filter(enrollment=enrollment, uuid=uuid).exists()
