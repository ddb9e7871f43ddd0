"""Making a progress report: checking the choices, keeping them, and recording it.

The client (their own) or their primary clinician (``Action.MAKE_REPORT``). A report
is a row of choices (purpose, sections, period) and a line on the client's timeline;
when the clinician makes it, the timeline write also puts it on the audit trail. Its
content is made from the record whenever it is opened (``content.build``).
"""

from __future__ import annotations

from datetime import date, datetime
from typing import TYPE_CHECKING
from uuid import UUID, uuid4

from django.db import IntegrityError, transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from waypost.access.policy import Action, require
from waypost.caseload.reports import events as report_events
from waypost.caseload.reports import sections as catalogue
from waypost.caseload.reports.content import program_start
from waypost.caseload.reports.models import ProgressReport
from waypost.core import events
from waypost.core.errors import DomainError
from waypost.recovery.selectors import client_today

if TYPE_CHECKING:
    from django.contrib.auth.models import _User as User

    from waypost.program.models import Enrollment


class ReportError(DomainError):
    """Choices a report cannot be made from; ``message`` says why."""

    code = "report_refused"


def check_choices(
    *,
    enrollment: Enrollment,
    purpose: str,
    sections: list[str],
    start: date | None,
    end: date | None,
    now: datetime | None = None,
) -> tuple[list[str], date, date]:
    """The sections in order and the period, or :class:`ReportError` saying what is wrong.

    No period given: the whole program, from the day the client joined to their today.
    A start before the program began is taken as the program's first day.
    """
    if purpose not in ProgressReport.Purpose.values:
        raise ReportError(_("Please choose who the report is for."))
    unknown = [key for key in sections if key not in catalogue.BY_KEY]
    if unknown:
        raise ReportError(_("There is no section called “%(name)s”.") % {"name": unknown[0][:40]})
    chosen = catalogue.in_order(sections)
    if not chosen:
        raise ReportError(_("Please tick at least one section."))
    today = client_today(enrollment, now)
    first_day = program_start(enrollment)
    if start is not None and start > today:
        raise ReportError(_("The period cannot start after today."))
    end = end or today
    start = max(start or first_day, first_day)
    if end > today:
        raise ReportError(_("The period cannot end after today."))
    if end < first_day:
        raise ReportError(_("The period ends before the program began."))
    if start > end:
        raise ReportError(_("The period must start on or before the day it ends."))
    return chosen, start, end


def make_report(
    *,
    enrollment: Enrollment,
    by: User,
    purpose: str,
    sections: list[str],
    start: date | None = None,
    end: date | None = None,
    client_uuid: UUID | None = None,
    path: str = "",
    at: datetime | None = None,
) -> ProgressReport:
    """Keep a report's choices and record that it was made; returns the report.

    The same ``client_uuid`` sent twice returns the report already made (a double tap).
    Nothing is written when anything is refused.
    """
    require(by, Action.MAKE_REPORT, enrollment)
    now = at or timezone.now()
    chosen, start, end = check_choices(
        enrollment=enrollment, purpose=purpose, sections=sections, start=start, end=end, now=now
    )
    uuid = client_uuid or uuid4()
    existing = ProgressReport.objects.filter(enrollment=enrollment, client_uuid=uuid).first()
    if existing is not None:
        return existing
    try:
        with transaction.atomic():
            report = ProgressReport.objects.create(
                enrollment=enrollment,
                client_uuid=uuid,
                purpose=purpose,
                sections=chosen,
                period_start=start,
                period_end=end,
                made_by=by,
                made_at=now,
            )
            events.record(
                enrollment=enrollment,
                kind=report_events.MADE,
                actor=by,
                data={
                    "report": report.pk,
                    "purpose": purpose,
                    "sections": chosen,
                    "start": start.isoformat(),
                    "end": end.isoformat(),
                },
                at=now,
                path=path,
            )
    except IntegrityError:
        stored = ProgressReport.objects.filter(enrollment=enrollment, client_uuid=uuid).first()
        if stored is None:
            raise
        return stored
    return report
