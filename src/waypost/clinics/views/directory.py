"""The public specialists directory: no sign-in needed, nothing about clients."""

from __future__ import annotations

import mimetypes

from django.http import FileResponse, Http404, HttpRequest, HttpResponse
from django.shortcuts import get_object_or_404, redirect, render
from django.views.decorators.http import require_safe

from waypost.clinics import selectors
from waypost.clinics.models import Clinic, ClinicianProfile


@require_safe
def directory(request: HttpRequest) -> HttpResponse:
    """Every clinic on this installation; with only one, go straight to its specialists."""
    clinics = Clinic.objects.all()
    if len(clinics) == 1:
        return redirect("clinics:clinic", slug=clinics[0].slug)
    return render(request, "clinics/directory.html", {"clinics": clinics})


@require_safe
def clinic_directory(request: HttpRequest, slug: str) -> HttpResponse:
    """A clinic's listed specialists, optionally only those who speak ``?language=``."""
    clinic = get_object_or_404(Clinic, slug=slug)
    profiles = list(selectors.listed_profiles(clinic))
    languages = selectors.directory_languages(profiles)
    language = request.GET.get("language", "").strip()[:60]
    shown = selectors.speaking(profiles, language) if language else profiles
    return render(
        request,
        "clinics/clinic.html",
        {
            "clinic": clinic,
            "profiles": shown,
            "languages": languages,
            "language": language,
            "total": len(profiles),
        },
    )


@require_safe
def specialist(request: HttpRequest, slug: str, profile_id: int) -> HttpResponse:
    clinic = get_object_or_404(Clinic, slug=slug)
    profile = get_object_or_404(selectors.listed_profiles(clinic), pk=profile_id)
    return render(request, "clinics/specialist.html", {"clinic": clinic, "profile": profile})


def photo_response(profile: ClinicianProfile, *, public: bool) -> FileResponse:
    """The stored photo of ``profile``, or 404 when there is none."""
    if not profile.photo:
        raise Http404
    try:
        handle = profile.photo.open("rb")
    except OSError:
        raise Http404 from None
    content_type = mimetypes.guess_type(profile.photo.name or "")[0] or "application/octet-stream"
    response = FileResponse(handle, content_type=content_type)
    response["Cache-Control"] = "public, max-age=3600" if public else "no-store, private"
    response["X-Content-Type-Options"] = "nosniff"
    return response


@require_safe
def specialist_photo(request: HttpRequest, slug: str, profile_id: int) -> FileResponse:
    profile = get_object_or_404(selectors.listed_profiles(), clinic__slug=slug, pk=profile_id)
    return photo_response(profile, public=True)
