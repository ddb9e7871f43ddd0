"""Early warnings on the pages: Today's nudge, the record card, the caseload column, the
clinic's tuning page and the client's "thanks, noted".

- ``warnings/<pk>/noted/`` (POST): the client notes a nudge; back to Today.
- ``clinic/<slug>/early-warnings/`` (GET, POST): the clinic admin's tuning page
  (``Action.MANAGE_CLINIC``), among the clinic's pages (``core.clinic_pages``).
"""

from __future__ import annotations

from collections.abc import Sequence
from typing import TYPE_CHECKING, Any

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.utils import timezone
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy, ngettext
from django.views.decorators.http import require_http_methods, require_POST

from waypost.access.policy import Action, can, own_enrollment
from waypost.clinics.views._access import clinic_for
from waypost.core import clinic_pages, columns, events, facts, panels
from waypost.recovery.warnings import rules, selectors, services
from waypost.recovery.warnings.forms import RuleSettingsForm
from waypost.recovery.warnings.models import EarlyWarning

if TYPE_CHECKING:
    from django.db.models import QuerySet

    from waypost.accounts.http import AuthenticatedHttpRequest
    from waypost.program.models import Enrollment

STYLESHEET = "early_warnings/early_warnings.css"
AUDIT_CARD = "early warnings"


# --- the client's side --------------------------------------------------------------------


def today_context(request: HttpRequest, enrollment: Enrollment) -> dict[str, Any] | None:
    """The kind nudge on Today: what was noticed, in plain words (from Today's facts)."""
    if not can(request.user, Action.VIEW_OWN, enrollment) or enrollment.stage < 2:
        return None
    nudges = selectors.today_nudges(facts.facts_for(request, enrollment))
    if not nudges:
        return None
    return {"nudges": nudges}


@login_required
@require_POST
def note(request: AuthenticatedHttpRequest, pk: int) -> HttpResponse:
    """ "Thanks, noted": the nudge hides until its rule fires anew."""
    enrollment = own_enrollment(request.user)
    warning = EarlyWarning.objects.filter(pk=pk, enrollment=enrollment).first()
    if warning is None:
        raise Http404
    warning.enrollment = enrollment
    services.note_warning(warning=warning, by=request.user)
    messages.success(
        request, _("Noted. Your plan and the toolbox are here whenever you need them.")
    )
    return redirect("program:today")


# --- the clinician's side -----------------------------------------------------------------


def record_context(request: HttpRequest, enrollment: Enrollment) -> dict[str, Any] | None:
    """The record card: open warnings with their rule and numbers, and recent resolved ones."""
    if not can(request.user, Action.VIEW_RECORD, enrollment) or enrollment.stage < 2:
        return None
    card = selectors.record_card(enrollment, timezone.now())
    events.record_view(
        actor=request.user, enrollment=enrollment, what=AUDIT_CARD, path=request.path
    )
    return {"card": card, "recent_days": selectors.RECENT_DAYS}


# After risk alerts, before everything else in "needs attention first" (core.columns):
# a warning is the sign the program watches for before a lapse.
COLUMN_WEIGHT = 8


def column_cells(enrollments: Sequence[Enrollment]) -> dict[int, columns.Cell]:
    """ "Early warnings": the names of the rules open for each client (one query)."""
    cells = {}
    record = columns.links("caseload:record", "#early-warnings")
    for enrollment_id, keys in selectors.open_by_enrollment(enrollments).items():
        names = [str(rule.label) for key in keys if (rule := rules.get(key)) is not None]
        if not names:
            continue
        cells[enrollment_id] = columns.Cell(
            text=", ".join(names),
            url=record(enrollment_id),
            attention=True,
            label=ngettext("%(n)d early warning", "%(n)d early warnings", len(names))
            % {"n": len(names)},
            sort=len(names),
        )
    return cells


# --- the clinic admin's tuning page -------------------------------------------------------


@login_required
@require_http_methods(["GET", "POST"])
def clinic_settings(request: AuthenticatedHttpRequest, slug: str) -> HttpResponse:
    """Each rule on or off and its parameters, for every client of the clinic."""
    clinic = clinic_for(request, slug)
    current = services.choices_for([clinic.pk])[clinic.pk]
    form = RuleSettingsForm(request.POST or None, current=current)
    status = 200
    if request.method == "POST":
        if form.is_valid():
            services.save_clinic_choices(clinic=clinic, by=request.user, choices=form.choices())
            messages.success(
                request, _("Early-warning rules saved. The next hourly check uses them.")
            )
            return redirect("early_warnings:clinic_settings", slug=clinic.slug)
        status = 400
    return render(
        request,
        "early_warnings/clinic_settings.html",
        {"clinic": clinic, "form": form, "stylesheet": STYLESHEET},
        status=status,
    )


def warned(listed: QuerySet[Enrollment]) -> QuerySet[EarlyWarning, int]:
    """The listed clients with a warning open under a known rule (``Column.attention``)."""
    return (
        EarlyWarning.objects.filter(
            enrollment__in=listed,
            resolved_at__isnull=True,
            rule__in=[rule.key for rule in rules.all_rules()],
        )
        .order_by()
        .values_list("enrollment_id", flat=True)
        .distinct()
    )


def register() -> None:
    panels.register(
        panels.Panel(
            slot="client_today",
            key="early_warnings.today",
            template="early_warnings/today.html",
            context=today_context,
            order=5,
            stylesheet=STYLESHEET,
        )
    )
    panels.register(
        panels.Panel(
            slot="client_record_side",
            key="early_warnings.record",
            template="early_warnings/record_card.html",
            context=record_context,
            order=8,
            stylesheet=STYLESHEET,
        )
    )
    columns.register(
        columns.Column(
            "early_warnings",
            gettext_lazy("Early warnings"),
            column_cells,
            order=25,
            sorts=True,
            weight=COLUMN_WEIGHT,
            attention=warned,
        )
    )
    clinic_pages.register(
        clinic_pages.ClinicPage(
            "early_warnings",
            gettext_lazy("Early warnings"),
            gettext_lazy("Which signs raise an early warning, and how much change it takes"),
            "early_warnings:clinic_settings",
            order=45,
        )
    )
