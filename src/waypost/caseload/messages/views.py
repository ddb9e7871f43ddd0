"""Pages: the client's messages, the clinician's thread with one client, the clinic's switch.

The client's page reads the enrollment from the person's roles, never from the URL.
The clinician's page finds the client through ``program.selectors.record_of_client``
(404 for anyone else's client, recorded in the audit trail) and records each reading
in the audit trail. Allies never reach either.
"""

from __future__ import annotations

from typing import TYPE_CHECKING, Any

from django.contrib import messages as flash
from django.contrib.auth.decorators import login_required
from django.http import HttpResponse
from django.shortcuts import redirect, render
from django.urls import reverse
from django.utils.translation import gettext as _
from django.views.decorators.http import require_http_methods

from waypost.access.policy import Action, own_enrollment, require
from waypost.caseload.messages import events, selectors, services
from waypost.caseload.messages.forms import MessageForm, SwitchForm
from waypost.caseload.messages.models import BODY_MAX_LENGTH, Message
from waypost.clinics.models import CrisisLine
from waypost.clinics.views._access import clinic_for
from waypost.core import events as core_events
from waypost.program.selectors import record_of_client

if TYPE_CHECKING:
    from waypost.accounts.http import AuthenticatedHttpRequest
    from waypost.program.models import Enrollment


def _send(
    request: AuthenticatedHttpRequest, enrollment: Enrollment, enabled: bool
) -> tuple[MessageForm, services.Sent | None]:
    """Bind the form to the POST and send it; the form carries any error."""
    form = MessageForm(request.POST)
    if not enabled:
        form.add_error(None, _("Messages are turned off at the moment. Nothing was sent."))
        return form, None
    if not form.is_valid():
        return form, None
    try:
        sent = services.send_message(
            enrollment=enrollment,
            by=request.user,
            body=form.cleaned_data["body"],
            client_uuid=form.cleaned_data["client_uuid"],
        )
    except services.MessageError as exc:
        form.add_error(
            "body" if exc.code != services.MessageErrorCode.BAD_UUID else None, exc.message
        )
        return form, None
    return form, sent


def _thread_page(
    request: AuthenticatedHttpRequest,
    enrollment: Enrollment,
    *,
    for_client: bool,
    form: MessageForm | None,
    enabled: bool,
    status: int = 200,
    extra: dict[str, Any] | None = None,
) -> HttpResponse:
    return render(
        request,
        "messaging/thread.html",
        {
            "enrollment": enrollment,
            "clinic": enrollment.clinic,
            "for_client": for_client,
            "thread": list(selectors.thread(enrollment)),
            "form": form if form is not None else MessageForm(),
            "enabled": enabled,
            "max_length": BODY_MAX_LENGTH,
            **(extra or {}),
        },
        status=status,
    )


@login_required
@require_http_methods(["GET", "POST"])
def mine(request: AuthenticatedHttpRequest) -> HttpResponse:
    """The client's messages with their clinician; a POST sends one."""
    enrollment = own_enrollment(request.user)
    require(request.user, Action.SEND_MESSAGE, enrollment)
    enabled = services.is_enabled(enrollment.clinic_id)
    if request.method == "POST":
        form, sent = _send(request, enrollment, enabled)
        if sent is None:
            return _thread_page(
                request, enrollment, for_client=True, form=form, enabled=enabled, status=400
            )
        target = reverse("messaging:mine")
        if sent.crisis:
            # The crisis lines first, at once; the message is kept and the clinician told.
            return redirect(f"{target}?support={sent.message.pk}#support")
        flash.success(request, _("Sent. Your clinician will read it when they are next working."))
        return redirect(f"{target}#message-{sent.message.pk}")
    services.mark_read(enrollment=enrollment, reader=request.user)
    extra: dict[str, Any] = {}
    asked = request.GET.get("support", "")
    if (
        asked.isdigit()
        and Message.objects.filter(
            pk=int(asked), enrollment=enrollment, from_client=True, crisis=True
        ).exists()
    ):
        extra["support"] = True
        extra["crisis_lines"] = list(CrisisLine.objects.filter(clinic_id=enrollment.clinic_id))
    return _thread_page(
        request, enrollment, for_client=True, form=None, enabled=enabled, extra=extra
    )


@login_required
@require_http_methods(["GET", "POST"])
def thread(request: AuthenticatedHttpRequest, enrollment_id: int) -> HttpResponse:
    """The primary clinician's thread with one client; reading it is audited."""
    enrollment = record_of_client(
        request.user, enrollment_id, Action.SEND_MESSAGE, path=request.path
    )
    enabled = services.is_enabled(enrollment.clinic_id)
    if request.method == "POST":
        form, sent = _send(request, enrollment, enabled)
        if sent is None:
            core_events.record_view(
                actor=request.user, enrollment=enrollment, what=events.THREAD, path=request.path
            )
            return _thread_page(
                request, enrollment, for_client=False, form=form, enabled=enabled, status=400
            )
        flash.success(request, _("Sent."))
        return redirect(
            reverse("messaging:thread", args=[enrollment.pk]) + f"#message-{sent.message.pk}"
        )
    core_events.record_view(
        actor=request.user, enrollment=enrollment, what=events.THREAD, path=request.path
    )
    services.mark_read(enrollment=enrollment, reader=request.user)
    return _thread_page(request, enrollment, for_client=False, form=None, enabled=enabled)


@login_required
@require_http_methods(["GET", "POST"])
def clinic_settings(request: AuthenticatedHttpRequest, slug: str) -> HttpResponse:
    """A clinic admin turns secure messages on or off for the whole clinic."""
    clinic = clinic_for(request, slug)
    enabled = services.is_enabled(clinic.pk)
    data = request.POST if request.method == "POST" else None
    form = SwitchForm(data, initial={"enabled": enabled})
    if request.method == "POST" and form.is_valid():
        services.set_enabled(clinic=clinic, enabled=form.cleaned_data["enabled"], by=request.user)
        if form.cleaned_data["enabled"]:
            flash.success(request, _("Saved. Secure messages are on."))
        else:
            flash.success(
                request, _("Saved. Secure messages are off; what was sent stays readable.")
            )
        return redirect("messaging:clinic_settings", slug=clinic.slug)
    return render(
        request,
        "messaging/clinic_settings.html",
        {"clinic": clinic, "form": form, "enabled": enabled},
        status=400 if request.method == "POST" else 200,
    )
