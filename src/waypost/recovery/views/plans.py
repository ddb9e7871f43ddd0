"""The recovery plan and the relapse-prevention plan: the client's own, and their clinician's.

The client's pages live under ``/plan/``; the primary clinician's, with the client in
session, under ``/clients/<enrollment_id>/plan/`` (every read audited). Both plans are
versioned: each page shows the newest version, or one earlier version, with the list
of all versions; the clinician agrees (recovery plan) or reviews (relapse-prevention
plan) the newest version from its page.
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import TYPE_CHECKING, Any

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied
from django.http import HttpResponse
from django.shortcuts import get_object_or_404, redirect, render
from django.urls import reverse
from django.utils.translation import gettext as _
from django.views.decorators.http import require_http_methods, require_POST, require_safe

from waypost.access.policy import Action, can, own_enrollment
from waypost.core import events as core_events
from waypost.program.models import Enrollment, Stage
from waypost.program.selectors import record_of_client
from waypost.recovery import events, plan_selectors, selectors
from waypost.recovery.models import PlanReview, PreventionPlan, RecoveryPlan
from waypost.recovery.plan_forms import PreventionPlanForm, RecoveryPlanForm
from waypost.recovery.services import plans as services

if TYPE_CHECKING:
    from waypost.accounts.http import AuthenticatedHttpRequest

STYLESHEET = "recovery/recovery.css"

# --- the ways in --------------------------------------------------------------------------


def _own(request: AuthenticatedHttpRequest) -> Enrollment | None:
    """The client's enrollment from Stage 2 on; None (a kind page) before; 403 for a POST."""
    enrollment = own_enrollment(request.user)
    if can(request.user, Action.EDIT_RECOVERY_PLAN, enrollment):
        return enrollment
    if request.method == "POST":
        raise PermissionDenied
    return None


def _client_of(
    request: AuthenticatedHttpRequest, enrollment_id: int, *actions: Action
) -> Enrollment:
    """One of the clinician's own clients (404 for anyone else's), with ``actions`` allowed."""
    return record_of_client(request.user, enrollment_id, *actions, path=request.path)


def _not_yet(
    request: AuthenticatedHttpRequest, enrollment: Enrollment | None = None
) -> HttpResponse:
    return render(
        request,
        "recovery/plans/not_yet.html",
        {"enrollment": enrollment, "for_client": enrollment is None},
    )


def _audit(request: AuthenticatedHttpRequest, enrollment: Enrollment, what: str) -> None:
    core_events.record_view(actor=request.user, enrollment=enrollment, what=what, path=request.path)


@dataclass(frozen=True)
class _Urls:
    """Where a plan's pages are, for the client or for their clinician."""

    for_client: bool
    enrollment_id: int
    names: tuple[str, str, str]  # the plan, one version, the edit page

    def _args(self, *more: int) -> list[int]:
        return list(more) if self.for_client else [self.enrollment_id, *more]

    @property
    def plan(self) -> str:
        return reverse(self.names[0], args=self._args())

    @property
    def edit(self) -> str:
        return reverse(self.names[2], args=self._args())

    def version(self, number: int) -> str:
        return reverse(self.names[1], args=self._args(number))


def _recovery_urls(enrollment: Enrollment, *, for_client: bool) -> _Urls:
    if for_client:
        names = ("recovery:plan", "recovery:plan_version", "recovery:plan_edit")
    else:
        names = (
            "recovery:client_plan",
            "recovery:client_plan_version",
            "recovery:client_plan_edit",
        )
    return _Urls(for_client, enrollment.pk, names)


def _prevention_urls(enrollment: Enrollment, *, for_client: bool) -> _Urls:
    if for_client:
        names = ("recovery:prevention", "recovery:prevention_version", "recovery:prevention_edit")
    else:
        names = (
            "recovery:client_prevention",
            "recovery:client_prevention_version",
            "recovery:client_prevention_edit",
        )
    return _Urls(for_client, enrollment.pk, names)


