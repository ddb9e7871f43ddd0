"""The public specialists directory and the clinic admin's pages."""

from __future__ import annotations

import mimetypes

from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied
from django.http import FileResponse, Http404, HttpRequest, HttpResponse
from django.shortcuts import get_object_or_404, redirect, render
from django.views.decorators.http import require_safe

from waypost.clinics.models import Clinic, ClinicianProfile
from waypost.core.policy import admin_clinics


def _listed(clinic: Clinic | None = None):
    qs = ClinicianProfile.objects.filter(listed=True, is_active=True).select_related(
        "user", "clinic"
    )
    return qs.filter(clinic=clinic) if clinic else qs


@require_safe
def directory(request: HttpRequest) -> HttpResponse:
    """Every clinic on this installation with its listed specialists; no login needed."""
    clinics = Clinic.objects.all()
    if len(clinics) == 1:
        return redirect("clinics:clinic", slug=clinics[0].slug)
    return render(request, "clinics/directory.html", {"clinics": clinics})


@require_safe
def clinic_directory(request: HttpRequest, slug: str) -> HttpResponse:
    clinic = get_object_or_404(Clinic, slug=slug)
    return render(request, "clinics/clinic.html", {"clinic": clinic, "profiles": _listed(clinic)})


@require_safe
def specialist(request: HttpRequest, slug: str, profile_id: int) -> HttpResponse:
    clinic = get_object_or_404(Clinic, slug=slug)
    profile = get_object_or_404(_listed(clinic), pk=profile_id)
    return render(request, "clinics/specialist.html", {"clinic": clinic, "profile": profile})


@require_safe
def specialist_photo(request: HttpRequest, slug: str, profile_id: int) -> FileResponse:
    profile = get_object_or_404(_listed(), clinic__slug=slug, pk=profile_id)
    if not profile.photo:
        raise Http404
    try:
        handle = profile.photo.open("rb")
    except OSError:
        raise Http404 from None
    content_type = mimetypes.guess_type(profile.photo.name)[0] or "application/octet-stream"
    response = FileResponse(handle, content_type=content_type)
    response["Cache-Control"] = "public, max-age=3600"
    return response


@login_required
@require_safe
def manage_index(request: HttpRequest) -> HttpResponse:
    """The clinic admin's start page: their clinic(s) at a glance."""
    clinics = admin_clinics(request.user)
    if not clinics:
        raise PermissionDenied
    return render(request, "clinics/manage_index.html", {"clinics": clinics})
