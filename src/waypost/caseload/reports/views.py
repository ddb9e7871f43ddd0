"""Progress reports and the export of a client's whole record.

- ``reports/new/``: the client makes a report of their own (``MAKE_REPORT`` on their
  own enrollment, which comes from their roles, never from the URL);
- ``clients/<id>/reports/new/``: the primary clinician makes one (``MAKE_REPORT``);
- ``reports/<pk>/``: the report as a printable page, and ``reports/<pk>/progress-report.pdf``
  as a PDF: for the client and their primary clinician (``MAKE_REPORT``);
- ``clients/<id>/export/waypost-record.json`` and ``…/waypost-record-csv.zip``: the whole
  record, for the primary clinician (``EXPORT_RECORD``).

Making a report is a POST that redirects to the page or the PDF (POST-redirect-GET);
choices that cannot be used show the form again with a 400 and make nothing. Someone
else's client, or a report of one, answers 404, as the record does. The clinician's
reads are audited here: the page as a view, the PDF and the exports as exports.
"""

from __future__ import annotations

from typing import TYPE_CHECKING
from uuid import uuid4

from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied
from django.http import Http404, HttpResponse
from django.shortcuts import redirect, render
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import get_language
from django.views.decorators.http import require_http_methods, require_safe

from waypost.access.policy import Action, can, own_enrollment
from waypost.caseload.reports import content, csv_export, pdf, record_export, services
from waypost.caseload.reports import events as report_events
from waypost.caseload.reports.forms import ReportForm
from waypost.caseload.reports.models import ProgressReport
from waypost.core import events, exports
from waypost.program.selectors import record_of_client

if TYPE_CHECKING:
    from waypost.accounts.http import AuthenticatedHttpRequest
    from waypost.program.models import Enrollment


def _is_own(request: AuthenticatedHttpRequest, enrollment: Enrollment) -> bool:
    """The client's own program (the policy's VIEW_OWN), rather than a client's record."""
    return can(request.user, Action.VIEW_OWN, enrollment)


def _report_for(request: AuthenticatedHttpRequest, pk: int) -> ProgressReport:
    """A report of the client's own, or of one of the clinician's own clients; 404 otherwise."""
    report = (
        ProgressReport.objects.select_related(
            "made_by",
            "enrollment__client",
            "enrollment__clinic",
            "enrollment__primary_clinician__user",
        )
        .filter(pk=pk)
        .first()
    )
    if report is None:
        raise Http404
    if _is_own(request, report.enrollment):
        if not can(request.user, Action.MAKE_REPORT, report.enrollment):
            raise PermissionDenied
        return report
    report.enrollment = record_of_client(
        request.user, report.enrollment_id, Action.MAKE_REPORT, path=request.path
    )
    return report


@login_required
@require_http_methods(["GET", "POST"])
def mine_new(request: AuthenticatedHttpRequest) -> HttpResponse:
    """The client makes a report of their own progress."""
    enrollment = own_enrollment(request.user)
    if not can(request.user, Action.MAKE_REPORT, enrollment):
        raise PermissionDenied
    return _form(request, enrollment)


@login_required
@require_http_methods(["GET", "POST"])
def new(request: AuthenticatedHttpRequest, enrollment_id: int) -> HttpResponse:
    """The primary clinician makes a report for the client, or for a referral."""
    enrollment = record_of_client(
        request.user, enrollment_id, Action.MAKE_REPORT, path=request.path
    )
    return _form(request, enrollment)


