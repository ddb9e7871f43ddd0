"""The clinician's page of a client's family and partner sessions: the list and the form.

Only the client's primary clinician (``Action.RECORD_FAMILY_SESSION``); anyone else
gets the record's own refusal (``program.selectors.record_of_client``: 404, audited).
Reading the list is audited; recording a session is on the timeline and audited.
"""

from __future__ import annotations

from typing import TYPE_CHECKING

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.shortcuts import redirect, render
from django.utils.translation import gettext as _
from django.views.decorators.http import require_http_methods

from waypost.access.policy import Action
from waypost.connect import events as connect_events
from waypost.connect import services
from waypost.connect.forms import FamilySessionForm
from waypost.connect.selectors import family_sessions_for
from waypost.core import events
from waypost.program.selectors import record_of_client

if TYPE_CHECKING:
    from django.http import HttpResponse

    from waypost.accounts.http import AuthenticatedHttpRequest


@login_required
@require_http_methods(["GET", "POST"])
def family_sessions(request: AuthenticatedHttpRequest, enrollment_id: int) -> HttpResponse:
    """The sessions recorded so far, and a form to record one with the client's consent."""
    enrollment = record_of_client(
        request.user, enrollment_id, Action.RECORD_FAMILY_SESSION, path=request.path
    )
    data = request.POST if request.method == "POST" else None
    form = FamilySessionForm(data, enrollment=enrollment)
    if data is not None and form.is_valid():
        try:
            services.record_family_session(
                enrollment=enrollment,
                held_on=form.cleaned_data["held_on"],
                allies=form.cleaned_data["allies"],
                others=form.cleaned_data["others"],
                topics=form.cleaned_data["topics"],
                agreements=form.cleaned_data["agreements"],
                client_consented=form.cleaned_data["client_consented"],
                client_uuid=form.cleaned_data["client_uuid"],
                by=request.user,
                path=request.path,
            )
        except services.FamilySessionError as exc:
            form.add_error(None, exc.message)
        else:
            messages.success(request, _("The session is recorded."))
            return redirect("connect:family_sessions", enrollment_id=enrollment.pk)
    sessions = list(family_sessions_for(enrollment))
    events.record_view(
        actor=request.user,
        enrollment=enrollment,
        what=connect_events.FAMILY_SESSIONS,
        path=request.path,
    )
    return render(
        request,
        "connect/family_sessions.html",
        {"enrollment": enrollment, "sessions": sessions, "form": form},
        status=400 if data is not None else 200,
    )
