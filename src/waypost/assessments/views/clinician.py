"""The clinician's side: a client's measures, assigning them, sessions, forms, FHIR."""

from __future__ import annotations

from typing import TYPE_CHECKING

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import get_object_or_404, redirect, render
from django.utils import timezone
from django.utils.translation import gettext as _
from django.views.decorators.http import require_http_methods, require_POST, require_safe

from waypost.access.policy import Action, require
from waypost.assessments import catalog, fhir, results, services
from waypost.assessments.forms import AssignForm, ImportForm, MeasureSettingsForm, SessionForm
from waypost.assessments.models import Administration, Assignment, ClinicMeasureSettings, Session
from waypost.assessments.views.client import _json_download
from waypost.core import events
from waypost.program.models import Enrollment
from waypost.program.selectors import record_of_client
from waypost.safety.selectors import open_alerts_for

if TYPE_CHECKING:
    from waypost.accounts.http import AuthenticatedHttpRequest


def _record(request: HttpRequest, enrollment_id: int) -> Enrollment:
    return record_of_client(request.user, enrollment_id, path=request.path)


def _page(
    request: HttpRequest,
    enrollment: Enrollment,
    *,
    assign: AssignForm | None = None,
    session: SessionForm | None = None,
    upload: ImportForm | None = None,
    status: int = 200,
) -> HttpResponse:
    services.open_due_forms(enrollment=enrollment)
    now = timezone.now()
    return render(
        request,
        "assessments/clinician_measures.html",
        {
            "enrollment": enrollment,
            "histories": results.histories(enrollment, with_charts=True, mark_critical=True),
            "open_alerts": open_alerts_for(enrollment).count(),
            "assignments": Assignment.objects.filter(enrollment=enrollment, ended_at__isnull=True),
            "open_forms": [
                (f, f.entry)
                for f in Administration.objects.filter(
                    enrollment=enrollment,
                    status__in=[Administration.Status.OPEN, Administration.Status.IN_PROGRESS],
                ).order_by("closes_at")
            ],
            "recent_expired": results.recently_missed(enrollment),
            "sessions": Session.objects.filter(
                enrollment=enrollment, cancelled_at__isnull=True, starts_at__gt=now
            ),
            "assign_form": assign or AssignForm(clinic_id=enrollment.clinic_id),
            "session_form": session or SessionForm(),
            "import_form": upload or ImportForm(),
        },
        status=status,
    )


@login_required
@require_safe
def measures(request: AuthenticatedHttpRequest, enrollment_id: int) -> HttpResponse:
    enrollment = _record(request, enrollment_id)
    events.record_view(
        actor=request.user,
        enrollment=enrollment,
        what="measures",
        path=request.path,
    )
    return _page(request, enrollment)


@login_required
@require_POST
def assign(request: AuthenticatedHttpRequest, enrollment_id: int) -> HttpResponse:
    enrollment = _record(request, enrollment_id)
    require(request.user, Action.ASSIGN_WORK, enrollment)
    form = AssignForm(request.POST, clinic_id=enrollment.clinic_id)
    if form.is_valid():
        try:
            services.assign_measure(
                enrollment=enrollment,
                instrument_id=form.cleaned_data["instrument"],
                schedule=form.cleaned_data["schedule"],
                every_weeks=form.cleaned_data.get("every_weeks"),
                window_days=form.cleaned_data["window_days"],
                by=request.user,
            )
        except services.MeasureError as exc:
            form.add_error(None, exc.message)
        else:
            messages.success(request, _("Assigned. The client sees it on their Today page."))
            return redirect("assessments:clinician_measures", enrollment_id=enrollment.pk)
    return _page(request, enrollment, assign=form, status=400)


@login_required
@require_POST
def end_assignment(
    request: AuthenticatedHttpRequest, enrollment_id: int, assignment_id: int
) -> HttpResponse:
    enrollment = _record(request, enrollment_id)
    assignment = get_object_or_404(Assignment, pk=assignment_id, enrollment=enrollment)
    services.end_assignment(assignment=assignment, by=request.user)
    messages.success(request, _("Schedule ended. Forms already open stay open until they close."))
    return redirect("assessments:clinician_measures", enrollment_id=enrollment.pk)


@login_required
@require_POST
def plan_session(request: AuthenticatedHttpRequest, enrollment_id: int) -> HttpResponse:
    enrollment = _record(request, enrollment_id)
    form = SessionForm(request.POST)
    if form.is_valid():
        try:
            services.plan_session(
                enrollment=enrollment, starts_at=form.cleaned_data["starts_at"], by=request.user
            )
        except services.MeasureError as exc:
            form.add_error("starts_at", exc.message)
        else:
            messages.success(request, _("Session added."))
            return redirect("assessments:clinician_measures", enrollment_id=enrollment.pk)
    return _page(request, enrollment, session=form, status=400)


