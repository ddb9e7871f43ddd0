"""The clinic admin's escalation page: when open alerts are passed on, and the on-call rota."""

from __future__ import annotations

from typing import TYPE_CHECKING

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.http import HttpResponse
from django.shortcuts import get_object_or_404, redirect, render
from django.utils.translation import gettext as _
from django.views.decorators.http import require_http_methods, require_POST

from waypost.access.policy import Action
from waypost.clinics.views._access import clinic_for
from waypost.safety import escalation
from waypost.safety.forms import EscalationPolicyForm, OnCallShiftForm
from waypost.safety.models import OnCallShift

if TYPE_CHECKING:
    from waypost.accounts.http import AuthenticatedHttpRequest


@login_required
@require_http_methods(["GET", "POST"])
def clinic_escalation(request: AuthenticatedHttpRequest, slug: str) -> HttpResponse:
    """Escalation times (POST ``form=policy``) and the rota (POST ``form=shift`` adds a shift)."""
    clinic = clinic_for(request, slug, Action.MANAGE_ESCALATION)
    policy = escalation.policy_for(clinic)
    initial = {
        "enabled": policy.enabled,
        "first_after_minutes": policy.first_after_minutes,
        "second_after_minutes": policy.second_after_minutes,
    }
    which = request.POST.get("form") if request.method == "POST" else None
    policy_form = EscalationPolicyForm(request.POST if which == "policy" else None, initial=initial)
    shift_form = OnCallShiftForm(request.POST if which == "shift" else None, clinic=clinic)
    status = 200
    if which == "policy":
        if policy_form.is_valid():
            try:
                escalation.save_policy(clinic=clinic, by=request.user, **policy_form.cleaned_data)
            except escalation.EscalationError as exc:
                policy_form.add_error(None, exc.message)
            else:
                messages.success(request, _("Escalation times saved."))
                return redirect("safety:clinic_escalation", slug=clinic.slug)
        status = 400
    elif which == "shift":
        if shift_form.is_valid():
            try:
                escalation.add_shift(clinic=clinic, by=request.user, **shift_form.cleaned_data)
            except escalation.EscalationError as exc:
                shift_form.add_error(None, exc.message)
            else:
                messages.success(request, _("Shift added to the rota."))
                return redirect("safety:clinic_escalation", slug=clinic.slug)
        status = 400
    elif which is not None:
        status = 400
    today = escalation.local_today(clinic)
    shifts = list(
        OnCallShift.objects.filter(clinic=clinic, ends_on__gte=today).select_related(
            "clinician__user"
        )
    )
    return render(
        request,
        "safety/clinic_escalation.html",
        {
            "clinic": clinic,
            "policy": policy,
            "policy_form": policy_form,
            "shift_form": shift_form,
            "shifts": shifts,
            "today": today,
            "on_call_today": escalation.on_call(clinic=clinic, day=today),
        },
        status=status,
    )


@login_required
@require_POST
def remove_shift(request: AuthenticatedHttpRequest, slug: str, shift_id: int) -> HttpResponse:
    """Take one shift off the clinic's rota."""
    clinic = clinic_for(request, slug, Action.MANAGE_ESCALATION)
    shift = get_object_or_404(OnCallShift, pk=shift_id, clinic=clinic)
    escalation.remove_shift(shift=shift, by=request.user)
    messages.success(request, _("Shift removed from the rota."))
    return redirect("safety:clinic_escalation", slug=clinic.slug)
