"""The motivation overview, and the clinician asking the client to fill in a tool."""

from __future__ import annotations

from typing import TYPE_CHECKING

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.http import HttpResponse
from django.shortcuts import redirect, render
from django.utils.translation import gettext as _
from django.views.decorators.http import require_POST, require_safe

from waypost.motivation import events, selectors, services
from waypost.motivation.forms import AskForm
from waypost.motivation.models import MotivationRequest
from waypost.motivation.views.seat import (
    Seat,
    clients_seat,
    context,
    own_seat,
    viewed,
)

if TYPE_CHECKING:
    from waypost.accounts.http import AuthenticatedHttpRequest


def _overview(request: AuthenticatedHttpRequest, seat: Seat) -> HttpResponse:
    viewed(request, seat, events.OVERVIEW)
    state = selectors.overview(seat.enrollment, with_clinician_view=not seat.for_client)
    return render(
        request,
        "motivation/overview.html",
        context(
            seat,
            state=state,
            ruler=selectors.ruler(),
            tools=[(t.value, t.label) for t in MotivationRequest.Tool],
            history=None if seat.for_client else selectors.readiness_history(seat.enrollment),
        ),
    )


@login_required
@require_safe
def overview(request: AuthenticatedHttpRequest) -> HttpResponse:
    """The client's four tools, each with where they are now."""
    return _overview(request, own_seat(request))


@login_required
@require_safe
def client_overview(request: AuthenticatedHttpRequest, enrollment_id: int) -> HttpResponse:
    """The clinician's view of all four tools, with "do it together now" (audited)."""
    return _overview(request, clients_seat(request, enrollment_id))


@login_required
@require_POST
def client_ask(request: AuthenticatedHttpRequest, enrollment_id: int) -> HttpResponse:
    """Ask the client to use a tool before you next meet, or take the request back."""
    seat = clients_seat(request, enrollment_id, write=True)
    form = AskForm(request.POST)
    if not form.is_valid():
        messages.error(request, _("Please choose one of the four tools."))
        return redirect(seat.url("overview"))
    tool = form.cleaned_data["tool"]
    label = MotivationRequest.Tool(tool).label
    if form.cleaned_data["withdraw"]:
        if services.withdraw_request(
            enrollment=seat.enrollment, tool=tool, by=request.user, path=request.path
        ):
            messages.success(request, _("Request taken back: %(tool)s.") % {"tool": label})
        else:
            messages.info(request, _("There was no open request for that tool."))
    else:
        _request, new = services.ask_client(
            enrollment=seat.enrollment, tool=tool, by=request.user, path=request.path
        )
        if new:
            messages.success(
                request,
                _("Asked. %(name)s will see “%(tool)s” on their Today page.")
                % {"name": seat.enrollment.client.name, "tool": label},
            )
        else:
            messages.info(request, _("You had already asked for that."))
    return redirect(seat.url("overview"))
