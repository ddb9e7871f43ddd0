"""The client's own pages: today, the journey map and the welcome."""

from __future__ import annotations

from typing import TYPE_CHECKING

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.http import HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.utils.translation import gettext as _
from django.views.decorators.http import require_http_methods, require_safe

from waypost.access.policy import own_enrollment
from waypost.core import nav
from waypost.program import services
from waypost.program.today import today_context

if TYPE_CHECKING:
    from waypost.accounts.http import AuthenticatedHttpRequest


@login_required
@require_safe
def today(request: HttpRequest) -> HttpResponse:
    enrollment = own_enrollment(request.user)
    return render(
        request,
        "program/today.html",
        {
            "enrollment": enrollment,
            "steps": services.journey(enrollment),
            **today_context(request, enrollment),
        },
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
            "links": nav.journey_links(enrollment.stage),
            "changes": enrollment.stage_changes.select_related("changed_by"),
        },
    )


@login_required
@require_http_methods(["GET", "POST"])
def welcome(request: AuthenticatedHttpRequest) -> HttpResponse:
    """What Waypost is, who sees what, where help is, and three things to do first.

    Offered once: after accepting the invitation and, until it is closed, on
    Today. Closing it (Skip, or Go to Today) is a POST that notes it was seen;
    reading it again from "Me" writes nothing.
    """
    enrollment = own_enrollment(request.user)
    if request.method == "POST":
        first_time = enrollment.welcomed_at is None
        services.mark_welcomed(enrollment=enrollment, by=request.user)
        if first_time and request.POST.get("skip"):
            messages.info(request, _("You can read the welcome again from Me whenever you like."))
        return redirect("program:today")
    return render(
        request,
        "program/welcome.html",
        {"enrollment": enrollment, "first_time": enrollment.welcomed_at is None},
    )
