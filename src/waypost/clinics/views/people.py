"""The clinic admin's people pages: staff and invitations, the client roster, the audit trail."""

from __future__ import annotations

from typing import TYPE_CHECKING

from django.conf import settings
from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.paginator import Paginator
from django.http import Http404, HttpResponse
from django.shortcuts import get_object_or_404, redirect, render
from django.utils.translation import gettext as _
from django.views.decorators.http import require_http_methods, require_POST, require_safe

from waypost.access.policy import Action
from waypost.accounts.models import Invitation
from waypost.clinics import events as clinic_events
from waypost.clinics import selectors, services
from waypost.clinics.audit_lines import REPEAT_WINDOW, audit_lines
from waypost.clinics.forms import AuditFilterForm, InviteStaffForm, ReassignForm
from waypost.clinics.models import Clinic, ClinicianProfile
from waypost.clinics.views._access import clinic_for
from waypost.core import events as core_events
from waypost.program.models import Enrollment
from waypost.program.selectors import roster_enrollments

if TYPE_CHECKING:
    from waypost.accounts.http import AuthenticatedHttpRequest

AUDIT_PAGE_SIZE = 50
# The audit subject of a refused attempt to give a client another clinician.
REASSIGN = "primary clinician"


@login_required
@require_safe
def staff(request: AuthenticatedHttpRequest, slug: str) -> HttpResponse:
    clinic = clinic_for(request, slug)
    return render(
        request,
        "clinics/staff.html",
        {
            "clinic": clinic,
            "clinicians": selectors.clinicians(clinic),
            "admins": selectors.admins(clinic),
            "invitations": selectors.pending_staff_invitations(clinic),
        },
    )


@login_required
@require_http_methods(["GET", "POST"])
def invite(request: AuthenticatedHttpRequest, slug: str) -> HttpResponse:
    clinic = clinic_for(request, slug, Action.INVITE_CLINICIAN)
    form = InviteStaffForm(request.POST or None)
    status = 200
    if request.method == "POST":
        if form.is_valid():
            try:
                invitation = services.invite_staff(
                    clinic=clinic, by=request.user, **form.cleaned_data
                )
            except services.ClinicError as exc:
                form.add_error(None, exc.message)
            else:
                messages.success(
                    request,
                    _("Invitation sent to %(email)s. The link works once and for %(days)d days.")
                    % {"email": invitation.email, "days": settings.INVITATION_DAYS},
                )
                return redirect("clinics:staff", slug=clinic.slug)
        status = 400
    return render(
        request,
        "clinics/invite.html",
        {"clinic": clinic, "form": form, "invitation_days": settings.INVITATION_DAYS},
        status=status,
    )


@login_required
@require_POST
def revoke_invitation(
    request: AuthenticatedHttpRequest, slug: str, invitation_id: int
) -> HttpResponse:
    clinic = clinic_for(request, slug)
    invitation = get_object_or_404(
        Invitation,
        pk=invitation_id,
        clinic=clinic,
        kind__in=[Invitation.Kind.CLINICIAN, Invitation.Kind.ADMIN],
    )
    try:
        services.revoke_staff_invitation(invitation=invitation, by=request.user)
    except services.ClinicError as exc:
        messages.error(request, exc.message)
    else:
        messages.success(
            request, _("Invitation to %(email)s withdrawn.") % {"email": invitation.email}
        )
    return redirect("clinics:staff", slug=clinic.slug)


def _profile(clinic: Clinic, profile_id: int) -> ClinicianProfile:
    return get_object_or_404(
        ClinicianProfile.objects.select_related("user", "clinic"), pk=profile_id, clinic=clinic
    )


@login_required
@require_http_methods(["GET", "POST"])
def deactivate_clinician(
    request: AuthenticatedHttpRequest, slug: str, profile_id: int
) -> HttpResponse:
    """Ask first (GET), then switch the clinician's role off (POST)."""
    clinic = clinic_for(request, slug)
    profile = _profile(clinic, profile_id)
    if request.method == "POST":
        try:
            services.deactivate_clinician(profile=profile, by=request.user)
        except services.ClinicError as exc:
            messages.error(request, exc.message)
        else:
            messages.success(
                request,
                _("%(name)s no longer works as a clinician here. Their account stays.")
                % {"name": profile.user},
            )
        return redirect("clinics:staff", slug=clinic.slug)
    active_clients = profile.enrollments.filter(status=Enrollment.Status.ACTIVE).count()
    return render(
        request,
        "clinics/deactivate.html",
        {"clinic": clinic, "profile": profile, "active_clients": active_clients},
    )


