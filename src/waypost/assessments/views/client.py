"""The client's questionnaires: what is due, one question per screen, review, results."""

from __future__ import annotations

from collections.abc import Iterable
from typing import TYPE_CHECKING, Any

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.http import Http404, HttpRequest, HttpResponse, JsonResponse
from django.shortcuts import get_object_or_404, redirect, render
from django.urls import reverse
from django.utils.translation import gettext as _
from django.views.decorators.http import require_http_methods, require_safe

from waypost.access.policy import own_enrollment
from waypost.assessments import catalog, fhir, results, selectors, services
from waypost.assessments.models import Administration, Assignment
from waypost.program.models import Enrollment

if TYPE_CHECKING:
    from waypost.accounts.http import AuthenticatedHttpRequest


def _own_form(request: HttpRequest, form_id: int) -> tuple[Administration, catalog.Entry]:
    enrollment = own_enrollment(request.user)
    form = get_object_or_404(Administration, pk=form_id, enrollment=enrollment)
    entry = form.entry
    if entry is None:
        raise Http404
    return form, entry


def _next_question(form: Administration, entry: catalog.Entry) -> int | None:
    answers = form.answers
    for position, item in enumerate(entry.instrument.items, start=1):
        if item.link_id not in answers:
            return position
    return None


@login_required
@require_http_methods(["GET", "HEAD", "POST"])
def measures(request: AuthenticatedHttpRequest) -> HttpResponse:
    """What is waiting and the results so far; a POST starts a form that is due.

    Showing the page writes nothing: a form that fell due since the last sweep is
    listed from its schedule, and the Start button's POST opens it.
    """
    enrollment = own_enrollment(request.user)
    if request.method == "POST":
        return _start_due(request, enrollment)
    return render(
        request,
        "assessments/measures.html",
        {
            "enrollment": enrollment,
            "due": _with_entries(selectors.waiting_forms(enrollment)),
            "histories": results.histories(enrollment),
        },
    )


def _start_due(request: AuthenticatedHttpRequest, enrollment: Enrollment) -> HttpResponse:
    assignment_id = request.POST.get("assignment", "")
    if not (assignment_id.isascii() and assignment_id.isdecimal()):
        raise Http404
    assignment = get_object_or_404(Assignment, pk=int(assignment_id), enrollment=enrollment)
    try:
        form = services.start_due_form(assignment=assignment, by=request.user)
    except services.MeasureError as exc:
        messages.info(request, exc.message)
        return redirect("assessments:measures")
    return redirect("assessments:start", form_id=form.pk)


def _with_entries(forms: Iterable[Administration]) -> list[tuple[Administration, catalog.Entry]]:
    out = []
    for form in forms:
        entry = form.entry
        if entry is not None:
            out.append((form, entry))
    return out


@login_required
@require_safe
def start(request: AuthenticatedHttpRequest, form_id: int) -> HttpResponse:
    form, entry = _own_form(request, form_id)
    if form.status == Administration.Status.COMPLETED:
        return redirect("assessments:result", form_id=form.pk)
    if not form.is_open:
        messages.info(request, _("That questionnaire has closed. There is nothing you need to do."))
        return redirect("assessments:measures")
    position = _next_question(form, entry)
    if position is None:
        return redirect("assessments:review", form_id=form.pk)
    return redirect("assessments:question", form_id=form.pk, position=position)


@login_required
@require_http_methods(["GET", "HEAD", "POST"])
def question(request: AuthenticatedHttpRequest, form_id: int, position: int) -> HttpResponse:
    form, entry = _own_form(request, form_id)
    items = entry.instrument.items
    if not 1 <= position <= len(items):
        raise Http404
    if not form.is_open:
        return redirect("assessments:start", form_id=form.pk)
    item = items[position - 1]
    error = ""
    status = 200
    if request.method == "POST":
        try:
            outcome = services.record_answer(
                form=form, link_id=item.link_id, value=request.POST.get("answer"), by=request.user
            )
        except services.MeasureError as exc:
            error, status = exc.message, 400
        else:
            form.refresh_from_db()
            if outcome.critical is not None:
                return redirect("assessments:support", form_id=form.pk)
            if request.POST.get("then") == "review" or position == len(items):
                return redirect("assessments:review", form_id=form.pk)
            return redirect("assessments:question", form_id=form.pk, position=position + 1)
    answered = form.answers.get(item.link_id)
    return render(
        request,
        "assessments/question.html",
        {
            "form": form,
            "entry": entry,
            "item": item,
            "position": position,
            "count": len(items),
            "answered": answered,
            "error": error,
            "from_review": request.GET.get("from") == "review",
        },
        status=status,
    )


