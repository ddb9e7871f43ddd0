"""Pages of the safety app: the safety plan (client and clinician) and the risk inboxes."""

from __future__ import annotations

from typing import TYPE_CHECKING

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied
from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import get_object_or_404, redirect, render
from django.urls import reverse
from django.utils.http import url_has_allowed_host_and_scheme
from django.utils.translation import gettext as _
from django.views.decorators.http import require_http_methods, require_safe

from waypost.access.policy import Action, can, own_enrollment, require, roles_of
from waypost.clinics.models import Clinic, CrisisLine
from waypost.clinics.views._access import clinic_for
from waypost.core import events as core_events
from waypost.core import help_doors
from waypost.program.models import Enrollment
from waypost.program.selectors import record_of_client
from waypost.safety import events, selectors, services
from waypost.safety.forms import AcknowledgeForm, SafetyPlanForm
from waypost.safety.models import RiskAlert, SafetyPlan
from waypost.safety.selectors import visible_risk_alerts

if TYPE_CHECKING:
    from waypost.accounts.http import AuthenticatedHttpRequest

# --- access helpers --------------------------------------------------------------


def _client_of(request: HttpRequest, enrollment_id: int) -> Enrollment:
    """A client of the signed-in clinician (404 for anyone else's)."""
    return record_of_client(request.user, enrollment_id, path=request.path)


def _safe_next(request: HttpRequest, fallback: str) -> str:
    target = request.POST.get("next") or request.GET.get("next") or ""
    if (
        target.startswith("/")
        and not target.startswith("//")
        and url_has_allowed_host_and_scheme(
            target, allowed_hosts={request.get_host()}, require_https=request.is_secure()
        )
    ):
        return target
    return fallback


# --- the safety plan ---------------------------------------------------------------


def _crisis_lines(enrollment: Enrollment) -> list[CrisisLine]:
    return list(CrisisLine.objects.filter(clinic_id=enrollment.clinic_id))


def _plan_page(
    request: HttpRequest,
    enrollment: Enrollment,
    plan: SafetyPlan | None,
    *,
    for_client: bool,
) -> HttpResponse:
    versions = list(services.plan_versions(enrollment).defer("content"))
    if for_client:
        edit_url = reverse("safety:my_plan_edit")
        plan_url = reverse("safety:my_plan")
    else:
        edit_url = reverse("safety:client_plan_edit", args=[enrollment.pk])
        plan_url = reverse("safety:client_plan", args=[enrollment.pk])

    def version_url(number: int) -> str:
        if for_client:
            return reverse("safety:my_plan_version", args=[number])
        return reverse("safety:client_plan_version", args=[enrollment.pk, number])

    latest = versions[0].version if versions else None
    return render(
        request,
        "safety/plan.html",
        {
            "enrollment": enrollment,
            "plan": plan,
            "is_latest": plan is not None and plan.version == latest,
            "for_client": for_client,
            "edit_url": edit_url,
            "plan_url": plan_url,
            "versions": [(v, version_url(v.version)) for v in versions],
            "crisis_lines": _crisis_lines(enrollment),
        },
    )


def _edit_page(
    request: AuthenticatedHttpRequest, enrollment: Enrollment, *, for_client: bool, done_url: str
) -> HttpResponse:
    require(request.user, Action.EDIT_SAFETY_PLAN, enrollment)
    latest = services.latest_plan(enrollment)
    # Bound on every POST, even an empty one, so the page says what is missing.
    form = SafetyPlanForm(request.POST if request.method == "POST" else None, plan=latest)
    status = 200
    if request.method == "POST":
        if form.is_valid():
            try:
                services.save_plan(
                    enrollment=enrollment,
                    content=form.content(),
                    by=request.user,
                    path=request.path,
                )
            except services.SafetyPlanError as exc:
                form.add_error(None, exc.message)
            else:
                messages.success(
                    request,
                    _("Your safety plan is saved.")
                    if for_client
                    else _("Safety plan saved, marked as written together in session."),
                )
                return redirect(done_url)
        status = 400
    return render(
        request,
        "safety/edit.html",
        {
            "enrollment": enrollment,
            "form": form,
            "plan": latest,
            "for_client": for_client,
            "cancel_url": done_url,
        },
        status=status,
    )


@login_required
@require_safe
def my_plan(request: AuthenticatedHttpRequest) -> HttpResponse:
    """The client's own safety plan, newest version, with earlier versions listed."""
    enrollment = own_enrollment(request.user)
    return _plan_page(request, enrollment, services.latest_plan(enrollment), for_client=True)


