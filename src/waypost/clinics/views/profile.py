"""The clinician's own public profile, at each clinic they work for."""

from __future__ import annotations

from typing import TYPE_CHECKING

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied
from django.http import FileResponse, Http404, HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.urls import reverse
from django.utils.translation import gettext as _
from django.views.decorators.http import require_http_methods, require_safe

from waypost.access.policy import roles_of
from waypost.clinics import services
from waypost.clinics.forms import ProfileForm
from waypost.clinics.models import ClinicianProfile
from waypost.clinics.views.directory import photo_response

if TYPE_CHECKING:
    from waypost.accounts.http import AuthenticatedHttpRequest


def _own_profiles(request: HttpRequest) -> list[ClinicianProfile]:
    profiles = roles_of(request.user).clinician_profiles
    if not profiles:
        raise PermissionDenied
    return sorted(profiles, key=lambda p: p.clinic.name)


@login_required
@require_http_methods(["GET", "POST"])
def my_profile(request: AuthenticatedHttpRequest) -> HttpResponse:
    """Edit what the directory shows about you; ``?clinic=<slug>`` picks the clinic."""
    profiles = _own_profiles(request)
    slug = request.GET.get("clinic")
    if slug:
        profile = next((p for p in profiles if p.clinic.slug == slug), None)
        if profile is None:
            raise Http404
    else:
        profile = profiles[0]
    form = ProfileForm(request.POST or None, request.FILES or None, profile=profile)
    status = 200
    if request.method == "POST":
        if form.is_valid():
            data = form.cleaned_data
            services.update_own_profile(
                profile=profile,
                by=request.user,
                title=data["title"],
                languages=data["languages"],
                qualifications=data["qualifications"],
                years_experience=data["years_experience"],
                bio=data["bio"],
                listed=data["listed"],
                photo=data["photo"],
                remove_photo=data.get("remove_photo", False),
            )
            messages.success(request, _("Your profile is saved."))
            return redirect(reverse("clinics:my_profile") + f"?clinic={profile.clinic.slug}")
        status = 400
    return render(
        request,
        "clinics/my_profile.html",
        {"profile": profile, "profiles": profiles, "form": form},
        status=status,
    )


@login_required
@require_safe
def my_photo(request: AuthenticatedHttpRequest, profile_id: int) -> FileResponse:
    """Your own photo, shown in the editor even while you're not in the directory."""
    profile = next((p for p in _own_profiles(request) if p.pk == profile_id), None)
    if profile is None:
        raise Http404
    return photo_response(profile, public=False)
