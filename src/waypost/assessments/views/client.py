"""The client's questionnaires: what is due, one question per screen, review, results.

One tap per question. The question and review pages are plain forms and links that
work without JavaScript; ``static/assessments/questionnaire.js`` enhances them: it
sends the same requests with the header ``X-Waypost-Fragment: 1`` and swaps in what
comes back. For such a request these views answer with

- the step itself (the ``_question.html`` / ``_review.html`` fragment, the very
  template the full page includes), marked ``X-Waypost-Fragment: 1``, with
  ``X-Waypost-Url`` naming its address for the browser's history; after a saved
  answer that is the next step, in the same response (no redirect round trip);
- ``204`` with ``X-Waypost-Navigate: <url>`` where a full page would be redirected
  (a critical answer's support page, a form that closed or was sent, its result):
  the script then loads that page normally, so messages and help are shown as
  without JavaScript.

Anything else (a refused answer, an expired session, an error) is not a fragment,
and the script falls back to a normal page load. Answers go through the same
service either way: the same checks, the same alert at the moment of a critical
answer.

Client pages use plain words: the questionnaire's ``plain_name``, never its code.
"""

from __future__ import annotations

from collections.abc import Iterable
from typing import TYPE_CHECKING, Any

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.http import Http404, HttpRequest, HttpResponse, JsonResponse
from django.shortcuts import get_object_or_404, redirect, render
from django.urls import reverse
from django.utils.cache import patch_vary_headers
from django.utils.translation import gettext as _
from django.views.decorators.http import require_http_methods, require_safe

from waypost.access.policy import own_enrollment
from waypost.assessments import catalog, fhir, results, selectors, services
from waypost.assessments.models import Administration, Assignment
from waypost.program.models import Enrollment

if TYPE_CHECKING:
    from waypost.accounts.http import AuthenticatedHttpRequest


# The header questionnaire.js sends, and the one a fragment answer carries back.
FRAGMENT_HEADER = "X-Waypost-Fragment"
URL_HEADER = "X-Waypost-Url"
NAVIGATE_HEADER = "X-Waypost-Navigate"


def wants_fragment(request: HttpRequest) -> bool:
    """Whether the questionnaire script asked for the step alone, to swap it in place."""
    return request.headers.get(FRAGMENT_HEADER) == "1"


def _step(
    request: HttpRequest,
    name: str,
    context: dict[str, Any],
    *,
    url: str,
    status: int = 200,
) -> HttpResponse:
    """A questionnaire step: the full page ``<name>.html``, or only ``_<name>.html``.

    Both are one template: the full page includes the fragment.
    """
    if wants_fragment(request):
        response = render(request, f"assessments/_{name}.html", context, status=status)
        response[FRAGMENT_HEADER] = "1"
        response[URL_HEADER] = url
    else:
        response = render(request, f"assessments/{name}.html", context, status=status)
    # The same address answers a page or a fragment: caches must keep them apart.
    patch_vary_headers(response, [FRAGMENT_HEADER])
    return response


def _go(request: HttpRequest, url: str) -> HttpResponse:
    """A redirect; for the script, "load this page" (it then follows it as a normal page)."""
    if wants_fragment(request):
        response = HttpResponse(status=204)
        response[NAVIGATE_HEADER] = url
        patch_vary_headers(response, [FRAGMENT_HEADER])
        return response
    return redirect(url)


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
    """One question; choosing an answer (a POST) saves it and moves on."""
    form, entry = _own_form(request, form_id)
    items = entry.instrument.items
    if not 1 <= position <= len(items):
        raise Http404
    if not form.is_open:
        return _go(request, reverse("assessments:start", args=[form.pk]))
    item = items[position - 1]
    error = ""
    status = 200
    from_review = request.GET.get("from") == "review"
    if request.method == "POST":
        from_review = request.POST.get("then") == "review"
        try:
            outcome = services.record_answer(
                form=form, link_id=item.link_id, value=request.POST.get("answer"), by=request.user
            )
        except services.MeasureError as exc:
            error, status = exc.message, 400
        else:
            form.refresh_from_db()
            if outcome.critical is not None:
                return _go(request, reverse("assessments:support", args=[form.pk]))
            if from_review or position == len(items):
                if wants_fragment(request):
                    return _review_step(request, form, entry)
                return redirect("assessments:review", form_id=form.pk)
            if wants_fragment(request):
                return _question_step(request, form, entry, position + 1)
            return redirect("assessments:question", form_id=form.pk, position=position + 1)
    return _question_step(
        request, form, entry, position, from_review=from_review, error=error, status=status
    )


def _question_step(
    request: HttpRequest,
    form: Administration,
    entry: catalog.Entry,
    position: int,
    *,
    from_review: bool = False,
    error: str = "",
    status: int = 200,
) -> HttpResponse:
    items = entry.instrument.items
    item = items[position - 1]
    url = reverse("assessments:question", args=[form.pk, position])
    return _step(
        request,
        "question",
        {
            "form": form,
            "entry": entry,
            "item": item,
            "position": position,
            "count": len(items),
            "answered": form.answers.get(item.link_id),
            "error": error,
            "from_review": from_review,
            "action": url,
        },
        url=url + ("?from=review" if from_review else ""),
        status=status,
    )


@login_required
@require_http_methods(["GET", "HEAD", "POST"])
def review(request: AuthenticatedHttpRequest, form_id: int) -> HttpResponse:
    """Every answer on one page, each one tap from changing; Send scores the form."""
    form, entry = _own_form(request, form_id)
    if form.status == Administration.Status.COMPLETED:
        return _go(request, reverse("assessments:result", args=[form.pk]))
    if not form.is_open:
        return _go(request, reverse("assessments:start", args=[form.pk]))
    error, status = "", 200
    if request.method == "POST":
        try:
            services.submit(form=form, by=request.user)
        except services.MeasureError as exc:
            error, status = exc.message, 400
        else:
            return _go(request, reverse("assessments:result", args=[form.pk]))
    return _review_step(request, form, entry, error=error, status=status)


def _review_step(
    request: HttpRequest,
    form: Administration,
    entry: catalog.Entry,
    *,
    error: str = "",
    status: int = 200,
) -> HttpResponse:
    answers = form.answers
    rows = []
    for position, item in enumerate(entry.instrument.items, start=1):
        value = answers.get(item.link_id)
        option = item.option_for(value) if value is not None else None
        rows.append({"position": position, "item": item, "option": option})
    return _step(
        request,
        "review",
        {
            "form": form,
            "entry": entry,
            "rows": rows,
            "count": len(rows),
            "answered_count": sum(1 for r in rows if r["option"]),
            "complete": all(r["option"] for r in rows),
            "error": error,
        },
        url=reverse("assessments:review", args=[form.pk]),
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
    history = results.history_for(form.enrollment, entry.id, plain=True)
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
    found = results.history_for(enrollment, instrument_id, plain=True)
    if found is None:
        raise Http404
    return render(request, "assessments/history.html", {"history": found, "own": True})


# The two file downloads: no longer linked from the client's result pages (the client's
# data page under "Me" offers them), kept for that page and for old links.
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
