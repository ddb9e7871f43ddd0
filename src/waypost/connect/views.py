"""Allies: the client's sharing settings and what an ally sees.

Client pages find links and invitations only among the client's own
(``services.managed_links`` / ``pending_invitations``), so someone else's id
is a plain 404. Ally pages find links only through
``connect.selectors.visible_ally_links`` (``shared_link`` for one), so a withdrawn link is
a 404 on the very next request. The ally's own wellbeing check-in is theirs alone.
The clinician's family sessions page is in ``family_views.py``.
"""

from __future__ import annotations

from typing import TYPE_CHECKING

from django.conf import settings
from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied
from django.http import HttpRequest, HttpResponse
from django.shortcuts import get_object_or_404, redirect, render
from django.utils.translation import gettext as _
from django.views.decorators.http import require_http_methods, require_POST, require_safe

from waypost.access.policy import Action, can, require, roles_of
from waypost.connect import scopes as scope_registry
from waypost.connect import services
from waypost.connect.forms import AllyDetailsForm, ConsentForm, WellbeingForm
from waypost.connect.models import AllyLink
from waypost.connect.selectors import (
    family_sessions_for,
    shared_link,
    visible_ally_links,
    wellbeing_history,
)
from waypost.core import events
from waypost.program.models import Enrollment

if TYPE_CHECKING:
    from waypost.accounts.http import AuthenticatedHttpRequest


def _client_enrollment(request: HttpRequest) -> Enrollment:
    enrollment = roles_of(request.user).enrollment
    if enrollment is None:
        raise PermissionDenied
    require(request.user, Action.MANAGE_ALLIES, enrollment)
    return enrollment


def _own_link(request: HttpRequest, link_id: int) -> AllyLink:
    link = get_object_or_404(services.managed_links(request.user), pk=link_id)
    require(request.user, Action.MANAGE_ALLIES, link.enrollment)
    return link


def _shared_words(keys: list[str]) -> str:
    return ", ".join(scope_registry.labels(keys))


def _consent_saved(name: str, before: list[str], after: list[str]) -> str:
    """The confirmation after a change: what stopped, and what the ally sees from now on."""
    if before == after:
        return _("Nothing changed. %(name)s sees the same as before.") % {"name": name}
    _added, withdrawn = services.consent_change(before, after)
    parts = []
    if withdrawn:
        parts.append(
            _("%(name)s can no longer see: %(withdrawn)s.")
            % {"name": name, "withdrawn": _shared_words(withdrawn)}
        )
    if after:
        parts.append(
            _("From now on, %(name)s sees: %(shared)s.")
            % {"name": name, "shared": _shared_words(after)}
        )
    else:
        parts.append(_("%(name)s no longer sees anything from you.") % {"name": name})
    return " ".join([_("Saved."), *parts])


# --- the client's side ------------------------------------------------------------


@login_required
@require_safe
def allies(request: AuthenticatedHttpRequest) -> HttpResponse:
    """The client's allies, what each one sees, and invitations still waiting."""
    enrollment = _client_enrollment(request)
    return render(
        request,
        "connect/allies.html",
        {
            "enrollment": enrollment,
            "links": services.managed_links(request.user),
            "invitations": services.pending_invitations(request.user),
            "family_sessions": family_sessions_for(enrollment),
        },
    )


@login_required
@require_http_methods(["GET", "POST"])
def invite(request: AuthenticatedHttpRequest) -> HttpResponse:
    """Invite an ally: first what they may see, then who they are."""
    enrollment = _client_enrollment(request)
    data = request.POST if request.method == "POST" else None
    consent = ConsentForm(data)
    details = AllyDetailsForm(data)
    if data is not None:
        valid = [consent.is_valid(), details.is_valid()]
        if all(valid):
            try:
                invitation = services.invite_ally(
                    enrollment=enrollment,
                    email=details.cleaned_data["email"],
                    name=details.cleaned_data["name"],
                    relationship=details.cleaned_data["relationship"],
                    scopes=consent.cleaned_data["scopes"],
                    by=request.user,
                )
            except services.AllyInviteError as exc:
                details.add_error(None, exc.message)
            else:
                messages.success(
                    request,
                    _(
                        "Invitation sent to %(email)s. The link works once, for %(days)d days. "
                        "Nothing is shared until they accept."
                    )
                    % {"email": invitation.email, "days": settings.INVITATION_DAYS},
                )
                return redirect("connect:allies")
    return render(
        request,
        "connect/invite.html",
        {"consent": consent, "details": details},
        status=400 if data is not None else 200,
    )


