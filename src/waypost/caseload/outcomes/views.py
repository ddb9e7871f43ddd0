"""The clinic's outcomes page, for its admins and clinicians (``Action.VIEW_OUTCOMES``).

``clinic/<slug>/outcomes/``, with ``?period=90d|12m|all`` or ``?start=…&end=…`` (days in
the clinic's calendar) and ``?clinician=<profile id>``. Filters that cannot be used are
said at the top and replaced by their defaults; the page never fails on them.
"""

from __future__ import annotations

from typing import TYPE_CHECKING
from urllib.parse import urlencode

from django.contrib.auth.decorators import login_required
from django.shortcuts import render
from django.utils import timezone
from django.views.decorators.http import require_safe

from waypost.access.policy import Action, can, roles_of
from waypost.caseload.outcomes import events, report, stats
from waypost.caseload.outcomes import scope as scopes
from waypost.caseload.outcomes.forms import Filters, read_filters
from waypost.clinics.views._access import clinic_for
from waypost.core import events as core_events

if TYPE_CHECKING:
    from django.http import HttpResponse

    from waypost.accounts.http import AuthenticatedHttpRequest


def _preset_links(filters: Filters) -> list[tuple[str, str, bool]]:
    """Each preset period as a link keeping the clients chosen: (label, query, current)."""
    keep = {"clinician": filters.clinician.pk} if filters.clinician else {}
    return [
        (str(label), "?" + urlencode({"period": key, **keep}), key == filters.period.preset)
        for key, label in scopes.PRESETS.items()
    ]


@login_required
@require_safe
def clinic_outcomes(request: AuthenticatedHttpRequest, slug: str) -> HttpResponse:
    """The clinic's figures, or one clinician's caseload's, for a period; no client named.

    Each client counted is recorded in the clinic's audit trail (viewed · Clinic outcomes).
    """
    clinic = clinic_for(request, slug, Action.VIEW_OUTCOMES)
    now = timezone.now()
    today = now.astimezone(scopes.clinic_zone(clinic)).date()
    own = roles_of(request.user).clinician_profile_at(clinic.pk)
    offered = scopes.choices(request.user, clinic)
    form, filters = read_filters(
        request.GET,
        clinicians=offered.clinicians,
        own_profile_id=own.pk if own else None,
        today=today,
        whole_clinic=offered.whole_clinic,
    )
    scope = scopes.Scope(clinic=clinic, clinician=filters.clinician, period=filters.period, now=now)
    built = report.build(scope)
    core_events.record_list_view(
        actor=request.user,
        enrollments=built.enrollments,
        what=events.OUTCOMES,
        path=request.path,
    )
    chosen = filters.clinician.pk if filters.clinician else ""
    options = form.clinician_options()
    return render(
        request,
        "outcomes/outcomes.html",
        {
            "clinic": clinic,
            # The clinic admin's tabs only for its admins, as on the groups page.
            "admin_tabs": can(request.user, Action.MANAGE_CLINIC, clinic),
            "scope": scope,
            "filters": filters,
            "clinician_options": options,
            "chosen": chosen,
            "whose": next(label for value, label in options if value == chosen),
            "preset_label": scopes.PRESETS.get(filters.period.preset, ""),
            "presets": _preset_links(filters),
            "figures": built.figures,
            "held_back": built.held_back,
            "small_number": stats.SMALL_NUMBER,
        },
    )
