"""The clinic's groups, for its clinicians and admins (``Action.MANAGE_GROUPS``).

- ``clinic/<slug>/groups/``: every programme with its schedule, places and next session;
- ``clinic/<slug>/groups/new/``: define a programme;
- ``groups/<pk>/``: one group: members, enrolling, the coming and the last sessions;
- ``groups/<pk>/edit/``: change it;
- ``groups/<pk>/members/add/`` and ``groups/<pk>/members/<id>/remove/`` (POST).

A change redirects back (POST-redirect-GET); a form that cannot be saved is shown again
with a 400 and nothing changes.
"""

from __future__ import annotations

from typing import TYPE_CHECKING, Any

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.http import Http404, HttpResponse
from django.shortcuts import redirect, render
from django.urls import URLPattern, path, reverse
from django.utils import timezone
from django.utils.translation import gettext as _
from django.views.decorators.http import require_http_methods, require_POST, require_safe

from waypost.access.policy import Action, can, roles_of
from waypost.clinics.views._access import clinic_for
from waypost.connect.groups import selectors, services
from waypost.connect.groups.forms import EnrolForm, ProgrammeForm
from waypost.connect.groups.views._access import programme_for

if TYPE_CHECKING:
    from waypost.accounts.http import AuthenticatedHttpRequest
    from waypost.clinics.models import Clinic
    from waypost.connect.groups.models import GroupProgramme


def _clinic_context(request: AuthenticatedHttpRequest, clinic: Clinic) -> dict[str, Any]:
    # The clinic admin's tabs only for its admins: a clinician has no use for them.
    return {"clinic": clinic, "admin_tabs": can(request.user, Action.MANAGE_CLINIC, clinic)}


def _back(programme: GroupProgramme, anchor: str = "") -> HttpResponse:
    url = reverse("group_therapy:group", args=[programme.pk])
    return redirect(f"{url}#{anchor}" if anchor else url)


@login_required
@require_safe
def clinic_groups(request: AuthenticatedHttpRequest, slug: str) -> HttpResponse:
    """The clinic's group programmes."""
    clinic = clinic_for(request, slug, Action.MANAGE_GROUPS)
    rows = selectors.clinic_programmes(clinic, timezone.now())
    return render(
        request,
        "group_therapy/clinic_groups.html",
        {**_clinic_context(request, clinic), "rows": rows},
    )


@login_required
@require_http_methods(["GET", "POST"])
def new_group(request: AuthenticatedHttpRequest, slug: str) -> HttpResponse:
    """Define a programme and its schedule, in the clinic's time zone."""
    clinic = clinic_for(request, slug, Action.MANAGE_GROUPS)
    if request.method == "POST":
        form = ProgrammeForm(request.POST, clinic=clinic)
        if form.is_valid():
            data = form.cleaned_data
            try:
                programme = services.define_programme(
                    clinic=clinic,
                    by=request.user,
                    name=data["name"],
                    about=data["about"],
                    plan=form.plan(),
                    facilitators=data["facilitators"],
                    capacity=data["capacity"],
                    room=data["room"],
                    online_url=data["online_url"],
                )
            except services.GroupError as exc:
                form.add_error(None, exc.message)
            else:
                messages.success(
                    request,
                    _("“%(name)s” is set up. Add its members below.") % {"name": programme.name},
                )
                return _back(programme, "members")
        status = 400
    else:
        profile = roles_of(request.user).clinician_profile_at(clinic.pk)
        form = ProgrammeForm(
            clinic=clinic,
            initial={
                "starts_on": timezone.localdate(),
                "interval_weeks": 1,
                "capacity": 10,
                "facilitators": [profile] if profile else [],
            },
        )
        status = 200
    return render(
        request,
        "group_therapy/programme_form.html",
        {**_clinic_context(request, clinic), "form": form, "programme": None},
        status=status,
    )


