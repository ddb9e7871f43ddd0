"""The clinician's caseload and client record."""

from __future__ import annotations

from typing import TYPE_CHECKING, Any

from django.conf import settings
from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.http import HttpRequest, HttpResponse
from django.shortcuts import get_object_or_404, redirect, render
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext as _
from django.views.decorators.http import require_http_methods, require_POST, require_safe

from waypost.access.policy import Action, require, roles_of
from waypost.accounts.models import Invitation
from waypost.accounts.services import (
    InvitationError,
    create_invitation,
    revoke_invitation,
)
from waypost.accounts.services import (
    resend_invitation as do_resend_invitation,
)
from waypost.caseload import events as caseload_events
from waypost.caseload.forms import InviteClientForm, StageChangeForm
from waypost.caseload.selectors import pending_client_invitations
from waypost.core import clinic_pages, columns, events
from waypost.program import gates
from waypost.program.models import Enrollment, Stage
from waypost.program.selectors import record_of_client, visible_enrollments
from waypost.program.services import StageChangeError
from waypost.program.services import change_stage as do_change_stage

if TYPE_CHECKING:
    from waypost.accounts.http import AuthenticatedHttpRequest


def _record(request: HttpRequest, enrollment_id: int) -> Enrollment:
    return record_of_client(request.user, enrollment_id, path=request.path)


def _record_context(enrollment: Enrollment, form: StageChangeForm) -> dict[str, Any]:
    return {
        "enrollment": enrollment,
        "checklist": gates.checklist(enrollment),
        "changes": enrollment.stage_changes.select_related("changed_by"),
        "events": enrollment.timeline.select_related("actor")[:50],
        "form": form,
        "allies": enrollment.ally_links.filter(ended_at__isnull=True).select_related("ally"),
    }


@login_required
@require_safe
def caseload(request: AuthenticatedHttpRequest) -> HttpResponse:
    """One row per client: stage, days in it, last sign-in, and what each app adds.

    Each client listed is recorded in their clinic's audit trail (viewed · Caseload).
    """
    require(request.user, Action.VIEW_CASELOAD)
    enrollments = visible_enrollments(request.user).filter(status=Enrollment.Status.ACTIVE)
    stage = request.GET.get("stage", "")
    if stage in {"1", "2", "3", "4"}:
        enrollments = enrollments.filter(stage=int(stage))
    column_list, table = columns.rows(list(enrollments))
    attention_only = request.GET.get("show") == "attention"
    if attention_only:
        table = [row for row in table if row.needs_attention]
    # Who saw which clients listed: one audit row per client shown, in one query.
    events.record_list_view(
        actor=request.user,
        enrollments=[row.enrollment for row in table],
        what=caseload_events.CASELOAD,
        path=request.path,
    )
    return render(
        request,
        "caseload/list.html",
        {
            "columns": column_list,
            "rows": table,
            "stage": stage,
            "attention_only": attention_only,
            "stages": Stage.choices,
            "invitations": pending_client_invitations(request.user),
            "now": timezone.now(),
            "clinic_links": _clinic_links(request),
        },
    )


def _clinic_links(request: AuthenticatedHttpRequest) -> list[tuple[str, list[tuple[str, str]]]]:
    """Each clinic the clinician works at, with the clinic pages clinicians use there.

    (Group programmes, meeting lists: ``core.clinic_pages`` marks them ``for_clinicians``.)
    No query: the clinics come with the person's roles.
    """
    pages = clinic_pages.clinician_pages()
    if not pages:
        return []
    return [
        (
            profile.clinic.name,
            [
                (str(page.label), reverse(page.url_name, args=[profile.clinic.slug]))
                for page in pages
            ],
        )
        for profile in roles_of(request.user).clinician_profiles
    ]


