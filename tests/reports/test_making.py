"""Making a report: the choices are checked, kept once, and recorded on the timeline (and,
when the clinician makes it, on the audit trail)."""

from __future__ import annotations

from datetime import UTC, date, datetime
from uuid import uuid4

import pytest
import time_machine
from django.core.exceptions import PermissionDenied

from tests.reports.helpers import a_report
from waypost.caseload.reports import events as report_events
from waypost.caseload.reports import sections as catalogue
from waypost.caseload.reports import services
from waypost.caseload.reports.models import ProgressReport
from waypost.core.models import AuditEvent, TimelineEvent

pytestmark = pytest.mark.django_db
NOW = datetime(2026, 3, 2, 2, 0, tzinfo=UTC)  # 10:00 on Monday 2 March in Singapore
TODAY = date(2026, 3, 2)
JOINED = date(2026, 1, 31)  # the cast's client joined 30 days before NOW


@pytest.fixture(autouse=True)
def _frozen():
    with time_machine.travel(NOW, tick=False):
        yield


def test_no_period_means_the_whole_program_and_sections_keep_the_reports_order(cast):
    report = a_report(cast, sections=[catalogue.STAGES, catalogue.MEASURES])
    assert (report.period_start, report.period_end) == (JOINED, TODAY)
    assert report.sections == [catalogue.MEASURES, catalogue.STAGES]
    assert report.made_by == cast.clinician


def test_a_start_before_the_program_is_taken_as_its_first_day(cast):
    report = a_report(cast, start=date(2025, 6, 1), end=date(2026, 2, 20))
    assert (report.period_start, report.period_end) == (JOINED, date(2026, 2, 20))


@pytest.mark.parametrize(
    ("choices", "message"),
    [
        ({"sections": ["measures", "diary"]}, "There is no section called “diary”."),
        ({"sections": []}, "Please tick at least one section."),
        ({"purpose": "insurer"}, "Please choose who the report is for."),
        ({"end": date(2026, 3, 3)}, "The period cannot end after today."),
        ({"start": date(2026, 3, 3)}, "The period cannot start after today."),
        ({"end": date(2026, 1, 1)}, "The period ends before the program began."),
        (
            {"start": date(2026, 2, 20), "end": date(2026, 2, 10)},
            "The period must start on or before the day it ends.",
        ),
    ],
)
def test_choices_that_cannot_make_a_report_say_why_and_write_nothing(cast, choices, message):
    fields = {"purpose": "client", "sections": ["measures"]} | choices
    with pytest.raises(services.ReportError) as refused:
        services.make_report(enrollment=cast.enrollment, by=cast.clinician, **fields)
    assert refused.value.message == message
    assert not ProgressReport.objects.exists()
    assert not TimelineEvent.objects.filter(kind=report_events.MADE).exists()


def test_a_double_tap_makes_one_report(cast):
    key = uuid4()
    first = a_report(cast, client_uuid=key)
    again = a_report(cast, client_uuid=key, sections=[catalogue.DAYS])
    assert again.pk == first.pk
    assert ProgressReport.objects.count() == 1
    assert TimelineEvent.objects.filter(kind=report_events.MADE).count() == 1


def test_the_clinicians_report_is_on_the_timeline_and_the_audit_trail(cast):
    a_report(
        cast,
        purpose="referral",
        sections=[catalogue.MEASURES, catalogue.DAYS],
        start=date(2026, 2, 1),
        end=date(2026, 2, 28),
    )
    event = TimelineEvent.objects.get(kind=report_events.MADE)
    assert event.actor == cast.clinician
    assert event.summary == (
        "Progress report made for a referral, 1 Feb 2026 to 28 Feb 2026: "
        "Measures and change, Streak and total days"
    )
    audit = AuditEvent.objects.get(what=report_events.AUDIT_REPORT)
    assert (audit.actor, audit.client, audit.action) == (
        cast.clinician,
        cast.client,
        AuditEvent.Action.CHANGE,
    )


def test_the_clients_own_report_is_on_their_timeline_but_not_the_audit_trail(cast):
    a_report(cast, by=cast.client)
    assert TimelineEvent.objects.filter(kind=report_events.MADE, actor=cast.client).exists()
    assert not AuditEvent.objects.filter(what=report_events.AUDIT_REPORT).exists()


@pytest.mark.parametrize("who", ["other_clinician", "admin", "ally_all", "foreign_clinician"])
def test_nobody_else_makes_a_report(cast, who):
    with pytest.raises(PermissionDenied):
        a_report(cast, by=getattr(cast, who))
    assert not ProgressReport.objects.exists()