def _common(
    enrollment: Enrollment, urls: _Urls, versions: list[Any], shown: Any, document: str
) -> dict[str, Any]:
    latest = versions[0].version if versions else None
    state = plan_selectors.ReviewState(
        newest=latest, reviews=plan_selectors.reviews_of(enrollment, document)
    )
    return {
        "enrollment": enrollment,
        "for_client": urls.for_client,
        "urls": urls,
        "versions": [(v, urls.version(v.version), state.of(v.version)) for v in versions],
        "is_latest": shown is not None and shown.version == latest,
        "review": state,
        "shown_review": state.of(shown.version) if shown is not None else None,
        "stylesheet": STYLESHEET,
    }


# --- the recovery plan ----------------------------------------------------------------------


def _plan_page(
    request: AuthenticatedHttpRequest,
    enrollment: Enrollment,
    plan: RecoveryPlan | None,
    *,
    for_client: bool,
) -> HttpResponse:
    urls = _recovery_urls(enrollment, for_client=for_client)
    versions = list(services.recovery_plan_versions(enrollment).defer("content"))
    today = selectors.client_today(enrollment, client=request.user if for_client else None)
    return render(
        request,
        "recovery/plans/plan.html",
        {
            **_common(enrollment, urls, versions, plan, PlanReview.Document.RECOVERY),
            "plan": plan,
            "circles": plan_selectors.circles_of(plan) if plan is not None else [],
            "period": plan_selectors.period_of(plan, today) if plan is not None else None,
            "document": PlanReview.Document.RECOVERY,
        },
    )


def _plan_edit(
    request: AuthenticatedHttpRequest, enrollment: Enrollment, *, for_client: bool
) -> HttpResponse:
    urls = _recovery_urls(enrollment, for_client=for_client)
    latest = services.latest_recovery_plan(enrollment)
    today = selectors.client_today(enrollment, client=request.user if for_client else None)
    form = RecoveryPlanForm(
        request.POST if request.method == "POST" else None, plan=latest, today=today
    )
    status = 200
    if request.method == "POST":
        if form.is_valid():
            try:
                services.save_recovery_plan(
                    enrollment=enrollment,
                    by=request.user,
                    start_date=form.cleaned_data["start_date"],
                    period_days=form.cleaned_data["period_days"],
                    circles=form.circles(),
                    path=request.path,
                )
            except services.PlanError as exc:
                form.add_error(None, exc.message)
            else:
                messages.success(
                    request,
                    _("Your plan is saved.")
                    if for_client
                    else _("Plan saved, marked as written together in session."),
                )
                return redirect(urls.plan)
        status = 400
    return render(
        request,
        "recovery/plans/plan_edit.html",
        {
            "enrollment": enrollment,
            "form": form,
            "plan": latest,
            "for_client": for_client,
            "cancel_url": urls.plan,
        },
        status=status,
    )


@login_required
@require_safe
def plan(request: AuthenticatedHttpRequest) -> HttpResponse:
    """The client's recovery plan: the day of the period, the three circles, the versions."""
    enrollment = _own(request)
    if enrollment is None:
        return _not_yet(request)
    return _plan_page(
        request, enrollment, services.latest_recovery_plan(enrollment), for_client=True
    )


@login_required
@require_safe
def plan_version(request: AuthenticatedHttpRequest, version: int) -> HttpResponse:
    enrollment = _own(request)
    if enrollment is None:
        return _not_yet(request)
    shown = get_object_or_404(RecoveryPlan, enrollment=enrollment, version=version)
    return _plan_page(request, enrollment, shown, for_client=True)


@login_required
@require_http_methods(["GET", "POST"])
def plan_edit(request: AuthenticatedHttpRequest) -> HttpResponse:
    enrollment = _own(request)
    if enrollment is None:
        return _not_yet(request)
    return _plan_edit(request, enrollment, for_client=True)


@login_required
@require_safe
def client_plan(request: AuthenticatedHttpRequest, enrollment_id: int) -> HttpResponse:
    """The clinician's view of the client's recovery plan, to agree it (audited)."""
    enrollment = _client_of(request, enrollment_id)
    if enrollment.stage < Stage.ABSTINENCE:
        return _not_yet(request, enrollment)
    _audit(request, enrollment, events.RECOVERY_PLAN)
    return _plan_page(
        request, enrollment, services.latest_recovery_plan(enrollment), for_client=False
    )


