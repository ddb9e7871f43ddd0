"""Allies: the client's sharing settings and what an ally sees."""

from __future__ import annotations

from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied
from django.http import HttpRequest, HttpResponse
from django.shortcuts import render
from django.views.decorators.http import require_safe

from waypost.connect import scopes as scope_registry
from waypost.core.policy import Action, require, roles_of, visible_ally_links


@login_required
@require_safe
def allies(request: HttpRequest) -> HttpResponse:
    enrollment = roles_of(request.user).enrollment
    if enrollment is None:
        raise PermissionDenied
    require(request.user, Action.MANAGE_ALLIES, enrollment)
    links = enrollment.ally_links.filter(ended_at__isnull=True).select_related("ally")
    return render(
        request,
        "connect/allies.html",
        {"enrollment": enrollment, "links": links, "scopes": scope_registry.all_scopes()},
    )


@login_required
@require_safe
def ally_home(request: HttpRequest) -> HttpResponse:
    links = visible_ally_links(request.user)
    if not links:
        raise PermissionDenied
    return render(request, "connect/ally_home.html", {"links": links})
