"""The values card sort: sorting, the top five, and what each value means to the client."""

from __future__ import annotations

from typing import TYPE_CHECKING

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.http import HttpResponse
from django.shortcuts import get_object_or_404, redirect, render
from django.utils.translation import gettext as _
from django.views.decorators.http import require_http_methods, require_safe

from waypost.motivation import events, selectors, services, tools
from waypost.motivation.forms import (
    NotesForm,
    SortForm,
    TopForm,
)
from waypost.motivation.models import ValuesCardSort
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


def _values(request: AuthenticatedHttpRequest, seat: Seat, version: int | None) -> HttpResponse:
    versions = list(selectors.sort_versions(seat.enrollment).defer("content"))
    if version is None:
        sort = selectors.latest_sort(seat.enrollment)
        viewed(request, seat, events.VALUES)
    else:
        sort = get_object_or_404(ValuesCardSort, enrollment=seat.enrollment, version=version)
        viewed(request, seat, f"{events.VALUES_VERSION}: {version}")
    latest = versions[0].version if versions else None
    return render(
        request,
        "motivation/values.html",
        context(
            seat,
            sort=sort,
            is_latest=sort is not None and sort.version == latest,
            top=selectors.top_values(sort),
            piles=selectors.piles(sort),
            versions=[(v, seat.url("values_version", v.version)) for v in versions],
            max_top=tools.MAX_TOP_VALUES,
        ),
    )


@login_required
@require_safe
def values(request: AuthenticatedHttpRequest) -> HttpResponse:
    return _values(request, own_seat(request), None)


@login_required
@require_safe
def values_version(request: AuthenticatedHttpRequest, version: int) -> HttpResponse:
    return _values(request, own_seat(request), version)


@login_required
@require_safe
def client_values(request: AuthenticatedHttpRequest, enrollment_id: int) -> HttpResponse:
    return _values(request, clients_seat(request, enrollment_id), None)


@login_required
@require_safe
def client_values_version(
    request: AuthenticatedHttpRequest, enrollment_id: int, version: int
) -> HttpResponse:
    return _values(request, clients_seat(request, enrollment_id), version)


def _values_sort(request: AuthenticatedHttpRequest, seat: Seat) -> HttpResponse:
    latest = selectors.latest_sort(seat.enrollment)
    form = SortForm(posted(request), sort=latest)
    status = 200
    if request.method == "POST":
        done = save_from(
            form,
            lambda: services.save_sort(
                enrollment=seat.enrollment,
                piles=form.piles(),
                by=request.user,
                path=request.path,
            ),
        )
        if done is not None:
            messages.success(request, _("Cards sorted. Now choose your top values."))
            return redirect(seat.url("values_top"))
        status = 400
    else:
        viewed(request, seat, events.VALUES)
    return render(
        request,
        "motivation/values_sort.html",
        context(seat, form=form, sort=latest),
        status=status,
    )


@login_required
@require_http_methods(["GET", "POST"])
def values_sort(request: AuthenticatedHttpRequest) -> HttpResponse:
    return _values_sort(request, own_seat(request))


@login_required
@require_http_methods(["GET", "POST"])
def client_values_sort(request: AuthenticatedHttpRequest, enrollment_id: int) -> HttpResponse:
    return _values_sort(request, clients_seat(request, enrollment_id, write=True))


def _values_top(request: AuthenticatedHttpRequest, seat: Seat) -> HttpResponse:
    latest = selectors.latest_sort(seat.enrollment)
    if latest is None or not tools.top_candidates(latest.piles):
        if request.method == "POST":
            messages.error(request, _("Please sort the cards first."))
        return redirect(seat.url("values_sort"))
    form = TopForm(posted(request), sort=latest)
    status = 200
    if request.method == "POST":
        done = save_from(
            form,
            lambda: services.save_top(
                enrollment=seat.enrollment,
                cards=form.cleaned_data["values"],
                by=request.user,
                path=request.path,
            ),
        )
        if done is not None:
            messages.success(request, _("Top values kept."))
            return redirect(seat.url("values_notes"))
        status = 400
    else:
        viewed(request, seat, events.VALUES)
    return render(
        request,
        "motivation/values_top.html",
        context(seat, form=form, sort=latest, max_top=tools.MAX_TOP_VALUES),
        status=status,
    )


@login_required
@require_http_methods(["GET", "POST"])
def values_top(request: AuthenticatedHttpRequest) -> HttpResponse:
    return _values_top(request, own_seat(request))


@login_required
@require_http_methods(["GET", "POST"])
def client_values_top(request: AuthenticatedHttpRequest, enrollment_id: int) -> HttpResponse:
    return _values_top(request, clients_seat(request, enrollment_id, write=True))


def _values_notes(request: AuthenticatedHttpRequest, seat: Seat) -> HttpResponse:
    latest = selectors.latest_sort(seat.enrollment)
    if latest is None or not latest.top:
        if request.method == "POST":
            messages.error(request, _("Please choose your top values first."))
        return redirect(seat.url("values_top"))
    form = NotesForm(posted(request), sort=latest)
    status = 200
    if request.method == "POST":
        done = save_from(
            form,
            lambda: services.save_top_notes(
                enrollment=seat.enrollment,
                notes=form.notes(),
                by=request.user,
                path=request.path,
            ),
        )
        if done is not None:
            saved(request, seat, _("Your values are saved."))
            return redirect(seat.url("values"))
        status = 400
    else:
        viewed(request, seat, events.VALUES)
    return render(
        request,
        "motivation/values_notes.html",
        context(seat, form=form, sort=latest),
        status=status,
    )


@login_required
@require_http_methods(["GET", "POST"])
def values_notes(request: AuthenticatedHttpRequest) -> HttpResponse:
    return _values_notes(request, own_seat(request))


@login_required
@require_http_methods(["GET", "POST"])
def client_values_notes(request: AuthenticatedHttpRequest, enrollment_id: int) -> HttpResponse:
    return _values_notes(request, clients_seat(request, enrollment_id, write=True))
