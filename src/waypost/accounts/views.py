"""Accepting invitations and the person's own account page."""

from __future__ import annotations

from allauth.mfa.models import Authenticator
from django.contrib import messages
from django.contrib.auth import login
from django.contrib.auth.decorators import login_required
from django.core.exceptions import ValidationError
from django.http import HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.utils.translation import gettext as _
from django.views.decorators.http import require_http_methods

from waypost.accounts.forms import AcceptInvitationForm, AccountForm
from waypost.accounts.services import InvitationError, accept_invitation, find_invitation
from waypost.connect import scopes as scope_registry
from waypost.core.policy import roles_of


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
    if request.method == "POST" and (signed_in or form.is_valid()):
        try:
            user = accept_invitation(
                raw_token=token,
                user=request.user if signed_in else None,
                name=form.cleaned_data["name"] if form else "",
                password=form.cleaned_data["password"] if form else "",
            )
        except ValidationError as exc:
            form.add_error("password", exc)
        except InvitationError as exc:
            return render(request, "accounts/invitation_invalid.html", {"error": exc}, status=409)
        else:
            if not signed_in:
                login(request, user, backend="django.contrib.auth.backends.ModelBackend")
            messages.success(request, _("Welcome. You're all set."))
            return redirect("home")
    labels = [str(scope_registry.get(k).label) for k in invite.scopes if scope_registry.get(k)]
    return render(
        request,
        "accounts/invitation.html",
        {"invite": invite, "form": form, "invite_scope_labels": labels},
    )


@login_required
@require_http_methods(["GET", "POST"])
def account(request: HttpRequest) -> HttpResponse:
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
