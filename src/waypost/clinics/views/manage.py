"""The clinic admin's overview, settings, crisis lines and stage gate criteria."""

from __future__ import annotations

from typing import TYPE_CHECKING

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied
from django.http import HttpRequest, HttpResponse
from django.shortcuts import get_object_or_404, redirect, render
from django.utils.translation import gettext as _
from django.views.decorators.http import require_http_methods, require_POST, require_safe

from waypost.clinics import selectors, services
from waypost.clinics.forms import ClinicSettingsForm, CrisisLineForm, GateSettingsForm, MoveForm
from waypost.clinics.models import Clinic, CrisisLine
from waypost.clinics.selectors import admin_clinics
from waypost.clinics.views._access import clinic_for
from waypost.program.models import Enrollment
from waypost.program.selectors import roster_enrollments

if TYPE_CHECKING:
    from waypost.accounts.http import AuthenticatedHttpRequest


@login_required
@require_safe
def manage_index(request: AuthenticatedHttpRequest) -> HttpResponse:
    """The clinic admin's start page: each of their clinics at a glance, with the way in."""
    clinics = list(admin_clinics(request.user))
    if not clinics:
        raise PermissionDenied
    overview = [
        {
            "clinic": clinic,
            "crisis_lines": clinic.crisis_lines.count(),
            "clinicians": selectors.active_clinicians(clinic).count(),
            "invitations": selectors.pending_staff_invitations(clinic).count(),
            "clients": roster_enrollments(request.user, clinic)
            .filter(status=Enrollment.Status.ACTIVE)
            .count(),
        }
        for clinic in clinics
    ]
    return render(request, "clinics/manage_index.html", {"overview": overview})


@login_required
@require_http_methods(["GET", "POST"])
def clinic_settings(request: AuthenticatedHttpRequest, slug: str) -> HttpResponse:
    clinic = clinic_for(request, slug)
    form = ClinicSettingsForm(request.POST or None, clinic=clinic)
    if request.method == "POST":
        if form.is_valid():
            try:
                services.update_clinic_settings(clinic=clinic, by=request.user, **form.cleaned_data)
            except services.ClinicError as exc:
                form.add_error(None, exc.message)
            else:
                messages.success(request, _("Clinic settings saved."))
                return redirect("clinics:settings", slug=clinic.slug)
        clinic.refresh_from_db()
        return render(
            request, "clinics/settings.html", {"clinic": clinic, "form": form}, status=400
        )
    return render(request, "clinics/settings.html", {"clinic": clinic, "form": form})


def _lines_page(
    request: HttpRequest, clinic: Clinic, form: CrisisLineForm, status: int = 200
) -> HttpResponse:
    return render(
        request,
        "clinics/crisis_lines.html",
        {"clinic": clinic, "lines": list(clinic.crisis_lines.all()), "form": form},
        status=status,
    )


@login_required
@require_http_methods(["GET", "POST"])
def crisis_lines(request: AuthenticatedHttpRequest, slug: str) -> HttpResponse:
    """The clinic's crisis lines in the order clients see them, and a form to add one."""
    clinic = clinic_for(request, slug)
    form = CrisisLineForm(request.POST or None)
    if request.method == "POST":
        if form.is_valid():
            try:
                line = services.add_crisis_line(clinic=clinic, by=request.user, **form.cleaned_data)
            except services.ClinicError as exc:
                form.add_error(None, exc.message)
            else:
                messages.success(
                    request,
                    _("%(name)s added. Clients see it under “Get help now”.") % {"name": line.name},
                )
                return redirect("clinics:crisis_lines", slug=clinic.slug)
        return _lines_page(request, clinic, form, status=400)
    return _lines_page(request, clinic, form)


def _line(clinic: Clinic, line_id: int) -> CrisisLine:
    return get_object_or_404(CrisisLine, pk=line_id, clinic=clinic)


@login_required
@require_http_methods(["GET", "POST"])
def crisis_line_edit(request: AuthenticatedHttpRequest, slug: str, line_id: int) -> HttpResponse:
    clinic = clinic_for(request, slug)
    line = _line(clinic, line_id)
    initial = {key: getattr(line, key) for key in services.CRISIS_LINE_FIELDS}
    form = CrisisLineForm(request.POST or None, initial=initial)
    status = 200
    if request.method == "POST":
        if form.is_valid():
            try:
                services.update_crisis_line(line=line, by=request.user, **form.cleaned_data)
            except services.ClinicError as exc:
                form.add_error(None, exc.message)
            else:
                messages.success(request, _("Crisis line saved."))
                return redirect("clinics:crisis_lines", slug=clinic.slug)
        status = 400
    return render(
        request,
        "clinics/crisis_line_edit.html",
        {"clinic": clinic, "line": line, "form": form},
        status=status,
    )


@login_required
@require_http_methods(["GET", "POST"])
def crisis_line_delete(request: AuthenticatedHttpRequest, slug: str, line_id: int) -> HttpResponse:
    """Ask first (GET), then remove (POST)."""
    clinic = clinic_for(request, slug)
    line = _line(clinic, line_id)
    if request.method == "POST":
        services.delete_crisis_line(line=line, by=request.user)
        messages.success(request, _("%(name)s removed.") % {"name": line.name})
        return redirect("clinics:crisis_lines", slug=clinic.slug)
    remaining = clinic.crisis_lines.exclude(pk=line.pk).count()
    return render(
        request,
        "clinics/crisis_line_delete.html",
        {"clinic": clinic, "line": line, "remaining": remaining},
    )


@login_required
@require_POST
def crisis_line_move(request: AuthenticatedHttpRequest, slug: str, line_id: int) -> HttpResponse:
    clinic = clinic_for(request, slug)
    line = _line(clinic, line_id)
    form = MoveForm(request.POST)
    if form.is_valid():
        services.move_crisis_line(
            line=line, by=request.user, direction=form.cleaned_data["direction"]
        )
    else:
        messages.error(request, _("Please use the up and down buttons to move a line."))
    return redirect("clinics:crisis_lines", slug=clinic.slug)


@login_required
@require_http_methods(["GET", "POST"])
def gate_settings(request: AuthenticatedHttpRequest, slug: str) -> HttpResponse:
    """Which gate criteria each stage shows the clinician, and their numbers."""
    clinic = clinic_for(request, slug)
    form = GateSettingsForm(request.POST or None, stages=selectors.gate_stages(clinic))
    status = 200
    if request.method == "POST":
        if form.is_valid():
            try:
                services.update_gate_settings(
                    clinic=clinic, by=request.user, choices=form.choices()
                )
            except services.ClinicError as exc:
                form.add_error(None, exc.message)
            else:
                messages.success(request, _("Stage gate criteria saved."))
                return redirect("clinics:gates", slug=clinic.slug)
        status = 400
    return render(request, "clinics/gates.html", {"clinic": clinic, "form": form}, status=status)
