"""The decisional balance: what the behaviour gives and costs, what change would give and cost."""

from __future__ import annotations

from typing import TYPE_CHECKING

from django.contrib.auth.decorators import login_required
from django.http import HttpResponse
from django.shortcuts import get_object_or_404, redirect, render
from django.utils.translation import gettext as _
from django.views.decorators.http import require_http_methods, require_safe

from waypost.motivation import events, selectors, services
from waypost.motivation.forms import BalanceForm
from waypost.motivation.models import DecisionalBalance
from waypost.motivation.views.seat import (
    Seat,
    clients_seat,
    context,
    own_seat,
    save_from,
    saved,
    viewed,
)

if TYPE_CHECKING:
    from waypost.accounts.http import AuthenticatedHttpRequest


def _balance(request: AuthenticatedHttpRequest, seat: Seat, version: int | None) -> HttpResponse:
    versions = list(selectors.balance_versions(seat.enrollment).defer("content"))
    if version is None:
        balance = selectors.latest_balance(seat.enrollment)
        viewed(request, seat, events.BALANCE)
    else:
        balance = get_object_or_404(DecisionalBalance, enrollment=seat.enrollment, version=version)
        viewed(request, seat, f"{events.BALANCE_VERSION}: {version}")
    latest = versions[0].version if versions else None
    return render(
        request,
        "motivation/balance.html",
        context(
            seat,
            balance=balance,
            is_latest=balance is not None and balance.version == latest,
            versions=[(v, seat.url("balance_version", v.version)) for v in versions],
        ),
    )


@login_required
@require_safe
def balance(request: AuthenticatedHttpRequest) -> HttpResponse:
    return _balance(request, own_seat(request), None)


@login_required
@require_safe
def balance_version(request: AuthenticatedHttpRequest, version: int) -> HttpResponse:
    return _balance(request, own_seat(request), version)


@login_required
@require_safe
def client_balance(request: AuthenticatedHttpRequest, enrollment_id: int) -> HttpResponse:
    return _balance(request, clients_seat(request, enrollment_id), None)


@login_required
@require_safe
def client_balance_version(
    request: AuthenticatedHttpRequest, enrollment_id: int, version: int
) -> HttpResponse:
    return _balance(request, clients_seat(request, enrollment_id), version)


def _balance_edit(request: AuthenticatedHttpRequest, seat: Seat) -> HttpResponse:
    latest = selectors.latest_balance(seat.enrollment)
    status = 200
    if request.method == "POST" and "more" in request.POST:
        # More empty lines, keeping what was typed; nothing is saved yet.
        form = BalanceForm(request.POST, more=True)
    elif request.method == "POST":
        form = BalanceForm(request.POST)
        done = save_from(
            form,
            lambda: services.save_balance(
                enrollment=seat.enrollment,
                content=form.content(),
                by=request.user,
                path=request.path,
            ),
        )
        if done is not None:
            saved(request, seat, _("Your decisional balance is saved."))
            return redirect(seat.url("balance"))
        status = 400
    else:
        form = BalanceForm(balance=latest)
        viewed(request, seat, events.BALANCE)
    return render(
        request,
        "motivation/balance_edit.html",
        context(seat, form=form, balance=latest),
        status=status,
    )


@login_required
@require_http_methods(["GET", "POST"])
def balance_edit(request: AuthenticatedHttpRequest) -> HttpResponse:
    return _balance_edit(request, own_seat(request))


@login_required
@require_http_methods(["GET", "POST"])
def client_balance_edit(request: AuthenticatedHttpRequest, enrollment_id: int) -> HttpResponse:
    return _balance_edit(request, clients_seat(request, enrollment_id, write=True))