@login_required
@require_POST
def cancel_session(
    request: AuthenticatedHttpRequest, enrollment_id: int, session_id: int
) -> HttpResponse:
    enrollment = _record(request, enrollment_id)
    session = get_object_or_404(Session, pk=session_id, enrollment=enrollment)
    services.cancel_session(session=session, by=request.user)
    messages.success(request, _("Session removed."))
    return redirect("assessments:clinician_measures", enrollment_id=enrollment.pk)


@login_required
@require_POST
def import_response(request: AuthenticatedHttpRequest, enrollment_id: int) -> HttpResponse:
    enrollment = _record(request, enrollment_id)
    require(request.user, Action.ASSIGN_WORK, enrollment)
    form = ImportForm(request.POST, request.FILES)
    if form.is_valid():
        try:
            data = form.cleaned_data["file"]
            entry, answers, when = fhir.read_questionnaire_response(data, enrollment.clinic_id)
            imported = services.record_completed(
                uuid=fhir.response_uuid(data),
                enrollment=enrollment,
                instrument_id=entry.id,
                answers=answers,
                at=when,
                source=Administration.Source.IMPORT,
            )
        except (fhir.FhirImportError, services.MeasureError) as exc:
            form.add_error("file", exc.message)
        else:
            events.record_change(
                actor=request.user,
                enrollment=enrollment,
                what="measure imported",
                path=request.path,
            )
            messages.success(
                request,
                _("Imported %(name)s from %(date)s: %(total)s.")
                % {
                    "name": entry.instrument.short_name,
                    "date": timezone.localtime(when).date().isoformat(),
                    "total": imported.total_display,
                },
            )
            return redirect("assessments:clinician_measures", enrollment_id=enrollment.pk)
    return _page(request, enrollment, upload=form, status=400)


def _form_of(
    request: HttpRequest, enrollment_id: int, form_id: int
) -> tuple[Administration, catalog.Entry]:
    enrollment = _record(request, enrollment_id)
    form = get_object_or_404(Administration, pk=form_id, enrollment=enrollment)
    entry = form.entry
    if entry is None:
        raise Http404
    return form, entry


@login_required
@require_safe
def form_detail(
    request: AuthenticatedHttpRequest, enrollment_id: int, form_id: int
) -> HttpResponse:
    form, entry = _form_of(request, enrollment_id, form_id)
    events.record_view(
        actor=request.user,
        enrollment=form.enrollment,
        what="measure answers",
        path=request.path,
    )
    answers = form.answers
    critical = {c.link_id: c for c in entry.instrument.critical}
    rows = []
    for position, item in enumerate(entry.instrument.items, start=1):
        value = answers.get(item.link_id)
        option = item.option_for(value) if value is not None else None
        flagged = (
            item.link_id in critical
            and value is not None
            and value >= critical[item.link_id].min_score
        )
        rows.append({"position": position, "item": item, "option": option, "critical": flagged})
    return render(
        request,
        "assessments/clinician_form.html",
        {
            "form": form,
            "entry": entry,
            "rows": rows,
            "enrollment": form.enrollment,
            "subscales": results.subscale_scores(entry, form),
            "band_detail": results.band_detail(entry, form.band),
        },
    )


@login_required
@require_safe
def clinician_export_response(
    request: AuthenticatedHttpRequest, enrollment_id: int, form_id: int
) -> HttpResponse:
    form, _entry = _form_of(request, enrollment_id, form_id)
    events.record_view(actor=request.user, enrollment=form.enrollment, what="measure export")
    return _json_download(fhir.questionnaire_response(form), f"{form.instrument_id}-{form.pk}")


@login_required
@require_safe
def clinician_export_observation(
    request: AuthenticatedHttpRequest, enrollment_id: int, form_id: int
) -> HttpResponse:
    form, _entry = _form_of(request, enrollment_id, form_id)
    if form.status != Administration.Status.COMPLETED:
        raise Http404
    events.record_view(actor=request.user, enrollment=form.enrollment, what="measure export")
    return _json_download(fhir.observation(form), f"{form.instrument_id}-{form.pk}-score")


@login_required
@require_http_methods(["GET", "HEAD", "POST"])
def clinic_settings(request: AuthenticatedHttpRequest, slug: str) -> HttpResponse:
    from waypost.clinics.views._access import clinic_for

    clinic = clinic_for(request, slug)
    row, _created = ClinicMeasureSettings.objects.get_or_create(clinic=clinic)
    form = MeasureSettingsForm(request.POST or None, instance=row)
    if request.method == "POST":
        if form.is_valid():
            form.save()
            messages.success(
                request,
                _(
                    "Saved. New clients get the questionnaires chosen here, and every "
                    "record judges change this way."
                ),
            )
            return redirect("assessments:clinic_settings", slug=clinic.slug)
        return render(
            request,
            "assessments/clinic_settings.html",
            {"clinic": clinic, "form": form, "catalog": form.available},
            status=400,
        )
    return render(
        request,
        "assessments/clinic_settings.html",
        {"clinic": clinic, "form": form, "catalog": form.available},
    )
