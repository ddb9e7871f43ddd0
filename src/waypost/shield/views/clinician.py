"""Shield for the clinician and for allies: the record card, the blocked names, decisions.

- The record card (``client_record_side``, ``#shield``): each device on Shield with its
  status, blocked attempts per day and category for the last fortnight (a chart with its
  numbers in a table), the "wrong block?" requests with **Allow** / **Keep blocked**, and
  **End lockdown now** for a device in lockdown. Audited as one read per opening.
- ``clients/<id>/shield/names/``: the blocked names behind the numbers, opened on purpose
  from the card's disclosure and audited as a read of its own.
- ``clients/<id>/shield/requests/<pk>/`` (POST): decide a request.
- ``clients/<id>/shield/devices/<pk>/end-lockdown/`` (POST): end a lockdown early.
- The caseload column "Shield": devices on Shield and how many are silent (a silent one
  marks the client as needing attention).
- The consent scope "Shield alerts": an ally's section with each device's status and the
  recent silences, never a blocked name.
- The timeline kinds of the silence check (``silence``) and of the decisions.

Every page here is the primary clinician's (``record_of_client``: 404 for anyone else's
client); the decisions need ``Action.ALLOW_SHIELD_NAME`` as well.
"""

from __future__ import annotations

from collections.abc import Sequence
from typing import TYPE_CHECKING, Any

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.urls import URLPattern, path, reverse
from django.utils import timezone
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy, ngettext
from django.views.decorators.http import require_POST, require_safe

from waypost.access.policy import Action, can
from waypost.connect import scopes
from waypost.core import audit, columns, events, panels
from waypost.program.models import Enrollment, Stage
from waypost.program.selectors import record_of_client
from waypost.shield import clinician_selectors as selectors
from waypost.shield import decisions, silence
from waypost.shield.models import ShieldDevice, WrongBlockRequest

if TYPE_CHECKING:
    from waypost.accounts.http import AuthenticatedHttpRequest
    from waypost.connect.models import AllyLink

#: The bars' colours and the numbers' table come from the urge patterns' stylesheet,
#: which the record links for the urge card anyway.
STYLESHEET = "recovery/urges.css"
#: Audit subjects: the card (status and numbers), and the names opened on purpose.
AUDIT_CARD = "shield card"
AUDIT_NAMES = "shield blocked names"


def _record(request: AuthenticatedHttpRequest, enrollment_id: int, *actions: Action) -> Enrollment:
    return record_of_client(request.user, enrollment_id, *actions, path=request.path)


def _back(enrollment: Enrollment) -> HttpResponse:
    return redirect(reverse("caseload:record", args=[enrollment.pk]) + "#shield")


# --- the record card ----------------------------------------------------------------------


def record_card(request: HttpRequest, enrollment: Enrollment) -> dict[str, Any] | None:
    """The clinician's Shield card, from Stage 2 on (or once a device was on Shield)."""
    if not can(request.user, Action.VIEW_RECORD, enrollment):
        return None
    card = selectors.record_card(enrollment, timezone.now())
    if enrollment.stage < Stage.ABSTINENCE and not card.devices and not card.waiting:
        return None
    events.record_view(
        actor=request.user, enrollment=enrollment, what=AUDIT_CARD, path=request.path
    )
    return {
        "card": card,
        "days": selectors.RECORD_DAYS,
        "may_decide": can(request.user, Action.ALLOW_SHIELD_NAME, enrollment),
    }


@login_required
@require_safe
def client_names(request: AuthenticatedHttpRequest, enrollment_id: int) -> HttpResponse:
    """The names blocked for the client in the last fortnight: opened on purpose, audited."""
    enrollment = _record(request, enrollment_id)
    found = selectors.blocked_names(enrollment, timezone.now())
    events.record_view(
        actor=request.user, enrollment=enrollment, what=AUDIT_NAMES, path=request.path
    )
    return render(
        request,
        "shield/clinician/names.html",
        {
            "enrollment": enrollment,
            "found": found,
            "days": selectors.RECORD_DAYS,
            "limit": selectors.NAMES_READ,
        },
    )


@login_required
@require_POST
def client_decide(request: AuthenticatedHttpRequest, enrollment_id: int, pk: int) -> HttpResponse:
    """Allow a name the client asked about, or keep it blocked; back to the card."""
    enrollment = _record(request, enrollment_id, Action.ALLOW_SHIELD_NAME)
    wrong_block = WrongBlockRequest.objects.filter(enrollment=enrollment, pk=pk).first()
    decision = request.POST.get("decision", "")
    if wrong_block is None:
        raise Http404
    if decision not in ("allow", "keep"):
        messages.error(request, _("Please choose Allow or Keep blocked."))
        return _back(enrollment)
    wrong_block.enrollment = enrollment  # the one the way in loaded, client and clinic included
    try:
        decisions.decide_request(
            wrong_block=wrong_block, by=request.user, allow=decision == "allow", path=request.path
        )
    except decisions.DecisionError as exc:
        messages.error(request, exc.message)
        return _back(enrollment)
    words = {"name": wrong_block.name, "client": enrollment.client.name}
    if decision == "allow":
        messages.success(
            request,
            _(
                "“%(name)s” is allowed for %(client)s from now on; Shield follows within a "
                "minute or two. %(client)s sees your answer on their Shield page."
            )
            % words,
        )
    else:
        messages.success(
            request,
            _("“%(name)s” stays blocked. %(client)s sees your answer on their Shield page.")
            % words,
        )
    return _back(enrollment)


