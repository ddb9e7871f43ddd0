"""Stage of change: where the client places themselves, in their own words."""

from __future__ import annotations

from typing import TYPE_CHECKING

from django.contrib.auth.decorators import login_required
from django.http import HttpResponse
from django.shortcuts import redirect, render
from django.utils.translation import gettext as _
from django.views.decorators.http import require_http_methods

from waypost.motivation import events, selectors, services
from waypost.motivation.forms import StageForm
from waypost.motivation.views.seat import (
    Seat,
    clients_seat,
    context,
    own_seat,
    posted,
    save_from,
    saved,
    viewed,
)

if TYPE_CHECKING:
    from waypost.accounts.http import AuthenticatedHttpRequest


def _stage(request: AuthenticatedHttpRequest, seat: Seat) -> HttpResponse:
    form = StageForm(posted(request), for_client=seat.for_client)
    status = 200
    if request.method == "POST":
        done = save_from(
            form,
            lambda: services.record_stage(
                enrollment=seat.enrollment,
                stage=form.cleaned_data["stage"],
                note=form.cleaned_data["note"],
                view=form.cleaned_data.get("view", "client"),
                by=request.user,
                path=request.path,
            ),
        )
        if done is not None:
            saved(request, seat, _("Kept. You can come back to this whenever it shifts."))
            return redirect(seat.url("stage"))
        status = 400
    viewed(request, seat, events.STAGE)
    entries = selectors.stage_entries(seat.enrollment, with_clinician_view=not seat.for_client)
    return render(
        request,
        "motivation/stage.html",
        context(seat, form=form, entries=entries),
        status=status,
    )


@login_required
@require_http_methods(["GET", "POST"])
def stage(request: AuthenticatedHttpRequest) -> HttpResponse:
    return _stage(request, own_seat(request))


@login_required
@require_http_methods(["GET", "POST"])
def client_stage(request: AuthenticatedHttpRequest, enrollment_id: int) -> HttpResponse:
    return _stage(request, clients_seat(request, enrollment_id))
