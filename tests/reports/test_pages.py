"""The pages: the form for the client and the clinician, the printable report, the PDF download,
the cards on Me and on the record, and what each writes on the audit trail."""

from __future__ import annotations

import re
from datetime import UTC, datetime
from uuid import uuid4

import pytest
import time_machine
from django.urls import reverse

from tests.reports.helpers import a_report, fill_record
from waypost.caseload.reports import events as report_events
from waypost.caseload.reports import sections as catalogue
from waypost.caseload.reports.models import ProgressReport
from waypost.core.discretion import is_discreet
from waypost.core.models import AuditEvent

pytestmark = pytest.mark.django_db
NOW = datetime(2026, 3, 2, 2, 0, tzinfo=UTC)  # 10:00 on Monday 2 March in Singapore


@pytest.fixture(autouse=True)
def _frozen():
    with time_machine.travel(NOW, tick=False):
        yield


def _signed_in(client, user):
    client.logout()
    client.force_login(user)
    return client


def _checked(text: str, name: str) -> set[str]:
    """The values of the checked inputs called ``name`` on a page."""
    found = set()
    for tag in re.findall(r"<input[^>]*>", text):
        if f'name="{name}"' in tag and "checked" in tag:
            found.add(re.search(r'value="([^"]*)"', tag).group(1))
    return found


def _title(text: str) -> str:
    return re.search(r"<title>(.*?)</title>", text, re.S).group(1).strip()


def test_the_clinicians_form_for_a_referral_starts_with_fewer_sections(cast, client):
    url = reverse("reports:new", args=[cast.enrollment.pk]) + "?purpose=referral"
    page = _signed_in(client, cast.clinician).get(url)
    text = page.content.decode()
    assert page.status_code == 200
    assert _checked(text, "purpose") == {"referral"}
    assert _checked(text, "sections") == {"measures", "days", "stages"}
    assert "Progress report for Sam Client" in text
    assert is_discreet(_title(text))


def test_the_clients_own_form_starts_with_every_section(cast, client):
    page = _signed_in(client, cast.client).get(reverse("reports:mine_new"))
    text = page.content.decode()
    assert _checked(text, "purpose") == {"client"}
    assert _checked(text, "sections") == set(catalogue.KEYS)
    assert "A report of your progress" in text
    assert 'aria-current="page">Me<' in text  # the client reaches it from Me


def _post(client, url, **changes):
    data = {
        "purpose": "client",
        "sections": ["measures", "days"],
        "start": "",
        "end": "",
        "client_uuid": str(uuid4()),
        "output": "page",
    } | changes
    return client.post(url, data)


def test_making_a_report_shows_the_page_or_downloads_the_pdf(cast, client):
    url = reverse("reports:new", args=[cast.enrollment.pk])
    browser = _signed_in(client, cast.clinician)
    page = _post(browser, url)
    report = ProgressReport.objects.get()
    assert page.status_code == 302
    assert page["Location"] == reverse("reports:show", args=[report.pk])
    pdf = _post(browser, url, output="pdf")
    assert pdf["Location"] == reverse("reports:pdf", args=[ProgressReport.objects.first().pk])


def test_a_double_tap_on_make_gives_one_report(cast, client):
    url = reverse("reports:new", args=[cast.enrollment.pk])
    browser = _signed_in(client, cast.clinician)
    key = str(uuid4())
    first = _post(browser, url, client_uuid=key)
    second = _post(browser, url, client_uuid=key)
    assert first["Location"] == second["Location"]
    assert ProgressReport.objects.count() == 1


@pytest.mark.parametrize(
    ("changes", "message"),
    [
        ({"sections": ["measures", "journal"]}, "There is no section called “journal”."),
        ({"sections": []}, "Please tick at least one section."),
        ({"start": "2026-02-31"}, "Enter a valid date."),
        ({"end": "yesterday"}, "Enter a valid date."),
        ({"end": "2026-04-01"}, "The period cannot end after today."),
        ({"start": "2026-02-20", "end": "2026-02-10"}, "The period must start on or before"),
        ({"purpose": "insurer"}, "Select a valid choice."),
    ],
)
def test_bad_choices_answer_400_with_the_reason_and_no_file(cast, client, changes, message):
    url = reverse("reports:new", args=[cast.enrollment.pk])
    page = _post(_signed_in(client, cast.clinician), url, output="pdf", **changes)
    assert page.status_code == 400
    assert page["Content-Type"].startswith("text/html")
    assert message in page.content.decode()
    assert not ProgressReport.objects.exists()


