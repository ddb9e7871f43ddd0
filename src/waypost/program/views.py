"""The client's own pages: today and the journey map."""

from __future__ import annotations

from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied
from django.http import HttpRequest, HttpResponse
from django.shortcuts import render
from django.views.decorators.http import require_safe

from waypost.access.policy import Action, require, roles_of
from waypost.program import services


def _own_enrollment(request: HttpRequest):
    enrollment = roles_of(request.user).enrollment
    if enrollment is None:
        raise PermissionDenied
    require(request.user, Action.VIEW_OWN, enrollment)
    return enrollment


@login_required
@require_safe
def today(request: HttpRequest) -> HttpResponse:
    enrollment = _own_enrollment(request)
    return render(
        request,
        "program/today.html",
        {"enrollment": enrollment, "steps": services.journey(enrollment)},
    )


@login_required
@require_safe
def journey(request: HttpRequest) -> HttpResponse:
    enrollment = _own_enrollment(request)
    return render(
        request,
        "program/journey.html",
        {
            "enrollment": enrollment,
            "steps": services.journey(enrollment),
            "changes": enrollment.stage_changes.select_related("changed_by"),
        },
    )