@login_required
@require_safe
def client_plan_version(
    request: AuthenticatedHttpRequest, enrollment_id: int, version: int
) -> HttpResponse:
    enrollment = _client_of(request, enrollment_id)
    shown = get_object_or_404(RecoveryPlan, enrollment=enrollment, version=version)
    _audit(request, enrollment, f"{events.RECOVERY_PLAN_VERSION}: {version}")
    return _plan_page(request, enrollment, shown, for_client=False)


@login_required
@require_http_methods(["GET", "POST"])
def client_plan_edit(request: AuthenticatedHttpRequest, enrollment_id: int) -> HttpResponse:
    """The clinician writes or changes the plan with the client, in session (audited)."""
    enrollment = _client_of(request, enrollment_id, Action.EDIT_RECOVERY_PLAN)
    if request.method == "GET":
        _audit(request, enrollment, events.RECOVERY_PLAN)
    return _plan_edit(request, enrollment, for_client=False)


# --- the relapse-prevention plan --------------------------------------------------------------


def _prevention_page(
    request: AuthenticatedHttpRequest,
    enrollment: Enrollment,
    shown: PreventionPlan | None,
    *,
    for_client: bool,
) -> HttpResponse:
    urls = _prevention_urls(enrollment, for_client=for_client)
    versions = list(services.prevention_plan_versions(enrollment).defer("content"))
    card_url = (
        reverse("recovery:prevention_card")
        if for_client
        else reverse("recovery:client_prevention_card", args=[enrollment.pk])
    )
    return render(
        request,
        "recovery/plans/prevention.html",
        {
            **_common(enrollment, urls, versions, shown, PlanReview.Document.PREVENTION),
            "plan": shown,
            "sections": plan_selectors.prevention_sections(shown) if shown is not None else [],
            "card_url": card_url,
            "document": PlanReview.Document.PREVENTION,
        },
    )


def _prevention_edit(
    request: AuthenticatedHttpRequest, enrollment: Enrollment, *, for_client: bool
) -> HttpResponse:
    urls = _prevention_urls(enrollment, for_client=for_client)
    latest = services.latest_prevention_plan(enrollment)
    form = PreventionPlanForm(request.POST if request.method == "POST" else None, plan=latest)
    status = 200
    if request.method == "POST":
        if form.is_valid():
            try:
                services.save_prevention_plan(
                    enrollment=enrollment,
                    by=request.user,
                    content=form.content(),
                    path=request.path,
                )
            except services.PlanError as exc:
                form.add_error(None, exc.message)
            else:
                messages.success(
                    request,
                    _("Your relapse-prevention plan is saved.")
                    if for_client
                    else _("Relapse-prevention plan saved, marked as written together in session."),
                )
                return redirect(urls.plan)
        status = 400
    return render(
        request,
        "recovery/plans/prevention_edit.html",
        {
            "enrollment": enrollment,
            "form": form,
            "plan": latest,
            "for_client": for_client,
            "cancel_url": urls.plan,
        },
        status=status,
    )


def _card(
    request: AuthenticatedHttpRequest, enrollment: Enrollment, *, for_client: bool
) -> HttpResponse:
    latest = services.latest_prevention_plan(enrollment)
    urls = _prevention_urls(enrollment, for_client=for_client)
    return render(
        request,
        "recovery/plans/card.html",
        {
            "enrollment": enrollment,
            "plan": latest,
            "sections": plan_selectors.card_sections(latest) if latest is not None else [],
            "back_url": urls.plan,
            "for_client": for_client,
        },
    )


@login_required
@require_safe
def prevention(request: AuthenticatedHttpRequest) -> HttpResponse:
    """The client's relapse-prevention plan, newest version, with the versions listed."""
    enrollment = _own(request)
    if enrollment is None:
        return _not_yet(request)
    return _prevention_page(
        request, enrollment, services.latest_prevention_plan(enrollment), for_client=True
    )