@login_required
@require_POST
def client_end_lockdown(
    request: AuthenticatedHttpRequest, enrollment_id: int, pk: int
) -> HttpResponse:
    """End a device's urge lockdown now (the client cannot end it early: that is its point)."""
    enrollment = _record(request, enrollment_id, Action.ALLOW_SHIELD_NAME)
    shield_device = (
        ShieldDevice.objects.filter(pk=pk, device__enrollment=enrollment)
        .select_related("device")
        .first()
    )
    if shield_device is None:
        raise Http404
    shield_device.device.enrollment = enrollment
    decisions.end_lockdown(shield_device=shield_device, by=request.user, path=request.path)
    messages.success(
        request,
        _("The lockdown of “%(device)s” has ended. Shield follows the usual lists again.")
        % {"device": shield_device.device.name},
    )
    return _back(enrollment)


@login_required
@require_POST
def client_bypass(request: AuthenticatedHttpRequest, enrollment_id: int) -> HttpResponse:
    """Block the usual ways around Shield for this client, or stop (``on`` is "1" or "0")."""
    enrollment = _record(request, enrollment_id, Action.ALLOW_SHIELD_NAME)
    on = request.POST.get("on")
    if on not in ("0", "1"):
        messages.error(request, _("Please choose to block the ways around Shield or not."))
        return _back(enrollment)
    decisions.set_block_bypass(
        enrollment=enrollment, by=request.user, on=on == "1", path=request.path
    )
    messages.success(
        request,
        _("Public DNS, VPN and proxy services are blocked for this client within a minute.")
        if on == "1"
        else _("Public DNS, VPN and proxy services are no longer blocked for this client."),
    )
    return _back(enrollment)


# --- the caseload column --------------------------------------------------------------------


def caseload_cells(enrollments: Sequence[Enrollment]) -> dict[int, columns.Cell]:
    """ "2 on Shield · 1 silent" for each client with devices on Shield (one query).

    Sorts silent devices first, then by how many devices are on Shield."""
    found = selectors.caseload_devices(enrollments, timezone.now())
    record = columns.links("caseload:record", "#shield")
    cells = {}
    for enrollment in enrollments:
        counts = found.get(enrollment.pk)
        url = record(enrollment.pk)
        if counts is None:
            if enrollment.stage >= Stage.ABSTINENCE:
                cells[enrollment.pk] = columns.Cell(text=_("none on Shield"), url=url, sort=(0, 0))
            continue
        text = ngettext("%(n)d on Shield", "%(n)d on Shield", counts.on_shield) % {
            "n": counts.on_shield
        }
        if counts.silent:
            text += " · " + _("%(n)d silent") % {"n": counts.silent}
        cells[enrollment.pk] = columns.Cell(
            text=text,
            url=url,
            attention=counts.silent > 0,
            label=ngettext(
                "devices on Shield; %(n)d has not used it for longer than the clinic's limit",
                "devices on Shield; %(n)d have not used it for longer than the clinic's limit",
                counts.silent,
            )
            % {"n": counts.silent}
            if counts.silent
            else "",
            sort=(counts.silent, counts.on_shield),
        )
    return cells


# --- an ally's section ----------------------------------------------------------------------


def ally_section(link: AllyLink) -> scopes.SectionContext:
    """Each device's status and the recent silences; never names, never numbers of blocks."""
    view = selectors.ally_view(link.enrollment, timezone.now())
    return {"devices": view.devices, "silences": view.silences, "days": view.days}


# --- wiring ---------------------------------------------------------------------------------

urlpatterns: list[URLPattern] = [
    path("clients/<int:enrollment_id>/shield/names/", client_names, name="client_names"),
    path(
        "clients/<int:enrollment_id>/shield/requests/<int:pk>/",
        client_decide,
        name="client_decide",
    ),
    path("clients/<int:enrollment_id>/shield/bypass/", client_bypass, name="client_bypass"),
    path(
        "clients/<int:enrollment_id>/shield/devices/<int:pk>/end-lockdown/",
        client_end_lockdown,
        name="client_end_lockdown",
    ),
]


def register() -> None:
    """Registries this module fills (panels, next steps, columns …), from ShieldConfig.ready()."""
    for kind in (*silence.KINDS, *decisions.KINDS):
        events.register(kind)
    audit.register_subject(AUDIT_CARD, gettext_lazy("Shield: devices and blocked attempts"))
    audit.register_subject(AUDIT_NAMES, gettext_lazy("Shield: the blocked names"))
    audit.register_subject(
        decisions.AUDIT_SUBJECT, gettext_lazy("Shield: an allowed name or an ended lockdown")
    )
    panels.register(
        panels.Panel(
            slot="client_record_side",
            key="shield.record",
            template="shield/clinician/record_card.html",
            context=record_card,
            order=35,
            stylesheet=STYLESHEET,
        )
    )
    columns.register(
        columns.Column(
            "shield.devices",
            gettext_lazy("Shield"),
            caseload_cells,
            60,
            sorts=True,
            weight=2,
            attention=lambda listed: selectors.with_silent_device(listed, timezone.now()),
        )
    )
    scopes.register(
        scopes.ConsentScope(
            selectors.ALLY_SCOPE,
            gettext_lazy("Shield alerts"),
            gettext_lazy(
                "Whether your devices are using Shield, and when one has gone quiet for a "
                "while. Never what was blocked."
            ),
            template="shield/ally/section.html",
            context=ally_section,
        )
    )
