"""The person's own personal access tokens for the API.

Tokens are for staff and integrations (``Action.USE_API_TOKENS``): someone who is
only a client or an ally is refused these pages, and their "Me" page does not
link them.
"""

from __future__ import annotations

from typing import TYPE_CHECKING

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.http import HttpResponse
from django.shortcuts import get_object_or_404, redirect, render
from django.utils.translation import gettext as _
from django.views.decorators.http import require_http_methods, require_POST

from waypost.access.policy import Action, require
from waypost.accounts.services import create_api_token, revoke_api_token
from waypost.api.forms import CreateTokenForm

if TYPE_CHECKING:
    from waypost.accounts.http import AuthenticatedHttpRequest


def _page(
    request: AuthenticatedHttpRequest, form: CreateTokenForm, *, status: int = 200, **extra: object
) -> HttpResponse:
    return render(
        request,
        "api/tokens.html",
        {"form": form, "tokens": request.user.api_tokens.all(), **extra},
        status=status,
    )


@login_required
@require_http_methods(["GET", "POST"])
def tokens(request: AuthenticatedHttpRequest) -> HttpResponse:
    """List the person's tokens and make a new one.

    The raw token is shown once, in the response to the POST that made it:
    it is never stored, so it is not put in the session or a redirect.
    """
    require(request.user, Action.USE_API_TOKENS)
    if request.method == "GET":
        return _page(request, CreateTokenForm())
    form = CreateTokenForm(request.POST)
    if not form.is_valid():
        return _page(request, form, status=400)
    token, raw = create_api_token(
        user=request.user, name=form.cleaned_data["name"], days=form.cleaned_data["days"]
    )
    return _page(request, CreateTokenForm(), new_token=token, raw_token=raw)


@login_required
@require_POST
def revoke_token(request: AuthenticatedHttpRequest, token_id: int) -> HttpResponse:
    """Revoke one of the person's own tokens; anyone else's is 404."""
    require(request.user, Action.USE_API_TOKENS)
    token = get_object_or_404(request.user.api_tokens, pk=token_id)
    revoke_api_token(token=token, by=request.user)
    messages.success(
        request,
        _("“%(name)s” is revoked. Apps using it can no longer sign in.") % {"name": token.name},
    )
    return redirect("api_tokens")