@login_required
@require_POST
def reactivate_clinician(
    request: AuthenticatedHttpRequest, slug: str, profile_id: int
) -> HttpResponse:
    clinic = clinic_for(request, slug)
    profile = _profile(clinic, profile_id)
    services.reactivate_clinician(profile=profile, by=request.user)
    messages.success(request, _("%(name)s is a clinician here again.") % {"name": profile.user})
    return redirect("clinics:staff", slug=clinic.slug)


@login_required
@require_safe
def roster(request: AuthenticatedHttpRequest, slug: str) -> HttpResponse:
    """The clinic's active clients: name, stage, clinician, since. Not the clinical record.

    Each client listed is recorded in the audit trail (viewed · The clinic's client list).
    """
    clinic = clinic_for(request, slug, Action.VIEW_ROSTER)
    enrollments = list(
        roster_enrollments(request.user, clinic).filter(status=Enrollment.Status.ACTIVE)
    )
    core_events.record_list_view(
        actor=request.user,
        enrollments=enrollments,
        what=clinic_events.CLIENT_LIST,
        path=request.path,
    )
    return render(request, "clinics/roster.html", {"clinic": clinic, "enrollments": enrollments})


@login_required
@require_http_methods(["GET", "POST"])
def reassign(request: AuthenticatedHttpRequest, slug: str, enrollment_id: int) -> HttpResponse:
    """Give a client another primary clinician of the same clinic.

    A client who is not an active client of this clinic is a 404, and the attempt is
    recorded in the audit trail of the client's own clinic (or, for an id that does not
    exist, in the security log).
    """
    clinic = clinic_for(request, slug)
    enrollment = (
        roster_enrollments(request.user, clinic)
        .filter(status=Enrollment.Status.ACTIVE, pk=enrollment_id)
        .first()
    )
    if enrollment is None:
        core_events.record_refused(
            actor=request.user,
            enrollment=Enrollment.objects.filter(pk=enrollment_id).first(),
            what=REASSIGN,
            asked_for=enrollment_id,
            path=request.path,
        )
        raise Http404
    candidates = selectors.active_clinicians(clinic).exclude(pk=enrollment.primary_clinician_id)
    form = ReassignForm(
        request.POST or None, choices=[(p.pk, p.user.name or p.user.email) for p in candidates]
    )
    status = 200
    if request.method == "POST":
        if form.is_valid():
            profile = candidates.get(pk=form.cleaned_data["clinician"])
            try:
                services.reassign_primary_clinician(
                    enrollment=enrollment, clinician_profile=profile, by=request.user
                )
            except services.ClinicError as exc:
                form.add_error(None, exc.message)
            else:
                messages.success(
                    request,
                    _("%(client)s's clinician is now %(clinician)s.")
                    % {"client": enrollment.client, "clinician": profile.user},
                )
                return redirect("clinics:roster", slug=clinic.slug)
        status = 400
    return render(
        request,
        "clinics/reassign.html",
        {"clinic": clinic, "enrollment": enrollment, "form": form, "candidates": candidates},
        status=status,
    )


@login_required
@require_safe
def audit_trail(request: AuthenticatedHttpRequest, slug: str) -> HttpResponse:
    """Who viewed or changed which client's data, or was refused it, newest first, 50 a page.

    On the page, one person's repeated views of one client within half an hour are one
    line ("viewed 4 times, 10:02–10:25"); the stored rows stay complete.
    """
    clinic = clinic_for(request, slug, Action.VIEW_AUDIT)
    clients, actors = selectors.audit_people(clinic)
    form = AuditFilterForm(request.GET or None, clients=clients, actors=actors)
    client_id = actor_id = None
    action = ""
    if form.is_bound and form.is_valid():
        client_id = form.cleaned_data["client"]
        actor_id = form.cleaned_data["actor"]
        action = form.cleaned_data["action"]
    events = selectors.audit_events(clinic, client_id=client_id, actor_id=actor_id, action=action)
    page = Paginator(events, AUDIT_PAGE_SIZE).get_page(request.GET.get("page"))
    # Repeated views of one client by one person read as one line; every row stays stored.
    lines = audit_lines(page.object_list)
    query = request.GET.copy()
    query.pop("page", None)
    return render(
        request,
        "clinics/audit.html",
        {
            "clinic": clinic,
            "form": form,
            "page": page,
            "lines": lines,
            "window_minutes": int(REPEAT_WINDOW.total_seconds() // 60),
            "query": query.urlencode(),
            "filtered": bool(client_id or actor_id or action),
        },
    )