@login_required
@require_safe
def my_plan_version(request: AuthenticatedHttpRequest, version: int) -> HttpResponse:
    enrollment = own_enrollment(request.user)
    plan = get_object_or_404(SafetyPlan, enrollment=enrollment, version=version)
    return _plan_page(request, enrollment, plan, for_client=True)


@login_required
@require_http_methods(["GET", "POST"])
def my_plan_edit(request: AuthenticatedHttpRequest) -> HttpResponse:
    enrollment = own_enrollment(request.user)
    return _edit_page(request, enrollment, for_client=True, done_url=reverse("safety:my_plan"))


@login_required
@require_safe
def client_plan(request: AuthenticatedHttpRequest, enrollment_id: int) -> HttpResponse:
    """The clinician's view of a client's safety plan (audited)."""
    enrollment = _client_of(request, enrollment_id)
    plan = services.latest_plan(enrollment)
    core_events.record_view(
        actor=request.user,
        enrollment=enrollment,
        what=events.PLAN,
        path=request.path,
    )
    return _plan_page(request, enrollment, plan, for_client=False)


@login_required
@require_safe
def client_plan_version(
    request: AuthenticatedHttpRequest, enrollment_id: int, version: int
) -> HttpResponse:
    enrollment = _client_of(request, enrollment_id)
    plan = get_object_or_404(SafetyPlan, enrollment=enrollment, version=version)
    core_events.record_view(
        actor=request.user,
        enrollment=enrollment,
        what=f"{events.PLAN_VERSION}: {version}",
        path=request.path,
    )
    return _plan_page(request, enrollment, plan, for_client=False)


@login_required
@require_http_methods(["GET", "POST"])
def client_plan_edit(request: AuthenticatedHttpRequest, enrollment_id: int) -> HttpResponse:
    """The clinician writes or updates the plan with the client, in session (audited)."""
    enrollment = _client_of(request, enrollment_id)
    if request.method == "GET":
        core_events.record_view(
            actor=request.user,
            enrollment=enrollment,
            what=events.PLAN,
            path=request.path,
        )
    return _edit_page(
        request,
        enrollment,
        for_client=False,
        done_url=reverse("safety:client_plan", args=[enrollment.pk]),
    )


# --- the risk inbox ------------------------------------------------------------------


def _audit_alert_views(
    request: AuthenticatedHttpRequest, alerts: list[RiskAlert], what: str
) -> None:
    seen: set[int] = set()
    for alert in alerts:
        if alert.enrollment_id in seen:
            continue
        seen.add(alert.enrollment_id)
        core_events.record_view(
            actor=request.user,
            enrollment=alert.enrollment,
            what=what,
            path=request.path,
        )


def _alert_of_client(request: AuthenticatedHttpRequest, alert_id: int) -> RiskAlert:
    """An alert of one of the clinician's own clients, or one passed to them on call.

    403 for non-clinicians, else 404.

    A refused attempt at an alert that exists is recorded in its client's clinic's
    audit trail (was refused · A risk alert); one at an id that does not, in the
    security log.
    """
    clinician = can(request.user, Action.VIEW_RISK_INBOX)
    alert = visible_risk_alerts(request.user).filter(pk=alert_id).first() if clinician else None
    if alert is not None and selectors.may_acknowledge(request.user, alert):
        return alert
    target = RiskAlert.objects.filter(pk=alert_id).select_related("enrollment").first()
    core_events.record_refused(
        actor=request.user,
        enrollment=target.enrollment if target is not None else None,
        what=events.ALERT,
        asked_for=alert_id,
        path=request.path,
    )
    if not clinician or alert is not None:
        raise PermissionDenied
    raise Http404


@login_required
@require_safe
def inbox(request: AuthenticatedHttpRequest) -> HttpResponse:
    """The clinician's risk inbox: open alerts oldest first, then recently acknowledged ones."""
    require(request.user, Action.VIEW_RISK_INBOX)
    box = selectors.clinician_inbox(request.user)
    _audit_alert_views(request, box.alerts, events.ALERTS)
    return render(
        request,
        "safety/inbox.html",
        {"inbox": box, "shown": selectors.ACKNOWLEDGED_SHOWN},
    )