def _form(request: AuthenticatedHttpRequest, enrollment: Enrollment) -> HttpResponse:
    form = ReportForm(request.POST or None, purpose=request.GET.get("purpose", ""))
    status = 200
    if request.method == "POST":
        if form.is_valid():
            data = form.cleaned_data
            try:
                report = services.make_report(
                    enrollment=enrollment,
                    by=request.user,
                    purpose=data["purpose"],
                    sections=list(data["sections"]),
                    start=data["start"],
                    end=data["end"],
                    client_uuid=data["client_uuid"],
                    path=request.path,
                )
            except services.ReportError as exc:
                form.add_error(None, exc.message)
            else:
                target = "reports:pdf" if request.POST.get("output") == "pdf" else "reports:show"
                return redirect(reverse(target, args=[report.pk]))
        status = 400
    elif not form.initial.get("client_uuid"):
        form.initial["client_uuid"] = uuid4()
    own = _is_own(request, enrollment)
    return render(
        request,
        "reports/form.html",
        {
            "enrollment": enrollment,
            "form": form,
            "own": own,
            "program_start": content.program_start(enrollment),
            "back": reverse("accounts:account")
            if own
            else reverse("caseload:record", args=[enrollment.pk]),
        },
        status=status,
    )


@login_required
@require_safe
def show(request: AuthenticatedHttpRequest, pk: int) -> HttpResponse:
    """The report as a page that prints cleanly on A4."""
    report = _report_for(request, pk)
    built = content.build(report)
    events.record_view(
        actor=request.user,
        enrollment=report.enrollment,
        what=report_events.AUDIT_REPORT,
        path=request.path,
    )
    own = _is_own(request, report.enrollment)
    return render(
        request,
        "reports/report.html",
        {
            "report": report,
            "built": built,
            "own": own,
            "back": reverse("accounts:account")
            if own
            else reverse("caseload:record", args=[report.enrollment_id]),
        },
    )


@login_required
@require_safe
def pdf_file(request: AuthenticatedHttpRequest, pk: int) -> HttpResponse:
    """The report as a PDF download, with a discreet file name."""
    report = _report_for(request, pk)
    now = timezone.now()
    built = content.build(report, now=now)
    data = pdf.render(built, now=now, language=get_language() or "en")
    events.record_view(
        actor=request.user,
        enrollment=report.enrollment,
        what=report_events.AUDIT_REPORT_PDF,
        path=request.path,
        export=True,
    )
    response = HttpResponse(data, content_type="application/pdf")
    response["Content-Disposition"] = f'attachment; filename="{built.filename}"'
    response["Cache-Control"] = "no-store"
    return response


@login_required
@require_safe
def export_json(request: AuthenticatedHttpRequest, enrollment_id: int) -> HttpResponse:
    """The whole record as one JSON file, with its FHIR Bundle; audited as an export."""
    enrollment = record_of_client(
        request.user, enrollment_id, Action.EXPORT_RECORD, path=request.path
    )
    now = timezone.now()
    data = record_export.document(enrollment, by=request.user, now=now)
    events.record_view(
        actor=request.user,
        enrollment=enrollment,
        what=report_events.AUDIT_EXPORT_JSON,
        path=request.path,
        export=True,
    )
    response = HttpResponse(exports.dumps(data), content_type="application/json; charset=utf-8")
    name = record_export.filename(now, ".json")
    response["Content-Disposition"] = f'attachment; filename="{name}"'
    response["Cache-Control"] = "no-store"
    return response


@login_required
@require_safe
def export_csv(request: AuthenticatedHttpRequest, enrollment_id: int) -> HttpResponse:
    """The whole record as a ZIP of CSV files, one a table; audited as an export."""
    enrollment = record_of_client(
        request.user, enrollment_id, Action.EXPORT_RECORD, path=request.path
    )
    now = timezone.now()
    data = record_export.document(enrollment, by=request.user, now=now)
    built = csv_export.build_zip(data, now=now)
    events.record_view(
        actor=request.user,
        enrollment=enrollment,
        what=report_events.AUDIT_EXPORT_CSV,
        path=request.path,
        export=True,
    )
    response = HttpResponse(built, content_type="application/zip")
    name = record_export.filename(now, "-csv.zip")
    response["Content-Disposition"] = f'attachment; filename="{name}"'
    response["Cache-Control"] = "no-store"
    return response
