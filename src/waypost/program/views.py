"""The client's own pages: today and the journey map."""

from __future__ import annotations

from django.contrib.auth.decorators import login_required
from django.http import HttpRequest, HttpResponse
from django.shortcuts import render
from django.views.decorators.http import require_safe

from waypost.access.policy import own_enrollment
from waypost.program import services


@login_required
@require_safe
def today(request: HttpRequest) -> HttpResponse:
    enrollment = own_enrollment(request.user)
    return render(
        request,
        "program/today.html",
        {"enrollment": enrollment, "steps": services.journey(enrollment)},
    )


@login_required
@require_safe
def journey(request: HttpRequest) -> HttpResponse:
    enrollment = own_enrollment(request.user)
    return render(
        request,
        "program/journey.html",
        {
            "enrollment": enrollment,
            "steps": services.journey(enrollment),
            "changes": enrollment.stage_changes.select_related("changed_by"),
        },
    )