@login_required
@require_http_methods(["GET", "HEAD", "POST"])
def review(request: AuthenticatedHttpRequest, form_id: int) -> HttpResponse:
    form, entry = _own_form(request, form_id)
    if form.status == Administration.Status.COMPLETED:
        return redirect("assessments:result", form_id=form.pk)
    if not form.is_open:
        return redirect("assessments:start", form_id=form.pk)
    error, status = "", 200
    if request.method == "POST":
        try:
            services.submit(form=form, by=request.user)
        except services.MeasureError as exc:
            error, status = exc.message, 400
        else:
            return redirect("assessments:result", form_id=form.pk)
    answers = form.answers
    rows = []
    for position, item in enumerate(entry.instrument.items, start=1):
        value = answers.get(item.link_id)
        option = item.option_for(value) if value is not None else None
        rows.append({"position": position, "item": item, "option": option})
    return render(
        request,
        "assessments/review.html",
        {
            "form": form,
            "entry": entry,
            "rows": rows,
            "complete": all(r["option"] for r in rows),
            "error": error,
        },
        status=status,
    )


@login_required
@require_safe
def support(request: AuthenticatedHttpRequest, form_id: int) -> HttpResponse:
    """Straight after a critical answer: people to call and the client's own plan."""
    form, entry = _own_form(request, form_id)
    from waypost.clinics.models import CrisisLine
    from waypost.safety.services import latest_plan

    position = _next_question(form, entry)
    if form.status == Administration.Status.COMPLETED:
        continue_url = reverse("assessments:result", args=[form.pk])
    elif position is None:
        continue_url = reverse("assessments:review", args=[form.pk])
    else:
        continue_url = reverse("assessments:question", args=[form.pk, position])
    return render(
        request,
        "assessments/support.html",
        {
            "form": form,
            "entry": entry,
            "enrollment": form.enrollment,
            "crisis_lines": CrisisLine.objects.filter(clinic_id=form.enrollment.clinic_id),
            "plan": latest_plan(form.enrollment),
            "continue_url": continue_url if form.is_open or form.completed_at else "",
        },
    )


@login_required
@require_safe
def result(request: AuthenticatedHttpRequest, form_id: int) -> HttpResponse:
    form, entry = _own_form(request, form_id)
    if form.status != Administration.Status.COMPLETED:
        return redirect("assessments:start", form_id=form.pk)
    history = results.history_for(form.enrollment, entry.id)
    return render(
        request,
        "assessments/result.html",
        {
            "form": form,
            "entry": entry,
            "history": history,
            "subscales": results.subscale_scores(entry, form),
            "critical": [f for f in form.flags if f.startswith("critical:")],
        },
    )


@login_required
@require_safe
def history(request: AuthenticatedHttpRequest, instrument_id: str) -> HttpResponse:
    enrollment = own_enrollment(request.user)
    found = results.history_for(enrollment, instrument_id)
    if found is None:
        raise Http404
    return render(request, "assessments/history.html", {"history": found, "own": True})


@login_required
@require_safe
def export_response(request: AuthenticatedHttpRequest, form_id: int) -> HttpResponse:
    form, _entry = _own_form(request, form_id)
    return _json_download(fhir.questionnaire_response(form), f"{form.instrument_id}-{form.pk}")


@login_required
@require_safe
def export_observation(request: AuthenticatedHttpRequest, form_id: int) -> HttpResponse:
    form, _entry = _own_form(request, form_id)
    if form.status != Administration.Status.COMPLETED:
        raise Http404
    return _json_download(fhir.observation(form), f"{form.instrument_id}-{form.pk}-score")


def _json_download(resource: dict[str, Any], name: str) -> JsonResponse:
    response = JsonResponse(resource, json_dumps_params={"indent": 2, "ensure_ascii": False})
    response["Content-Type"] = "application/fhir+json; charset=utf-8"
    response["Content-Disposition"] = f'attachment; filename="{name}.json"'
    response["Cache-Control"] = "no-store"
    return response
