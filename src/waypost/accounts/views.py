"""Accepting invitations and the person's own pages: "Me" (their account) and their data."""

from __future__ import annotations

from collections import defaultdict
from typing import TYPE_CHECKING

from allauth.mfa.models import Authenticator
from django.contrib import messages
from django.contrib.auth import login, update_session_auth_hash
from django.contrib.auth.decorators import login_required
from django.core.exceptions import ValidationError
from django.http import HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.urls import reverse
from django.utils.translation import gettext as _
from django.views.decorators.http import (
    require_GET,
    require_http_methods,
    require_POST,
    require_safe,
)

from waypost.access.policy import Action, can, own_enrollment, roles_of
from waypost.accounts import archive, services
from waypost.accounts import invitations as invitation_kinds
from waypost.accounts.forms import AcceptInvitationForm, AccountForm, NotificationsForm
from waypost.accounts.services import InvitationError, accept_invitation, find_invitation
from waypost.core import exports

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


def _me(
    request: AuthenticatedHttpRequest,
    *,
    form: AccountForm | None = None,
    notifications: NotificationsForm | None = None,
) -> HttpResponse:
    """The "Me" page (a client's) or "Your account" (anyone else's), with its forms."""
    user = request.user
    roles = roles_of(user)
    return render(
        request,
        "accounts/account.html",
        {
            "form": form or AccountForm(instance=user),
            "notifications_form": notifications or NotificationsForm(instance=user),
            "has_totp": Authenticator.objects.filter(
                user=user, type=Authenticator.Type.TOTP
            ).exists(),
            "role_names": roles.names,
            "may_use_tokens": can(user, Action.USE_API_TOKENS),
            # Notifications: clients get reminders, clinicians risk alerts, allies the
            # updates of those they support (held back in their quiet hours); others none.
            "has_notifications": roles.is_client or roles.is_clinician or roles.was_ally,
        },
    )


@login_required
@require_http_methods(["GET", "POST"])
def account(request: AuthenticatedHttpRequest) -> HttpResponse:
    """The person's own page; a POST saves "About you"."""
    form = AccountForm(request.POST or None, instance=request.user)
    if request.method == "POST" and form.is_valid():
        form.save()
        messages.success(request, _("Saved."))
        return redirect("accounts:account")
    return _me(request, form=form)


@login_required
@require_POST
def notifications(request: AuthenticatedHttpRequest) -> HttpResponse:
    """Save which e-mails the person gets and their quiet hours."""
    form = NotificationsForm(request.POST, instance=request.user)
    if not form.is_valid():
        return _me(request, notifications=form)
    form.save()
    messages.success(request, _("Your notification choices are saved."))
    return redirect(reverse("accounts:account") + "#notifications")


@login_required
@require_POST
def sign_out_everywhere(request: AuthenticatedHttpRequest) -> HttpResponse:
    """End every other session of this person; this one stays signed in."""
    services.sign_out_everywhere(user=request.user)
    # A fresh session key and hash for this device, so it is the one that stays.
    update_session_auth_hash(request, request.user)
    messages.success(
        request,
        _("Done. You are signed out on every other device. You are still signed in here."),
    )
    return redirect(reverse("accounts:account") + "#security")


@login_required
@require_safe
def data(request: AuthenticatedHttpRequest) -> HttpResponse:
    """What Waypost keeps about the client, to download: everything at once, or file by file."""
    own_enrollment(request.user)
    groups: dict[str, list[exports.ExportFile]] = defaultdict(list)
    for item in exports.files(request.user):
        groups[item.group].append(item)
    return render(
        request,
        "accounts/data.html",
        {"sections": exports.sections(), "file_groups": list(groups.items())},
    )


@login_required
@require_GET
def download(request: AuthenticatedHttpRequest) -> HttpResponse:
    """Everything about the client as a ZIP file; audited on their clinic's trail.

    The client's own record only: the URL names no one, and the person comes from
    the session. The audit row is the one write.
    """
    own_enrollment(request.user)
    built = archive.build(request.user)
    exports.record_download(
        user=request.user, enrollments=roles_of(request.user).enrollments, path=request.path
    )
    response = HttpResponse(built.content, content_type="application/zip")
    response["Content-Disposition"] = f'attachment; filename="{built.filename}"'
    response["Cache-Control"] = "no-store"
    return response


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


# What signing out wipes from this browser besides the session: the HTTP cache and
# site storage (the service worker's caches, its registration and the offline queue),
# so nothing of this person's stays on a shared phone. core/offline.js also asks the
# worker to drop its caches before the form is sent, for browsers that ignore the header.
CLEAR_ON_SIGN_OUT = '"cache", "storage"'


def sign_out(request: HttpRequest) -> HttpResponse:
    """allauth's sign-out (a page to confirm on GET, signing out on POST), then the wipe."""
    from allauth.account.views import LogoutView

    response: HttpResponse = LogoutView.as_view()(request)
    if request.method == "POST" and not request.user.is_authenticated:
        response["Clear-Site-Data"] = CLEAR_ON_SIGN_OUT
    return response
