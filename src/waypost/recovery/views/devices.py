"""The device plan: the client's devices, each with its checklist of hardening steps.

Also here: Today's next step while the plan is not complete, the clinician's record
card, and the Stage 2 gate criterion "every device hardened" (``device_selectors``).
"""

from __future__ import annotations

from typing import TYPE_CHECKING, Any

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied
from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.urls import reverse
from django.utils.translation import gettext as _
from django.views.decorators.http import require_http_methods, require_POST

from waypost.access.policy import Action, can, own_enrollment
from waypost.core import facts, nav, next_steps, panels
from waypost.program.models import Enrollment, Stage
from waypost.recovery import device_selectors, selectors
from waypost.recovery.models import Device, DeviceStep
from waypost.recovery.services import devices as device_services
from waypost.recovery.urge_forms import DeviceForm, DeviceStepForm
from waypost.recovery.views.urges import audit_view

if TYPE_CHECKING:
    from waypost.accounts.http import AuthenticatedHttpRequest

STYLESHEET = "recovery/devices.css"


def _own(request: AuthenticatedHttpRequest) -> Enrollment | None:
    """The client's enrollment if they keep a device plan; None (a kind page) before Stage 2."""
    enrollment = own_enrollment(request.user)
    if can(request.user, Action.LOG_RECOVERY, enrollment):
        return enrollment
    if request.method == "POST":
        raise PermissionDenied
    return None


def _device(request: AuthenticatedHttpRequest, pk: int) -> Device:
    enrollment = _own(request)
    if enrollment is None:
        raise PermissionDenied
    device = device_selectors.own_device(enrollment, pk)
    if device is None:
        raise Http404
    return device


def _back(device: Device) -> HttpResponse:
    return redirect(f"{reverse('recovery:device_plan')}#device-{device.pk}")


@login_required
@require_http_methods(["GET", "POST"])
def device_plan(request: AuthenticatedHttpRequest) -> HttpResponse:
    """The list of devices with their checklists; a POST adds a device."""
    enrollment = _own(request)
    if enrollment is None:
        return render(request, "recovery/urges/not_yet.html", {"devices": True})
    status = 200
    if request.method == "POST":
        form = DeviceForm(request.POST)
        if form.is_valid():
            try:
                device = device_services.add_device(
                    enrollment=enrollment,
                    by=request.user,
                    client_uuid=form.cleaned_data["client_uuid"],
                    name=form.cleaned_data["name"],
                    kind=form.cleaned_data["kind"],
                    path=request.path,
                )
            except device_services.DeviceError as exc:
                form.add_error(None, exc.message)
            else:
                messages.success(
                    request,
                    _("%(name)s is in your plan. Take the steps one at a time.")
                    % {"name": device.name},
                )
                return _back(device)
        status = 400
    else:
        form = DeviceForm()
    return render(
        request,
        "recovery/devices/plan.html",
        {
            "enrollment": enrollment,
            "plans": device_selectors.device_plans(enrollment),
            "retired": device_selectors.device_plans(enrollment, retired=True),
            "form": form,
            "today": selectors.client_today(enrollment, client=request.user),
            "open_add": status == 400,
        },
        status=status,
    )


@login_required
@require_POST
def device_step(request: AuthenticatedHttpRequest, pk: int, step: str) -> HttpResponse:
    """Mark one step of one device done (on a date), not needed, or open again."""
    device = _device(request, pk)
    if step not in DeviceStep.Step.values:
        raise Http404
    form = DeviceStepForm(request.POST)
    if not form.is_valid():
        messages.error(request, _("Please choose a date that is today or before it."))
        return _back(device)
    try:
        device_services.set_device_step(
            device=device,
            by=request.user,
            step=step,
            state=form.cleaned_data["state"],
            done_on=form.cleaned_data["done_on"],
            path=request.path,
        )
    except device_services.DeviceError as exc:
        messages.error(request, exc.message)
    else:
        label = DeviceStep.Step(step).label
        state = form.cleaned_data["state"]
        words = {
            "done": _("Done: %(step)s on %(device)s. Well done."),
            "not_needed": _("Marked not needed: %(step)s on %(device)s."),
        }.get(state, _("Open again: %(step)s on %(device)s."))
        messages.success(request, words % {"step": label, "device": device.name})
    return _back(device)


@login_required
@require_POST
def device_retire(request: AuthenticatedHttpRequest, pk: int) -> HttpResponse:
    """Take a device off the plan; its steps and history are kept."""
    device = _device(request, pk)
    device_services.retire_device(device=device, by=request.user, path=request.path)
    messages.success(
        request,
        _("%(name)s is off your plan. What you did for it is kept.") % {"name": device.name},
    )
    return redirect("recovery:device_plan")


# --- Today, the record, the gate ------------------------------------------------------


def device_step_for_today(
    request: HttpRequest, enrollment: Enrollment
) -> list[next_steps.NextStep]:
    """The device plan, from Stage 2 on, until every device in it is hardened (Today's facts)."""
    if not can(request.user, Action.LOG_RECOVERY, enrollment):
        return []
    known = facts.facts_for(request, enrollment)
    done = device_selectors.progress(
        enrollment, (known["recovery.devices"], known["recovery.device_steps"])
    )
    if done.complete:
        return []
    if done.devices == 0:
        return [
            next_steps.NextStep(
                key="recovery.device_plan",
                priority=next_steps.START,
                title=_("Your device plan"),
                description=_(
                    "Make your phone and your other devices safer places, one small step at a time."
                ),
                url=reverse("recovery:device_plan"),
                verb=_("Start"),
            )
        ]
    return [
        next_steps.NextStep(
            key="recovery.device_plan",
            priority=next_steps.CONTINUE,
            title=_("Your device plan"),
            description=_("%(done)d of %(n)d devices fully set up.")
            % {"done": done.hardened, "n": done.devices},
            url=reverse("recovery:device_plan"),
            verb=_("Continue"),
        )
    ]


def record_card(request: HttpRequest, enrollment: Enrollment) -> dict[str, Any] | None:
    """The clinician's card: each device's steps settled of its steps, with dates; audited."""
    if not can(request.user, Action.VIEW_RECORD, enrollment):
        return None
    plans = device_selectors.device_plans(enrollment)
    if enrollment.stage < Stage.ABSTINENCE and not plans:
        return None
    audit_view(request, enrollment)
    return {"plans": plans}


def register() -> None:
    """The device plan's next step, card, nav rule, audit subject and gate criterion."""
    # The device plan is part of the client's work in the program: it lights Journey.
    nav.register("recovery:device*", "journey")
    device_selectors.register_facts()
    next_steps.register("recovery.device_plan", device_step_for_today)
    panels.register(
        panels.Panel(
            slot="client_record_side",
            key="recovery.device_record",
            template="recovery/devices/record_card.html",
            context=record_card,
            order=30,
            stylesheet=STYLESHEET,
        )
    )
    device_selectors.register_gate()