@login_required
@require_safe
def prevention_version(request: AuthenticatedHttpRequest, version: int) -> HttpResponse:
    enrollment = _own(request)
    if enrollment is None:
        return _not_yet(request)
    shown = get_object_or_404(PreventionPlan, enrollment=enrollment, version=version)
    return _prevention_page(request, enrollment, shown, for_client=True)


@login_required
@require_http_methods(["GET", "POST"])
def prevention_edit(request: AuthenticatedHttpRequest) -> HttpResponse:
    enrollment = _own(request)
    if enrollment is None:
        return _not_yet(request)
    return _prevention_edit(request, enrollment, for_client=True)


@login_required
@require_safe
def prevention_card(request: AuthenticatedHttpRequest) -> HttpResponse:
    """The plan as a one-page card to print or keep on the phone."""
    enrollment = _own(request)
    if enrollment is None:
        return _not_yet(request)
    return _card(request, enrollment, for_client=True)


@login_required
@require_safe
def client_prevention(request: AuthenticatedHttpRequest, enrollment_id: int) -> HttpResponse:
    """The clinician's view of the relapse-prevention plan, to review it (audited)."""
    enrollment = _client_of(request, enrollment_id)
    if enrollment.stage < Stage.ABSTINENCE:
        return _not_yet(request, enrollment)
    _audit(request, enrollment, events.PREVENTION_PLAN)
    return _prevention_page(
        request, enrollment, services.latest_prevention_plan(enrollment), for_client=False
    )


@login_required
@require_safe
def client_prevention_version(
    request: AuthenticatedHttpRequest, enrollment_id: int, version: int
) -> HttpResponse:
    enrollment = _client_of(request, enrollment_id)
    shown = get_object_or_404(PreventionPlan, enrollment=enrollment, version=version)
    _audit(request, enrollment, f"{events.PREVENTION_PLAN_VERSION}: {version}")
    return _prevention_page(request, enrollment, shown, for_client=False)


@login_required
@require_http_methods(["GET", "POST"])
def client_prevention_edit(request: AuthenticatedHttpRequest, enrollment_id: int) -> HttpResponse:
    """The clinician writes or changes the plan with the client, in session (audited)."""
    enrollment = _client_of(request, enrollment_id, Action.EDIT_RECOVERY_PLAN)
    if request.method == "GET":
        _audit(request, enrollment, events.PREVENTION_PLAN)
    return _prevention_edit(request, enrollment, for_client=False)


@login_required
@require_safe
def client_prevention_card(request: AuthenticatedHttpRequest, enrollment_id: int) -> HttpResponse:
    """The card, to print for the client in session (audited)."""
    enrollment = _client_of(request, enrollment_id)
    if enrollment.stage < Stage.ABSTINENCE:
        return _not_yet(request, enrollment)
    _audit(request, enrollment, events.PREVENTION_PLAN)
    return _card(request, enrollment, for_client=False)


# --- the clinician agrees or reviews a version --------------------------------------------


@login_required
@require_POST
def client_plan_review(request: AuthenticatedHttpRequest, enrollment_id: int) -> HttpResponse:
    """Agree the newest recovery plan version, or mark the relapse-prevention plan reviewed."""
    enrollment = _client_of(request, enrollment_id, Action.REVIEW_PLAN)
    document = request.POST.get("document", "")
    is_recovery = document == PlanReview.Document.RECOVERY
    back = reverse(
        "recovery:client_plan" if is_recovery else "recovery:client_prevention",
        args=[enrollment.pk],
    )
    try:
        version = int(request.POST.get("version", ""))
    except ValueError:
        version = 0
    try:
        review = services.review_plan(
            enrollment=enrollment,
            by=request.user,
            document=document,
            version=version,
            path=request.path,
        )
    except services.PlanError as exc:
        messages.error(request, exc.message)
        return redirect(back)
    messages.success(
        request,
        (
            _("Version %(n)d of the plan is agreed. The client sees it on their plan.")
            if is_recovery
            else _("Version %(n)d of the relapse-prevention plan is marked reviewed.")
        )
        % {"n": review.version},
    )
    return redirect(back)