@login_required
@require_safe
def group(request: AuthenticatedHttpRequest, pk: int) -> HttpResponse:
    """One group: its members, places, and its coming and last sessions."""
    programme = programme_for(request, pk)
    now = timezone.now()
    page = selectors.group_page(programme, now)
    return render(
        request,
        "group_therapy/group.html",
        {
            "clinic": programme.clinic,
            "programme": programme,
            "page": page,
            "enrol_form": EnrolForm(programme=programme),
            "full": len(page.members) >= programme.capacity,
            "facilitator": can(request.user, Action.RUN_GROUP, programme),
            "attendance_opens": now + services.ATTENDANCE_OPENS,
            "now": now,
        },
    )


@login_required
@require_http_methods(["GET", "POST"])
def edit_group(request: AuthenticatedHttpRequest, pk: int) -> HttpResponse:
    """Change a group's name, schedule, place, facilitators or places."""
    programme = programme_for(request, pk)
    clinic = programme.clinic
    if request.method == "POST":
        form = ProgrammeForm(request.POST, clinic=clinic, programme=programme)
        if form.is_valid():
            data = form.cleaned_data
            try:
                services.update_programme(
                    programme=programme,
                    by=request.user,
                    name=data["name"],
                    about=data["about"],
                    plan=form.plan(),
                    facilitators=data["facilitators"],
                    capacity=data["capacity"],
                    room=data["room"],
                    online_url=data["online_url"],
                )
            except services.GroupError as exc:
                form.add_error(None, exc.message)
            else:
                messages.success(request, _("Saved."))
                return _back(programme)
        status = 400
    else:
        form = ProgrammeForm(
            clinic=clinic, programme=programme, initial=ProgrammeForm.initial_for(programme)
        )
        status = 200
    return render(
        request,
        "group_therapy/programme_form.html",
        {**_clinic_context(request, clinic), "form": form, "programme": programme},
        status=status,
    )


@login_required
@require_POST
def add_member(request: AuthenticatedHttpRequest, pk: int) -> HttpResponse:
    """Give a client of the clinic a place in the group."""
    programme = programme_for(request, pk)
    form = EnrolForm(request.POST, programme=programme)
    if not form.is_valid():
        messages.error(
            request, _("Choose one of the clinic's clients who is not in the group yet.")
        )
        return _back(programme, "members")
    enrollment = form.cleaned_data["enrollment"]
    try:
        services.enrol(programme=programme, enrollment=enrollment, by=request.user)
    except services.GroupError as exc:
        messages.error(request, exc.message)
    else:
        messages.success(
            request,
            _("%(name)s has a place in “%(group)s”.")
            % {"name": enrollment.client.name, "group": programme.name},
        )
    return _back(programme, "members")


@login_required
@require_POST
def remove_member(request: AuthenticatedHttpRequest, pk: int, member_id: int) -> HttpResponse:
    """Take a member off the group; their attendance so far is kept."""
    programme = programme_for(request, pk)
    member = programme.members.select_related("enrollment__client").filter(pk=member_id).first()
    if member is None:
        raise Http404
    member.programme = programme
    name = member.enrollment.client.name
    if services.leave(member=member, by=request.user):
        messages.success(
            request,
            _("%(name)s is no longer in the group. Their attendance is kept.") % {"name": name},
        )
    else:
        messages.info(request, _("%(name)s had already left the group.") % {"name": name})
    return _back(programme, "members")


urlpatterns: list[URLPattern] = [
    path("clinic/<slug:slug>/groups/", clinic_groups, name="clinic_groups"),
    path("clinic/<slug:slug>/groups/new/", new_group, name="new_group"),
    path("groups/<int:pk>/", group, name="group"),
    path("groups/<int:pk>/edit/", edit_group, name="edit_group"),
    path("groups/<int:pk>/members/add/", add_member, name="add_member"),
    path("groups/<int:pk>/members/<int:member_id>/remove/", remove_member, name="remove_member"),
]
