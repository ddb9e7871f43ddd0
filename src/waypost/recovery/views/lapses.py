"""The lapse log: "Looking back", logging a lapse, its chain analysis step by step.

Only the day is required to log a lapse; the chain analysis is a guided look back, one
question a page, every question optional, and can be left and taken up again at
``/lapses/<id>/``. The clinician reads the lapses and their chains on the record and
at ``/clients/<id>/lapses/`` (audited).
"""

from __future__ import annotations

from typing import TYPE_CHECKING

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied
from django.http import Http404, HttpResponse
from django.shortcuts import redirect, render
from django.urls import reverse
from django.utils.translation import gettext as _
from django.views.decorators.http import require_http_methods, require_POST, require_safe

from waypost.access.policy import Action, can, own_enrollment
from waypost.core import events as core_events
from waypost.program.models import Enrollment
from waypost.program.selectors import record_of_client
from waypost.recovery import chain_content, events, plan_selectors, selectors
from waypost.recovery.plan_forms import ChainStepForm, LapseForm
from waypost.recovery.services import lapses as services

if TYPE_CHECKING:
    from waypost.accounts.http import AuthenticatedHttpRequest


def _own(request: AuthenticatedHttpRequest) -> Enrollment | None:
    """The client's enrollment from Stage 2 on; None (a kind page) before; 403 for a POST."""
    enrollment = own_enrollment(request.user)
    if can(request.user, Action.LOG_RECOVERY, enrollment):
        return enrollment
    if request.method == "POST":
        raise PermissionDenied
    return None


def _not_yet(request: AuthenticatedHttpRequest) -> HttpResponse:
    return render(request, "recovery/plans/not_yet.html", {"for_client": True})


@login_required
@require_safe
def lapses(request: AuthenticatedHttpRequest) -> HttpResponse:
    """The list "Looking back": every lapse, newest first, and how far each was looked back at."""
    enrollment = _own(request)
    if enrollment is None:
        return _not_yet(request)
    return render(
        request,
        "recovery/lapses/list.html",
        {"enrollment": enrollment, "lapses": plan_selectors.lapses_of(enrollment)},
    )


@login_required
@require_http_methods(["GET", "POST"])
def lapse_new(request: AuthenticatedHttpRequest) -> HttpResponse:
    """Log a lapse: the day, and what happened if the client likes; then the counter, kindly."""
    enrollment = _own(request)
    if enrollment is None:
        return _not_yet(request)
    today = selectors.client_today(enrollment, client=request.user)
    days = services.lapse_days_open(enrollment, today)
    form = LapseForm(request.POST if request.method == "POST" else None, days=days, today=today)
    status = 200
    if request.method == "POST":
        if form.is_valid():
            try:
                lapse = services.log_lapse(
                    enrollment=enrollment,
                    by=request.user,
                    day=form.cleaned_data["day"],
                    client_uuid=form.cleaned_data["client_uuid"],
                    what_happened=form.cleaned_data["what_happened"],
                    path=request.path,
                )
            except services.LapseError as exc:
                form.add_error(None, exc.message)
            else:
                return redirect(reverse("recovery:lapse", args=[lapse.pk]) + "?new=1")
        status = 400
    return render(
        request,
        "recovery/lapses/new.html",
        {"enrollment": enrollment, "form": form},
        status=status,
    )


def _step_url(lapse_id: int, key: str | None) -> str:
    url = reverse("recovery:lapse", args=[lapse_id])
    return f"{url}?step={key}" if key else url


@login_required
@require_http_methods(["GET", "POST"])
def lapse(request: AuthenticatedHttpRequest, lapse_id: int) -> HttpResponse:
    """One lapse (GET); one step of its chain analysis (``?step=``); a step saved (POST).

    After a step is saved, "next" goes on to the following step, "back" to the one
    before, "done" to the lapse's page.
    """
    enrollment = _own(request)
    if enrollment is None:
        return _not_yet(request)
    view = plan_selectors.LapseView(plan_selectors.lapse_of(enrollment, lapse_id))
    key = request.POST.get("step") if request.method == "POST" else request.GET.get("step")
    if key is not None and key not in chain_content.STEP_KEYS:
        raise Http404
    if key is None:
        if request.method == "POST":
            raise Http404
        return _overview(request, enrollment, view)
    step = chain_content.step(key)
    form = ChainStepForm(
        request.POST if request.method == "POST" else None,
        step=step,
        initial={"text": view.chain[key]},
    )
    status = 200
    if request.method == "POST":
        if form.is_valid():
            try:
                services.save_chain(
                    lapse=view.lapse,
                    by=request.user,
                    chain={key: form.cleaned_data["text"]},
                    path=request.path,
                )
            except services.LapseError as exc:
                form.add_error(None, exc.message)
            else:
                go = request.POST.get("go", "next")
                if go == "back":
                    return redirect(_step_url(lapse_id, chain_content.previous_step(key)))
                if go == "next" and chain_content.next_step(key):
                    return redirect(_step_url(lapse_id, chain_content.next_step(key)))
                messages.success(request, _("Saved. You can come back to this whenever you like."))
                return redirect(_step_url(lapse_id, None))
        status = 400
    number = chain_content.STEP_KEYS.index(key) + 1
    return render(
        request,
        "recovery/lapses/step.html",
        {
            "enrollment": enrollment,
            "view": view,
            "step": step,
            "form": form,
            "number": number,
            "total": len(chain_content.STEPS),
            "percent": round(100 * number / len(chain_content.STEPS)),
            "previous": chain_content.previous_step(key),
            "last": chain_content.next_step(key) is None,
        },
        status=status,
    )


def _overview(
    request: AuthenticatedHttpRequest, enrollment: Enrollment, view: plan_selectors.LapseView
) -> HttpResponse:
    just_logged = request.GET.get("new") == "1"
    state = selectors.today_state_for(request, enrollment) if just_logged else None
    return render(
        request,
        "recovery/lapses/lapse.html",
        {
            "enrollment": enrollment,
            "view": view,
            "just_logged": just_logged,
            "state": state,
            "today": selectors.client_today(enrollment, client=request.user),
            "start_url": _step_url(
                view.lapse.pk, "vulnerabilities" if not view.looked_back else view.first_unwritten
            ),
        },
    )


@login_required
@require_POST
def lapse_learning(request: AuthenticatedHttpRequest, lapse_id: int) -> HttpResponse:
    """One tap: the learning (and what to do differently) goes into the relapse-prevention plan."""
    enrollment = _own(request)
    if enrollment is None:  # pragma: no cover — _own refuses a POST before Stage 2
        raise PermissionDenied
    found = plan_selectors.lapse_of(enrollment, lapse_id)
    try:
        updated, added = services.add_learning(lapse=found, by=request.user, path=request.path)
    except services.LapseError as exc:
        messages.error(request, exc.message)
    else:
        if added:
            messages.success(
                request,
                _("Added to your relapse-prevention plan (version %(n)d).")
                % {"n": updated.learning_version},
            )
        else:
            messages.info(request, _("This learning is already in your plan."))
    return redirect(_step_url(lapse_id, None))


@login_required
@require_safe
def client_lapses(request: AuthenticatedHttpRequest, enrollment_id: int) -> HttpResponse:
    """The clinician reads every lapse and its chain analysis (audited)."""
    enrollment = record_of_client(request.user, enrollment_id, path=request.path)
    core_events.record_view(
        actor=request.user, enrollment=enrollment, what=events.LAPSES, path=request.path
    )
    return render(
        request,
        "recovery/lapses/client_list.html",
        {"enrollment": enrollment, "lapses": plan_selectors.lapses_of(enrollment)},
    )