@login_required
@require_http_methods(["GET", "POST"])
def acknowledge(request: AuthenticatedHttpRequest, alert_id: int) -> HttpResponse:
    """One alert with the note form (GET); acknowledge it with the note (POST)."""
    alert = _alert_of_client(request, alert_id)
    form = AcknowledgeForm(request.POST or None)
    status = 200
    if request.method == "POST":
        if form.is_valid():
            try:
                services.acknowledge(alert=alert, by=request.user, note=form.cleaned_data["note"])
            except services.AlertError as exc:
                form.add_error(None, exc.message)
                alert.refresh_from_db()
            else:
                messages.success(request, _("Alert acknowledged. Your note is in the record."))
                return redirect(_safe_next(request, reverse("safety:inbox")))
        status = 400
    else:
        core_events.record_view(
            actor=request.user,
            enrollment=alert.enrollment,
            what=events.ALERT,
            path=request.path,
        )
    return render(
        request,
        "safety/acknowledge.html",
        {"alert": alert, "form": form, "next": _safe_next(request, "")},
        status=status,
    )


@login_required
@require_safe
def clinic_risk(request: AuthenticatedHttpRequest, slug: str) -> HttpResponse:
    """Every alert of the clinic for its admins: who, when, whose client, how long open.

    No summaries and no notes: admins see who needs a response and who is
    responsible, not the clinical record.
    """
    clinic = clinic_for(request, slug, Action.VIEW_CLINIC_RISK)
    box = selectors.clinic_inbox(request.user, clinic)
    _audit_alert_views(request, box.alerts, events.ALERT_STATUS)
    return render(
        request,
        "safety/clinic_risk.html",
        {"clinic": clinic, "inbox": box, "shown": selectors.ACKNOWLEDGED_SHOWN},
    )


# The consent scope by which a client shares their clinic and clinician with an ally:
# ``connect.scopes.CARE_TEAM``. Safety sits below connect and may not import it, so it
# names the key (tests/safety/test_help_page_for_allies.py keeps the two the same).
CARE_TEAM_SCOPE = "care_team"


def _line_key(line: CrisisLine) -> tuple[str, str, str, str]:
    return (line.name.strip().casefold(), line.tel_href, line.text.strip(), line.url)


@require_safe
def get_help(request: HttpRequest) -> HttpResponse:
    """Crisis lines, reachable by anyone in one tap, signed in or not; then a client's own plan.

    People see the lines of their own clinics under each clinic's name. An ally sees
    the lines of the clinic of each person they support, but the clinic is named only
    if that person shares their care team with them; otherwise the lines stand under
    a neutral heading, with nothing that says which clinic they came from.
    """
    roles = roles_of(request.user)
    named_ids = set(roles.clinic_ids)
    unnamed_ids: set[int] = set()
    for link in roles.ally_links:
        if can(request.user, Action.VIEW_SHARED, link, scope=CARE_TEAM_SCOPE):
            named_ids.add(link.enrollment.clinic_id)
        else:
            unnamed_ids.add(link.enrollment.clinic_id)
    unnamed_ids -= named_ids
    if named_ids or unnamed_ids:
        lines = CrisisLine.objects.filter(clinic_id__in=named_ids | unnamed_ids)
    else:
        # A visitor coming from a clinic's public page sees that clinic's lines first
        # and only; anyone else sees every clinic's.
        clinics = Clinic.objects.filter(slug=request.GET.get("clinic", "")[:60])
        if not clinics.exists():
            clinics = Clinic.objects.all()
        lines = CrisisLine.objects.filter(clinic__in=clinics)
    by_clinic: dict[Clinic, list[CrisisLine]] = {}
    # Lines of clinics that may not be named here, once each, in the clinics' own order.
    unnamed: dict[tuple[str, str, str, str], CrisisLine] = {}
    for line in lines.select_related("clinic"):
        if line.clinic_id in unnamed_ids:
            unnamed.setdefault(_line_key(line), line)
        else:
            by_clinic.setdefault(line.clinic, []).append(line)
    # A client's own safety plan comes right after the crisis lines; nobody else's shows here.
    safety_plan = None
    if roles.enrollment is not None:
        safety_plan = services.latest_plan(roles.enrollment)
    return render(
        request,
        "safety/help.html",
        {
            # Other kinds of hard moment, from later stages ("I'm having an urge"); with
            # any, the page opens with doors, this page's own being "I'm not safe".
            "doors": help_doors.doors_for(request),
            "by_clinic": by_clinic,
            "unnamed_lines": list(unnamed.values()),
            "enrollment": roles.enrollment,
            "safety_plan": safety_plan,
        },
    )
