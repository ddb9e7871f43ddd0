"""Stage 4's pages: the client's own under /goals/, their clinician's under /clients/<id>/goals/.

Who may do what
- the client: reads their goals and maintenance plan at any stage (``VIEW_OWN``); sets and
  edits them from Stage 4 on (``EDIT_GOALS``);
- their primary clinician: reads them on the record (``VIEW_RECORD``, audited), comments
  with a progress note and writes the maintenance plan with the client in session
  (``EDIT_GOALS``), agrees a plan version (``REVIEW_PLAN``), graduates the client and
  steps them back in (``CHANGE_STAGE``);
- everyone else: refused (another clinician's client is the record's 404).
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import TYPE_CHECKING, Any

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.http import HttpResponse
from django.shortcuts import redirect, render
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext as _
from django.views.decorators.http import require_http_methods, require_POST, require_safe

from waypost.access.policy import Action, can, own_enrollment, require
from waypost.core import events as core_events
from waypost.core.errors import DomainError
from waypost.flourish import domains, events, selectors, services
from waypost.flourish.forms import (
    AgreeForm,
    GoalEditForm,
    GoalForm,
    GraduateForm,
    MaintenanceForm,
    NoteForm,
    ReviewForm,
    StepBackForm,
    StepDoneForm,
    StepForm,
)
from waypost.flourish.models import Goal
from waypost.program.models import Enrollment
from waypost.program.selectors import record_of_client

if TYPE_CHECKING:
    from django import forms

    from waypost.accounts.http import AuthenticatedHttpRequest


@dataclass(frozen=True)
class Side:
    """Whose side a page is on: the client's own, or their clinician's."""

    enrollment: Enrollment
    for_client: bool

    def goals_url(self) -> str:
        if self.for_client:
            return reverse("flourish:goals")
        return reverse("flourish:client_goals", args=[self.enrollment.pk])

    def goal_url(self, goal: Goal) -> str:
        if self.for_client:
            return reverse("flourish:goal", args=[goal.pk])
        return reverse("flourish:client_goal", args=[self.enrollment.pk, goal.pk])


def _own(request: AuthenticatedHttpRequest) -> Side:
    return Side(own_enrollment(request.user), for_client=True)


def _clients(request: AuthenticatedHttpRequest, enrollment_id: int, *actions: Action) -> Side:
    return Side(
        record_of_client(request.user, enrollment_id, *actions, path=request.path),
        for_client=False,
    )


def _editing(request: AuthenticatedHttpRequest, side: Side) -> None:
    require(request.user, Action.EDIT_GOALS, side.enrollment)


def _viewed(request: AuthenticatedHttpRequest, side: Side, what: str) -> None:
    if not side.for_client:
        core_events.record_view(
            actor=request.user, enrollment=side.enrollment, what=what, path=request.path
        )


def _save(form: forms.Form, save: Any) -> Any:
    """Run ``save()`` for a valid form; a refusal goes on the form and returns None."""
    if not form.is_valid():
        return None
    try:
        return save()
    except DomainError as exc:
        form.add_error(None, exc.message)
        return None


def _context(request: AuthenticatedHttpRequest, side: Side, **extra: Any) -> dict[str, Any]:
    return {
        "side": side,
        "enrollment": side.enrollment,
        "for_client": side.for_client,
        "can_edit": can(request.user, Action.EDIT_GOALS, side.enrollment),
        "today": timezone.localdate(),
        **extra,
    }


# --- the goals list ----------------------------------------------------------------------


def _goals_page(request: AuthenticatedHttpRequest, side: Side, **extra: Any) -> HttpResponse:
    today = timezone.localdate()
    goals = selectors.goal_rows(side.enrollment)
    for goal in goals:
        goal.progress = selectors.progress(  # type: ignore[attr-defined]
            goal,
            today,
            done=goal.steps_done,  # type: ignore[attr-defined]
            total=goal.steps_total,  # type: ignore[attr-defined]
        )
    _viewed(request, side, events.GOALS)
    graduation = selectors.graduation_of(side.enrollment)
    context = _context(
        request,
        side,
        goals=goals,
        maintenance=selectors.maintenance_of(side.enrollment),
        graduation=graduation,
        is_alumni=graduation is not None and graduation.is_alumni,
        **extra,
    )
    status = 400 if any(getattr(f, "errors", None) for f in extra.values()) else 200
    return render(request, "flourish/goals.html", context, status=status)


@login_required
@require_safe
def goals(request: AuthenticatedHttpRequest) -> HttpResponse:
    return _goals_page(request, _own(request))


@login_required
@require_safe
def client_goals(request: AuthenticatedHttpRequest, enrollment_id: int) -> HttpResponse:
    side = _clients(request, enrollment_id)
    return _goals_page(
        request,
        side,
        graduate_form=GraduateForm(auto_id="graduate_%s"),
        step_back_form=StepBackForm(auto_id="back_%s"),
    )


# --- one goal --------------------------------------------------------------------------


def _goal_page(
    request: AuthenticatedHttpRequest, side: Side, goal: Goal, **forms_given: Any
) -> HttpResponse:
    today = timezone.localdate()
    steps = list(goal.steps.all())
    goal.progress = selectors.progress(  # type: ignore[attr-defined]
        goal, today, done=sum(1 for s in steps if s.is_done), total=len(steps)
    )
    _viewed(request, side, events.GOALS)
    forms_ = {
        "step_form": StepForm(auto_id="step_%s"),
        "note_form": NoteForm(auto_id="note_%s"),
        "review_form": ReviewForm(auto_id="review_%s"),
        **forms_given,
    }
    status = 400 if forms_given else 200
    return render(
        request,
        "flourish/goal.html",
        _context(request, side, goal=goal, steps=steps, notes=selectors.notes_of(goal), **forms_),
        status=status,
    )


@login_required
@require_safe
def goal(request: AuthenticatedHttpRequest, goal_id: int) -> HttpResponse:
    side = _own(request)
    return _goal_page(request, side, selectors.goal_of(side.enrollment, goal_id))


@login_required
@require_safe
def client_goal(
    request: AuthenticatedHttpRequest, enrollment_id: int, goal_id: int
) -> HttpResponse:
    side = _clients(request, enrollment_id)
    return _goal_page(request, side, selectors.goal_of(side.enrollment, goal_id))


@login_required
@require_http_methods(["GET", "POST"])
def goal_new(request: AuthenticatedHttpRequest) -> HttpResponse:
    side = _own(request)
    _editing(request, side)
    form = GoalForm(request.POST or None, auto_id="goal_%s")
    if request.method == "POST":
        created = _save(
            form,
            lambda: services.create_goal(
                enrollment=side.enrollment,
                by=request.user,
                domain=form.cleaned_data["domain"],
                title=form.cleaned_data["title"],
                why=form.cleaned_data["why"],
                review_on=form.cleaned_data["review_on"],
                steps=form.cleaned_data["steps"].splitlines(),
                client_uuid=form.cleaned_data["client_uuid"],
                path=request.path,
            ),
        )
        if created is not None:
            messages.success(request, _("Your goal is set. Small steps count."))
            return redirect(side.goal_url(created))
    elif not form.initial.get("client_uuid"):
        from uuid import uuid4

        form.initial["client_uuid"] = uuid4()
    return render(
        request,
        "flourish/goal_form.html",
        _context(request, side, form=form, domains=domains.domains(), goal=None),
        status=400 if form.errors else 200,
    )


@login_required
@require_http_methods(["GET", "POST"])
def goal_edit(request: AuthenticatedHttpRequest, goal_id: int) -> HttpResponse:
    side = _own(request)
    _editing(request, side)
    goal = selectors.goal_of(side.enrollment, goal_id)
    initial = {
        "domain": goal.domain,
        "title": goal.title,
        "why": goal.why,
        "review_on": goal.review_on,
        "status": goal.status,
    }
    form = GoalEditForm(request.POST or None, initial=initial, auto_id="goal_%s")
    if request.method == "POST":
        saved = _save(
            form,
            lambda: services.update_goal(
                goal=goal, by=request.user, path=request.path, **form.cleaned_data
            ),
        )
        if saved is not None:
            messages.success(request, _("Goal saved."))
            return redirect(side.goal_url(goal))
    return render(
        request,
        "flourish/goal_form.html",
        _context(request, side, form=form, domains=domains.domains(), goal=goal),
        status=400 if form.errors else 200,
    )


@login_required
@require_POST
def goal_step_add(request: AuthenticatedHttpRequest, goal_id: int) -> HttpResponse:
    side = _own(request)
    _editing(request, side)
    goal = selectors.goal_of(side.enrollment, goal_id)
    form = StepForm(request.POST, auto_id="step_%s")
    if _save(
        form,
        lambda: services.add_step(
            goal=goal, by=request.user, text=form.cleaned_data["text"], path=request.path
        ),
    ):
        return redirect(side.goal_url(goal) + "#steps")
    return _goal_page(request, side, goal, step_form=form)


@login_required
@require_POST
def goal_step_done(request: AuthenticatedHttpRequest, goal_id: int, step_id: int) -> HttpResponse:
    side = _own(request)
    _editing(request, side)
    goal = selectors.goal_of(side.enrollment, goal_id)
    step = selectors.step_of(goal, step_id)
    form = StepDoneForm(request.POST)
    form.is_valid()
    services.set_step_done(
        step=step, by=request.user, done=bool(form.cleaned_data.get("done")), path=request.path
    )
    return redirect(side.goal_url(goal) + "#steps")


def _note(request: AuthenticatedHttpRequest, side: Side, goal_id: int) -> HttpResponse:
    _editing(request, side)
    goal = selectors.goal_of(side.enrollment, goal_id)
    form = NoteForm(request.POST, auto_id="note_%s")
    if _save(
        form,
        lambda: services.add_note(
            goal=goal, by=request.user, text=form.cleaned_data["text"], path=request.path
        ),
    ):
        messages.success(request, _("Note added."))
        return redirect(side.goal_url(goal) + "#notes")
    return _goal_page(request, side, goal, note_form=form)


@login_required
@require_POST
def goal_note(request: AuthenticatedHttpRequest, goal_id: int) -> HttpResponse:
    return _note(request, _own(request), goal_id)


@login_required
@require_POST
def client_goal_note(
    request: AuthenticatedHttpRequest, enrollment_id: int, goal_id: int
) -> HttpResponse:
    return _note(request, _clients(request, enrollment_id, Action.EDIT_GOALS), goal_id)


@login_required
@require_POST
def goal_review(request: AuthenticatedHttpRequest, goal_id: int) -> HttpResponse:
    side = _own(request)
    _editing(request, side)
    goal = selectors.goal_of(side.enrollment, goal_id)
    form = ReviewForm(request.POST, auto_id="review_%s")
    if _save(
        form,
        lambda: services.review_goal(
            goal=goal,
            by=request.user,
            next_review_on=form.cleaned_data["next_review_on"],
            note=form.cleaned_data["note"],
            path=request.path,
        ),
    ):
        messages.success(request, _("Reviewed. Thank you for taking a moment to look back."))
        return redirect(side.goal_url(goal))
    return _goal_page(request, side, goal, review_form=form)


# --- the maintenance plan --------------------------------------------------------------


@login_required
@require_safe
def maintenance(request: AuthenticatedHttpRequest) -> HttpResponse:
    side = _own(request)
    return render(
        request,
        "flourish/maintenance.html",
        _context(request, side, maintenance=selectors.maintenance_of(side.enrollment)),
    )


def _maintenance_edit(request: AuthenticatedHttpRequest, side: Side) -> HttpResponse:
    _editing(request, side)
    current = selectors.maintenance_of(side.enrollment)
    initial: dict[str, Any] = {"rhythm": "several"}
    if current is not None:
        initial = {
            "rhythm": current.plan.rhythm,
            "warning_signs": "\n".join(current.content["warning_signs"]),
            "if_they_appear": "\n".join(current.content["if_they_appear"]),
        }
    form = MaintenanceForm(request.POST or None, initial=initial, auto_id="plan_%s")
    if request.method == "POST":
        saved = _save(
            form,
            lambda: services.save_maintenance_plan(
                enrollment=side.enrollment, by=request.user, path=request.path, **form.cleaned_data
            ),
        )
        if saved is not None:
            messages.success(
                request,
                _("Plan saved.")
                if side.for_client
                else _("Saved, and marked as written together in session."),
            )
            return redirect(
                reverse("flourish:maintenance") if side.for_client else side.goals_url()
            )
    elif not side.for_client:
        _viewed(request, side, events.MAINTENANCE)
    return render(
        request,
        "flourish/maintenance_form.html",
        _context(request, side, form=form, maintenance=current),
        status=400 if form.errors else 200,
    )


@login_required
@require_http_methods(["GET", "POST"])
def maintenance_edit(request: AuthenticatedHttpRequest) -> HttpResponse:
    return _maintenance_edit(request, _own(request))


@login_required
@require_http_methods(["GET", "POST"])
def client_maintenance_edit(request: AuthenticatedHttpRequest, enrollment_id: int) -> HttpResponse:
    return _maintenance_edit(request, _clients(request, enrollment_id, Action.EDIT_GOALS))


@login_required
@require_POST
def client_maintenance_agree(request: AuthenticatedHttpRequest, enrollment_id: int) -> HttpResponse:
    side = _clients(request, enrollment_id, Action.REVIEW_PLAN)
    form = AgreeForm(request.POST)
    if not form.is_valid():
        messages.error(request, _("Please open the plan again and agree from there."))
    else:
        try:
            services.agree_maintenance_plan(
                enrollment=side.enrollment,
                by=request.user,
                version=form.cleaned_data["version"],
                path=request.path,
            )
        except DomainError as exc:
            messages.error(request, exc.message)
        else:
            messages.success(request, _("Plan agreed with the client."))
    return redirect(side.goals_url())


# --- graduation ------------------------------------------------------------------------


@login_required
@require_POST
def graduate(request: AuthenticatedHttpRequest, enrollment_id: int) -> HttpResponse:
    side = _clients(request, enrollment_id, Action.CHANGE_STAGE)
    form = GraduateForm(request.POST, auto_id="graduate_%s")
    if _save(
        form,
        lambda: services.graduate(
            enrollment=side.enrollment,
            by=request.user,
            note=form.cleaned_data["note"],
            path=request.path,
        ),
    ):
        messages.success(request, _("Graduated. They keep their tools, data and sign-in."))
        return redirect(side.goals_url())
    return _goals_page(
        request, side, graduate_form=form, step_back_form=StepBackForm(auto_id="back_%s")
    )


@login_required
@require_POST
def step_back_in(request: AuthenticatedHttpRequest, enrollment_id: int) -> HttpResponse:
    side = _clients(request, enrollment_id, Action.CHANGE_STAGE)
    form = StepBackForm(request.POST, auto_id="back_%s")
    if _save(
        form,
        lambda: services.step_back_in(
            enrollment=side.enrollment,
            by=request.user,
            note=form.cleaned_data["note"],
            path=request.path,
        ),
    ):
        messages.success(request, _("Stepped back in: full support again."))
        return redirect(side.goals_url())
    return _goals_page(
        request, side, graduate_form=GraduateForm(auto_id="graduate_%s"), step_back_form=form
    )
