"""The reading library: the list, the article page, progress, notes and assignments.

Who reads what
- a client: every module, with their own progress and a private note;
- an ally (with an open link): only modules written for allies, without progress;
- a clinician or clinic admin: every module as a preview, so they know what they assign;
- anyone else signed in: refused; anonymous: sent to sign in.
Assigning and withdrawing reading is the primary clinician's (``Action.ASSIGN_WORK``).
"""

from __future__ import annotations

from typing import TYPE_CHECKING, Any

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import get_object_or_404, redirect, render
from django.utils.translation import gettext as _
from django.views.decorators.http import require_POST, require_safe

from waypost.access.policy import Action, own_enrollment, require, roles_of
from waypost.learn import selectors, services
from waypost.learn.content import Module, library
from waypost.learn.forms import AssignForm, NoteForm
from waypost.learn.models import ReadingAssignment
from waypost.program.models import Enrollment, Stage
from waypost.program.selectors import record_of_client

if TYPE_CHECKING:
    from waypost.accounts.http import AuthenticatedHttpRequest

CLIENT, ALLY, STAFF = "client", "ally", "staff"


def _reader(request: HttpRequest) -> tuple[str, Enrollment | None]:
    """Who is reading: a client (with their enrollment), an ally, or staff previewing."""
    require(request.user, Action.READ_LIBRARY)
    roles = roles_of(request.user)
    if roles.is_client:
        return CLIENT, own_enrollment(request.user)
    return (ALLY if roles.is_ally else STAFF), None


def _module(slug: str, reader: str) -> Module:
    module = library().get(slug)
    if module is None or (reader == ALLY and not module.for_allies):
        raise Http404
    return module


def _stage_filter(request: HttpRequest) -> int | None:
    """?stage=1..4 narrows the list; anything else shows every stage."""
    raw = request.GET.get("stage", "")
    return int(raw) if raw in ("1", "2", "3", "4") else None


def _stage_links(stage: int | None) -> list[dict[str, Any]]:
    return [{"value": s.value, "label": s.label, "current": s.value == stage} for s in Stage]


@login_required
@require_safe
def library_page(request: AuthenticatedHttpRequest) -> HttpResponse:
    """Every module the reader may read; for a client, assigned reading first."""
    reader, enrollment = _reader(request)
    stage = _stage_filter(request)
    context: dict[str, Any] = {"reader": reader, "stage": stage, "stages": _stage_links(stage)}
    if enrollment is not None:  # a client: _reader gives no one else an enrollment
        context["books"] = selectors.client_library(enrollment, stage=stage)
        context["core"] = selectors.core_reading(enrollment.client_id)
    elif reader == ALLY:
        # their own modules first, then the ones written for clients and allies alike
        context["modules"] = sorted(library().for_allies(), key=lambda m: m.audience != "ally")
    else:
        context["modules"] = [m for m in library() if stage is None or m.stage == stage]
    return render(request, "learn/library.html", context)


def _module_context(
    request: AuthenticatedHttpRequest, module: Module, reader: str, enrollment: Enrollment | None
) -> dict[str, Any]:
    context: dict[str, Any] = {"module": module, "reader": reader}
    if reader == CLIENT:
        progress = services.open_module(client=request.user, module=module)
        assignment = (
            ReadingAssignment.objects.filter(
                enrollment=enrollment, module_slug=module.slug, withdrawn_at__isnull=True
            )
            .only("due_on")
            .first()
        )
        context.update(
            progress=progress,
            assignment=assignment,
            note_form=NoteForm(initial={"note": progress.note}),
        )
        visible = list(library())
    elif reader == ALLY:
        visible = library().for_allies()
    else:
        visible = list(library())
    position = visible.index(module)
    context["next_module"] = visible[position + 1] if position + 1 < len(visible) else None
    return context


@login_required
@require_safe
def module_page(request: AuthenticatedHttpRequest, slug: str) -> HttpResponse:
    """One module to read. Opening it marks it started for a client."""
    reader, enrollment = _reader(request)
    module = _module(slug, reader)
    return render(
        request, "learn/module.html", _module_context(request, module, reader, enrollment)
    )


@login_required
@require_POST
def mark_read(request: AuthenticatedHttpRequest, slug: str) -> HttpResponse:
    enrollment = own_enrollment(request.user)
    module = _module(slug, CLIENT)
    services.mark_read(enrollment=enrollment, module=module)
    messages.success(request, _("Marked as read."))
    return redirect("learn:module", slug=module.slug)


@login_required
@require_POST
def save_note(request: AuthenticatedHttpRequest, slug: str) -> HttpResponse:
    enrollment = own_enrollment(request.user)
    module = _module(slug, CLIENT)
    form = NoteForm(request.POST)
    if form.is_valid():
        services.save_note(client=request.user, module=module, note=form.cleaned_data["note"])
        messages.success(
            request,
            _("Your note is saved.") if form.cleaned_data["note"] else _("Your note is cleared."),
        )
        return redirect("learn:module", slug=module.slug)
    context = _module_context(request, module, CLIENT, enrollment)
    context["note_form"] = form
    return render(request, "learn/module.html", context, status=400)


# --- the clinician's side ----------------------------------------------------------


def _assignable(request: HttpRequest, enrollment_id: int) -> Enrollment:
    return record_of_client(request.user, enrollment_id, Action.ASSIGN_WORK, path=request.path)


@login_required
@require_POST
def assign(request: AuthenticatedHttpRequest, enrollment_id: int) -> HttpResponse:
    """Assign a module as homework, optionally with a date to read it by."""
    enrollment = _assignable(request, enrollment_id)
    assigned = {a.module_slug for a in selectors.open_assignments(enrollment)}
    form = AssignForm(
        request.POST, modules=[m for m in library() if m.slug not in assigned], auto_id="learn_%s"
    )
    if form.is_valid():
        module = form.chosen_module
        try:
            services.assign_module(
                enrollment=enrollment,
                module=module,
                due_on=form.cleaned_data["due_on"],
                by=request.user,
                path=request.path,
            )
        except services.ReadingError as exc:
            form.add_error("module", str(exc))
        else:
            messages.success(
                request,
                _("“%(title)s” assigned. %(name)s will see it on their Today page.")
                % {"title": module.title, "name": enrollment.client.name},
            )
            return redirect("caseload:record", enrollment_id=enrollment.pk)
    return render(
        request, "learn/assign.html", {"enrollment": enrollment, "assign_form": form}, status=400
    )


@login_required
@require_POST
def withdraw(
    request: AuthenticatedHttpRequest, enrollment_id: int, assignment_id: int
) -> HttpResponse:
    """Take an assigned module back; the client's progress with it stays."""
    enrollment = _assignable(request, enrollment_id)
    assignment = get_object_or_404(enrollment.reading_assignments, pk=assignment_id)
    module = library().get(assignment.module_slug)
    title = module.title if module else assignment.module_slug
    if services.withdraw_assignment(assignment=assignment, by=request.user, path=request.path):
        messages.success(request, _("“%(title)s” is no longer assigned.") % {"title": title})
    else:
        messages.info(request, _("That reading had already been withdrawn."))
    return redirect("caseload:record", enrollment_id=enrollment.pk)
