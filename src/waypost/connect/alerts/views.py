"""Pages: an ally's updates and rhythm; the client's "I need support now".

Ally pages find the link only among the ally's own open links
(``connect.selectors.visible_ally_links``): anyone else, an ally whose sharing has
ended included, gets a 404, recorded in the client's clinic's audit trail. Client
pages read the enrollment from the person's roles, never from the URL.
"""

from __future__ import annotations

from typing import TYPE_CHECKING

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.http import Http404, HttpResponse
from django.shortcuts import redirect, render
from django.utils import timezone
from django.utils.translation import gettext as _
from django.views.decorators.http import require_http_methods, require_safe

from waypost.access.policy import Action, own_enrollment, require
from waypost.connect.alerts import registry, selectors, services, support
from waypost.connect.alerts.forms import RhythmForm, SupportRequestForm
from waypost.connect.alerts.models import Rhythm, SupportRequest
from waypost.connect.models import AllyLink
from waypost.connect.selectors import visible_ally_links
from waypost.core import events

if TYPE_CHECKING:
    from waypost.accounts.http import AuthenticatedHttpRequest
    from waypost.program.models import Enrollment

#: Audit subject: an ally's updates page or alert settings, asked for and refused.
UPDATES_PAGE = "an ally's updates"


def _ally_link(request: AuthenticatedHttpRequest, link_id: int) -> AllyLink:
    """The ally's own open link, or a 404 that the client's clinic can see in its audit."""
    link = visible_ally_links(request.user).filter(pk=link_id).first()
    if link is None:
        target = AllyLink.objects.filter(pk=link_id).select_related("enrollment").first()
        events.record_refused(
            actor=request.user,
            enrollment=target.enrollment if target is not None else None,
            what=UPDATES_PAGE,
            asked_for=link_id,
            path=request.path,
        )
        raise Http404
    return link


def _shared_kinds(link: AllyLink) -> list[registry.AlertKind]:
    return registry.for_scopes(link.scopes)


# --- the ally's side --------------------------------------------------------------------


@login_required
@require_safe
def updates(request: AuthenticatedHttpRequest, link_id: int) -> HttpResponse:
    """What one person's alerts said, within what they share now; and how often the ally hears."""
    link = _ally_link(request, link_id)
    shown = selectors.updates_for(link, viewer=request.user)
    for scope in sorted({update.kind.scope for update in shown}):
        events.record_view(
            actor=request.user,
            enrollment=link.enrollment,
            what=f"shared: {scope}",
            path=request.path,
        )
    kinds = _shared_kinds(link)
    return render(
        request,
        "ally_alerts/updates.html",
        {
            "link": link,
            "client_name": link.enrollment.client.get_short_name(),
            "updates": shown,
            "kinds": kinds,
            "rhythm": Rhythm(selectors.rhythm_of(link)),
            "has_urgent": any(kind.urgent for kind in kinds),
            "days": selectors.UPDATES_DAYS,
        },
    )


@login_required
@require_http_methods(["GET", "POST"])
def alert_settings(request: AuthenticatedHttpRequest, link_id: int) -> HttpResponse:
    """The ally picks their rhythm for this person: straight away, daily or weekly."""
    link = _ally_link(request, link_id)
    require(request.user, Action.SET_ALLY_ALERTS, link)
    data = request.POST if request.method == "POST" else None
    form = RhythmForm(data, initial={"rhythm": selectors.rhythm_of(link)})
    name = link.enrollment.client.get_short_name()
    if data is not None and form.is_valid():
        preference = services.set_rhythm(
            link=link, rhythm=form.cleaned_data["rhythm"], by=request.user
        )
        messages.success(
            request,
            _("Saved. You will hear about %(name)s’s updates: %(rhythm)s.")
            % {"name": name, "rhythm": str(Rhythm(preference.rhythm).label).lower()},
        )
        return redirect("ally_alerts:updates", link_id=link.pk)
    kinds = _shared_kinds(link)
    return render(
        request,
        "ally_alerts/settings.html",
        {
            "link": link,
            "client_name": name,
            "form": form,
            "kinds": kinds,
            "has_urgent": any(kind.urgent for kind in kinds),
        },
        status=400 if data is not None else 200,
    )


# --- the client's side ------------------------------------------------------------------


def _client_enrollment(request: AuthenticatedHttpRequest) -> Enrollment:
    enrollment = own_enrollment(request.user)
    require(request.user, Action.MANAGE_ALLIES, enrollment)
    return enrollment


@login_required
@require_http_methods(["GET", "POST"])
def support_now(request: AuthenticatedHttpRequest) -> HttpResponse:
    """One screen: who will get it, an optional short message, send."""
    enrollment = _client_enrollment(request)
    data = request.POST if request.method == "POST" else None
    form = SupportRequestForm(data)
    status = 200
    if data is not None:
        if form.is_valid():
            try:
                sent = support.request_support(
                    enrollment=enrollment,
                    by=request.user,
                    client_uuid=form.cleaned_data["client_uuid"],
                    message=form.cleaned_data["message"],
                )
            except support.TooSoon:
                pass  # the page below says when the next one can go
            except support.SupportError as exc:
                form.add_error(None, exc.message)
            else:
                return redirect("ally_alerts:support_sent", request_id=sent.pk)
        status = 400
    now = timezone.now()
    last = selectors.last_request(enrollment)
    return render(
        request,
        "ally_alerts/support.html",
        {
            "form": form,
            "recipients": selectors.support_links(enrollment),
            "last": last,
            "next_at": support.next_allowed_at(last, now),
            "crisis_lines": list(enrollment.clinic.crisis_lines.all()),
            "rate_minutes": int(support.RATE_LIMIT.total_seconds() // 60),
        },
        status=status,
    )


@login_required
@require_safe
def support_sent(request: AuthenticatedHttpRequest, request_id: int) -> HttpResponse:
    """After sending: who was told, a warm line, and the crisis lines one tap away."""
    enrollment = _client_enrollment(request)
    sent = SupportRequest.objects.filter(enrollment=enrollment, pk=request_id).first()
    if sent is None:
        raise Http404
    return render(
        request,
        "ally_alerts/support_sent.html",
        {
            "sent": sent,
            "recipients": support.recipients(sent),
            "crisis_lines": list(enrollment.clinic.crisis_lines.all()),
        },
    )
