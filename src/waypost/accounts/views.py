"""Accepting invitations and the person's own account page."""

from __future__ import annotations

from typing import TYPE_CHECKING

from allauth.mfa.models import Authenticator
from django.contrib import messages
from django.contrib.auth import login
from django.contrib.auth.decorators import login_required
from django.core.exceptions import ValidationError
from django.http import HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.utils.translation import gettext as _
from django.views.decorators.http import require_http_methods, require_safe

from waypost.access.policy import roles_of
from waypost.accounts import invitations as invitation_kinds
from waypost.accounts.forms import AcceptInvitationForm, AccountForm
from waypost.accounts.services import InvitationError, accept_invitation, find_invitation

if TYPE_CHECKING:
    from waypost.accounts.http import AuthenticatedHttpRequest


@require_http_methods(["GET", "POST"])
def invitation(request: HttpRequest, token: str) -> HttpResponse:
    """Open an invitation link: join (new account) or accept (signed in as the invitee)."""
    try:
        invite = find_invitation(token)
    except InvitationError as exc:
        return render(
            request,
            "accounts/invitation_invalid.html",
            {"error": exc},
            status=410 if exc.code != "invitation_not_found" else 404,
        )
    signed_in = request.user.is_authenticated
    form = (
        None
        if signed_in
        else AcceptInvitationForm(request.POST or None, initial={"name": invite.name})
    )
    if request.method == "POST" and (form is None or form.is_valid()):
        try:
            user = accept_invitation(
                raw_token=token,
                user=request.user if signed_in else None,
                name=form.cleaned_data["name"] if form else "",
                password=form.cleaned_data["password"] if form else "",
            )
        except ValidationError as exc:
            if form is None:  # only a new account's password is validated
                raise
            form.add_error("password", exc)
        except InvitationError as exc:
            return render(request, "accounts/invitation_invalid.html", {"error": exc}, status=409)
        else:
            if not signed_in:
                login(request, user, backend="django.contrib.auth.backends.ModelBackend")
            messages.success(request, _("Welcome. You're all set."))
            return redirect(invitation_kinds.get(invite.kind).landing)
    kind = invitation_kinds.get(invite.kind)
    return render(
        request,
        "accounts/invitation.html",
        {
            "invite": invite,
            "form": form,
            "discreet": kind.discreet,
            "details": kind.details(invite),
        },
    )


@login_required
@require_http_methods(["GET", "POST"])
def account(request: AuthenticatedHttpRequest) -> HttpResponse:
    form = AccountForm(request.POST or None, instance=request.user)
    if request.method == "POST" and form.is_valid():
        form.save()
        messages.success(request, _("Saved."))
        return redirect("accounts:account")
    return render(
        request,
        "accounts/account.html",
        {
            "form": form,
            "has_totp": Authenticator.objects.filter(
                user=request.user, type=Authenticator.Type.TOTP
            ).exists(),
            "role_names": roles_of(request.user).names,
        },
    )


@require_safe
def home(request: HttpRequest) -> HttpResponse:
    """Send each person to where their work is."""
    roles = roles_of(request.user)
    if not request.user.is_authenticated:
        return redirect("clinics:directory")
    if roles.is_client:
        return redirect("program:today")
    if roles.is_clinician:
        return redirect("caseload:list")
    if roles.is_admin:
        return redirect("clinics:manage_index")
    if roles.is_ally:
        return redirect("connect:ally_home")
    return redirect("accounts:account")