def test_the_report_page_holds_the_chosen_sections_and_prints_without_navigation(cast, client):
    fill_record(cast, NOW)
    report = a_report(cast, sections=[catalogue.MEASURES, catalogue.STAGES])
    page = _signed_in(client, cast.clinician).get(reverse("reports:show", args=[report.pk]))
    text = page.content.decode()
    assert page.status_code == 200
    assert _title(text) == "Progress report · Waypost"
    assert "<h2" in text and "Measures and change" in text and "Stages of the program" in text
    for key in (catalogue.DAYS, catalogue.CHECK_INS, catalogue.ATTENDANCE, catalogue.GOALS):
        assert str(catalogue.BY_KEY[key].title) not in text
    assert '<svg class="trend"' in text  # the chart, inline, as on the measures page
    assert "/static/reports/reports.css" in text
    assert reverse("reports:pdf", args=[report.pk]) in text
    assert "<script>" not in text and "style=" not in text  # the strict CSP allows neither


def test_the_print_stylesheet_hides_the_navigation_on_a4():
    from pathlib import Path

    from django.contrib.staticfiles import finders

    css = Path(finders.find("reports/reports.css")).read_text(encoding="utf-8")
    assert "@page { size: A4" in css
    printed = css.split("@media print", 1)[1]
    for part in (".site-header", ".bottom-nav", ".report-actions"):
        assert part in printed


def test_the_pdf_downloads_with_a_discreet_name_and_title(cast, client):
    report = a_report(cast, sections=[catalogue.DAYS])
    answer = _signed_in(client, cast.clinician).get(reverse("reports:pdf", args=[report.pk]))
    assert answer.status_code == 200
    assert answer["Content-Type"] == "application/pdf"
    assert answer["Content-Disposition"] == 'attachment; filename="progress-report-2026-03-02.pdf"'
    assert answer["Cache-Control"] == "no-store"
    assert answer.content.startswith(b"%PDF-")


def test_the_clinicians_readings_are_audited_and_the_clients_are_not(cast, client):
    report = a_report(cast, sections=[catalogue.DAYS])
    browser = _signed_in(client, cast.clinician)
    browser.get(reverse("reports:show", args=[report.pk]))
    browser.get(reverse("reports:pdf", args=[report.pk]))
    seen = AuditEvent.objects.filter(actor=cast.clinician, client=cast.client)
    assert seen.filter(what=report_events.AUDIT_REPORT, action=AuditEvent.Action.VIEW).exists()
    assert seen.filter(
        what=report_events.AUDIT_REPORT_PDF, action=AuditEvent.Action.EXPORT
    ).exists()
    before = AuditEvent.objects.count()
    own = _signed_in(client, cast.client)
    assert own.get(reverse("reports:show", args=[report.pk])).status_code == 200
    assert own.get(reverse("reports:pdf", args=[report.pk])).status_code == 200
    assert AuditEvent.objects.count() == before


def test_someone_elses_report_is_not_found_and_the_attempt_is_on_the_trail(cast, client):
    report = a_report(cast)
    other = _signed_in(client, cast.other_clinician)
    assert other.get(reverse("reports:pdf", args=[report.pk])).status_code == 404
    assert AuditEvent.objects.filter(
        actor=cast.other_clinician, action=AuditEvent.Action.REFUSED
    ).exists()
    stranger = _signed_in(client, cast.foreign_client)
    assert stranger.get(reverse("reports:show", args=[report.pk])).status_code in (403, 404)
    assert (
        _signed_in(client, cast.client).get(reverse("reports:show", args=[987654])).status_code
        == 404
    )


def test_the_me_card_lists_the_clients_own_reports_and_leads_to_the_form(cast, client):
    mine = a_report(cast, by=cast.client)
    theirs = a_report(cast, purpose="referral")
    text = _signed_in(client, cast.client).get(reverse("accounts:account")).content.decode()
    assert "Make a progress report" in text
    assert reverse("reports:mine_new") in text
    assert reverse("reports:show", args=[mine.pk]) in text
    assert reverse("reports:show", args=[theirs.pk]) not in text


def test_the_record_card_offers_both_purposes_the_latest_reports_and_the_export(cast, client):
    report = a_report(cast, purpose="referral")
    text = (
        _signed_in(client, cast.clinician)
        .get(reverse("caseload:record", args=[cast.enrollment.pk]))
        .content.decode()
    )
    form = reverse("reports:new", args=[cast.enrollment.pk])
    assert f"{form}?purpose=client" in text and f"{form}?purpose=referral" in text
    assert reverse("reports:show", args=[report.pk]) in text
    assert reverse("reports:export_json", args=[cast.enrollment.pk]) in text
    assert reverse("reports:export_csv", args=[cast.enrollment.pk]) in text
