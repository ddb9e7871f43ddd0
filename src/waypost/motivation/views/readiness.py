"""The readiness ruler: how important, how confident, how ready, on a 0 to 10 line."""

from __future__ import annotations

from typing import TYPE_CHECKING

from django.contrib.auth.decorators import login_required
from django.http import HttpResponse
from django.shortcuts import redirect, render
from django.utils.translation import gettext as _
from django.views.decorators.http import require_http_methods

from waypost.motivation import events, selectors, services
from waypost.motivation.forms import ReadinessForm
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


def _readiness(request: AuthenticatedHttpRequest, seat: Seat) -> HttpResponse:
    ruler = selectors.ruler()
    form = ReadinessForm(posted(request), ruler=ruler)
    status = 200
    if request.method == "POST":
        form_row = save_from(
            form,
            lambda: services.record_readiness(
                enrollment=seat.enrollment,
                value=form.cleaned_data["readiness"],
                by=request.user,
                path=request.path,
            ),
        )
        if form_row is not None:
            saved(
                request,
                seat,
                _("Thank you. You said %(n)s today; it is kept with your earlier answers.")
                % {"n": form_row.total_display},
            )
            return redirect(seat.url("readiness"))
        status = 400
    viewed(request, seat, events.READINESS)
    history = selectors.readiness_history(seat.enrollment, plain=seat.for_client)
    in_session = [f for f in history.forms if f.source == "session"] if history else []
    return render(
        request,
        "motivation/readiness.html",
        context(seat, form=form, ruler=ruler, history=history, in_session=in_session),
        status=status,
    )


@login_required
@require_http_methods(["GET", "POST"])
def readiness(request: AuthenticatedHttpRequest) -> HttpResponse:
    return _readiness(request, own_seat(request))


@login_required
@require_http_methods(["GET", "POST"])
def client_readiness(request: AuthenticatedHttpRequest, enrollment_id: int) -> HttpResponse:
    return _readiness(request, clients_seat(request, enrollment_id))