@login_required
@require_http_methods(["GET", "POST"])
def consent(request: AuthenticatedHttpRequest, link_id: int) -> HttpResponse:
    """Tick or untick what one ally sees; saved changes apply to their next page."""
    link = _own_link(request, link_id)
    data = request.POST if request.method == "POST" else None
    form = ConsentForm(data, initial={"scopes": link.scopes})
    if data is not None and form.is_valid():
        before = list(link.scopes)
        services.set_consent(link=link, scopes=form.cleaned_data["scopes"], by=request.user)
        messages.success(request, _consent_saved(str(link.ally), before, list(link.scopes)))
        return redirect("connect:allies")
    return render(
        request,
        "connect/consent.html",
        {"link": link, "consent": form},
        status=400 if data is not None else 200,
    )


@login_required
@require_http_methods(["GET", "POST"])
def end(request: AuthenticatedHttpRequest, link_id: int) -> HttpResponse:
    """Ask once, then stop sharing with this ally altogether."""
    link = _own_link(request, link_id)
    if request.method == "POST":
        services.end_link(link=link, by=request.user)
        messages.success(
            request,
            _("You have stopped sharing with %(name)s. They can no longer see anything from you.")
            % {"name": str(link.ally)},
        )
        return redirect("connect:allies")
    return render(request, "connect/end.html", {"link": link})


@login_required
@require_POST
def withdraw_invitation(request: AuthenticatedHttpRequest, invitation_id: int) -> HttpResponse:
    """Cancel an invitation nobody has used yet."""
    invitation = get_object_or_404(services.pending_invitations(request.user), pk=invitation_id)
    services.withdraw_invitation(invitation=invitation, by=request.user)
    messages.success(request, _("Invitation withdrawn. Its link no longer works."))
    return redirect("connect:allies")


# --- the ally's side --------------------------------------------------------------


@login_required
@require_safe
def ally_home(request: AuthenticatedHttpRequest) -> HttpResponse:
    """The people who share something with this ally."""
    require(request.user, Action.VIEW_ALLY_HOME)
    links = list(visible_ally_links(request.user))
    # Someone whose sharing ended still gets a kind page and the guide, never the data.
    return render(
        request,
        "connect/ally_home.html",
        {"links": links, "wellbeing": can(request.user, Action.ALLY_WELLBEING)},
    )


@login_required
@require_safe
def ally_shared(request: AuthenticatedHttpRequest, link_id: int) -> HttpResponse:
    """What one person shares with this ally: one section per consented scope, nothing else.

    Anyone else, an ally whose sharing has ended included, gets a 404, and the attempt
    is recorded in the client's clinic's audit trail (or, for a link that does not
    exist, in the security log).
    """
    link = shared_link(request.user, link_id, path=request.path)
    sections = services.shared_sections(link=link, viewer=request.user)
    for section in sections:
        events.record_view(
            actor=request.user,
            enrollment=link.enrollment,
            what=f"shared: {section.scope.key}",
            path=request.path,
        )
    return render(
        request,
        "connect/ally_shared.html",
        {
            "link": link,
            "client_name": str(link.enrollment.client),
            "sections": sections,
        },
    )


@login_required
@require_safe
def ally_guide(request: AuthenticatedHttpRequest) -> HttpResponse:
    """What helps and what harms: for allies, and for clients to see what allies read."""
    require(request.user, Action.READ_ALLY_GUIDE)
    return render(
        request,
        "connect/ally_guide.html",
        {"is_ally": roles_of(request.user).is_ally},
    )


@login_required
@require_http_methods(["GET", "POST"])
def ally_wellbeing(request: AuthenticatedHttpRequest) -> HttpResponse:
    """The ally's own short check-in and their recent ones: private to them."""
    require(request.user, Action.ALLY_WELLBEING)
    data = request.POST if request.method == "POST" else None
    form = WellbeingForm(data)
    if data is not None and form.is_valid():
        try:
            services.record_ally_wellbeing(
                ally=request.user,
                client_uuid=form.cleaned_data["client_uuid"],
                feeling=form.cleaned_data["feeling"],
                sleep=form.cleaned_data["sleep"],
                stress=form.cleaned_data["stress"],
                support=form.cleaned_data["support"],
                note=form.cleaned_data["note"],
            )
        except services.WellbeingError as exc:
            form.add_error(None, exc.message)
        else:
            messages.success(
                request,
                _("Thank you for checking in with yourself. Only you can see this."),
            )
            return redirect("connect:ally_wellbeing")
    return render(
        request,
        "connect/ally_wellbeing.html",
        {"form": form, "history": wellbeing_history(request.user)},
        status=400 if data is not None else 200,
    )