@login_required
@require_http_methods(["GET", "POST"])
def invite_client(request: AuthenticatedHttpRequest) -> HttpResponse:
    roles = roles_of(request.user)
    require(request.user, Action.VIEW_CASELOAD)
    clinics = [profile.clinic for profile in roles.clinician_profiles]
    form = InviteClientForm(request.POST or None, clinics=clinics)
    if request.method == "POST" and form.is_valid():
        # A valid form has one of the clinician's own clinics (the only one, or the chosen one).
        assert form.clinic is not None
        create_invitation(
            kind=Invitation.Kind.CLIENT,
            clinic=form.clinic,
            email=form.cleaned_data["email"],
            name=form.cleaned_data["name"],
            by=request.user,
        )
        messages.success(
            request,
            _("Invitation sent. The link works once and for %(days)d days.")
            % {"days": settings.INVITATION_DAYS},
        )
        return redirect("caseload:list")
    return render(
        request,
        "caseload/invite.html",
        {"form": form, "clinic": clinics[0], "several_clinics": len(clinics) > 1},
    )


def _own_invitation(request: AuthenticatedHttpRequest, invitation_id: int) -> Invitation:
    """A client invitation the signed-in clinician sent; 404 for anyone else's."""
    require(request.user, Action.VIEW_CASELOAD)
    invitation = get_object_or_404(
        Invitation.objects.select_related("clinic"),
        pk=invitation_id,
        kind=Invitation.Kind.CLIENT,
        invited_by=request.user,
    )
    require(request.user, Action.MANAGE_INVITATION, invitation)
    return invitation


@login_required
@require_POST
def resend_invitation(request: AuthenticatedHttpRequest, invitation_id: int) -> HttpResponse:
    """A new link by e-mail for a client who has not joined yet; the old link stops working."""
    invitation = _own_invitation(request, invitation_id)
    try:
        do_resend_invitation(invitation=invitation, by=request.user)
    except InvitationError as exc:
        messages.error(request, exc.message)
    else:
        messages.success(
            request,
            _(
                "A new link is on its way to %(email)s. It works once and for %(days)d days; "
                "the earlier link no longer works."
            )
            % {"email": invitation.email, "days": settings.INVITATION_DAYS},
        )
    return redirect("caseload:list")


@login_required
@require_POST
def withdraw_invitation(request: AuthenticatedHttpRequest, invitation_id: int) -> HttpResponse:
    """Withdraw a client invitation: its link stops working, and the row keeps when."""
    invitation = _own_invitation(request, invitation_id)
    if revoke_invitation(invitation=invitation, by=request.user):
        messages.success(
            request,
            _("Invitation to %(email)s withdrawn. Its link no longer works.")
            % {"email": invitation.email},
        )
    else:
        messages.error(
            request,
            _("This invitation was already used or withdrawn, so nothing changed."),
        )
    return redirect("caseload:list")


@login_required
@require_safe
def client_record(request: AuthenticatedHttpRequest, enrollment_id: int) -> HttpResponse:
    enrollment = _record(request, enrollment_id)
    events.record_view(
        actor=request.user,
        enrollment=enrollment,
        what="client record",
        path=request.path,
    )
    return render(
        request,
        "caseload/record.html",
        _record_context(enrollment, StageChangeForm(current_stage=enrollment.stage)),
    )


@login_required
@require_POST
def change_stage(request: AuthenticatedHttpRequest, enrollment_id: int) -> HttpResponse:
    enrollment = _record(request, enrollment_id)
    require(request.user, Action.CHANGE_STAGE, enrollment)
    form = StageChangeForm(request.POST, current_stage=enrollment.stage)
    if form.is_valid():
        try:
            do_change_stage(
                enrollment=enrollment,
                to_stage=form.cleaned_data["to_stage"],
                reason=form.cleaned_data["reason"],
                by=request.user,
            )
        except StageChangeError as exc:
            form.add_error(None, exc.message)
        else:
            messages.success(request, _("Stage changed and recorded."))
            return redirect("caseload:record", enrollment_id=enrollment.pk)
    return render(request, "caseload/record.html", _record_context(enrollment, form), status=400)
