"""The client's groups: ``connect/groups/`` and leaving one (``connect/groups/<id>/leave/``).

Both find the client's enrollment through ``own_enrollment`` (never from the URL) and
their places among their own, so someone else's id is a plain 404.
"""

from __future__ import annotations

from typing import TYPE_CHECKING

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.http import Http404, HttpResponse
from django.shortcuts import redirect, render
from django.urls import URLPattern, path
from django.utils import timezone
from django.utils.translation import gettext as _
from django.views.decorators.http import require_http_methods, require_safe

from waypost.access.policy import own_enrollment
from waypost.connect.groups import selectors, services
from waypost.connect.groups.models import GroupMember

if TYPE_CHECKING:
    from waypost.accounts.http import AuthenticatedHttpRequest


@login_required
@require_safe
def mine(request: AuthenticatedHttpRequest) -> HttpResponse:
    """The client's groups: when and where each meets next, and any change."""
    enrollment = own_enrollment(request.user)
    groups = selectors.own_groups(enrollment, timezone.now())
    return render(request, "group_therapy/mine.html", {"groups": groups})


@login_required
@require_http_methods(["GET", "POST"])
def leave(request: AuthenticatedHttpRequest, member_id: int) -> HttpResponse:
    """Give up one's place in a group, after a calm confirmation."""
    enrollment = own_enrollment(request.user)
    member = (
        GroupMember.objects.filter(pk=member_id, enrollment=enrollment, left_at__isnull=True)
        .select_related("programme")
        .first()
    )
    if member is None:
        raise Http404
    if request.method == "POST":
        member.enrollment = enrollment
        services.leave(member=member, by=request.user)
        messages.success(
            request,
            _(
                "You have left “%(group)s”. If you would like to come back, your clinician "
                "can give you a place again."
            )
            % {"group": member.programme.name},
        )
        return redirect("group_therapy:mine")
    return render(request, "group_therapy/leave.html", {"member": member})


urlpatterns: list[URLPattern] = [
    path("connect/groups/", mine, name="mine"),
    path("connect/groups/<int:member_id>/leave/", leave, name="leave"),
]
