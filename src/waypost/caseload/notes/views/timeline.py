"""The client's whole timeline for their primary clinician: ``clients/<id>/timeline/``.

Filtered by category (none chosen: everything), by a range of days in the viewer's
time zone, newest first, 50 a page. A read of the record, audited. Filters that make
no sense (a last day before the first) are said so, with a 400, and the page shows
everything instead.
"""

from __future__ import annotations

from typing import TYPE_CHECKING

from django.contrib.auth.decorators import login_required
from django.http import HttpResponse
from django.shortcuts import render
from django.utils import timezone
from django.views.decorators.http import require_safe

from waypost.caseload.notes import events as note_events
from waypost.caseload.notes import timeline
from waypost.caseload.notes.forms import TimelineFilterForm
from waypost.core import events
from waypost.program.selectors import record_of_client

if TYPE_CHECKING:
    from waypost.accounts.http import AuthenticatedHttpRequest


@login_required
@require_safe
def timeline_page(request: AuthenticatedHttpRequest, enrollment_id: int) -> HttpResponse:
    enrollment = record_of_client(request.user, enrollment_id, path=request.path)
    events.record_view(
        actor=request.user, enrollment=enrollment, what=note_events.TIMELINE, path=request.path
    )
    choices = [(c.key, str(c.label)) for c in timeline.known_categories()]
    asked = {key: value for key, value in request.GET.lists() if key != "page"}
    form = TimelineFilterForm(request.GET if asked else None, categories=choices)
    filters = timeline.Filters()
    status = 200
    if form.is_bound:
        if form.is_valid():
            filters = timeline.Filters(
                categories=tuple(form.cleaned_data["category"]),
                since=form.cleaned_data["since"],
                until=form.cleaned_data["until"],
            )
        else:
            status = 400
    page = timeline.events_page(
        enrollment, filters, zone=timezone.get_current_timezone(), page=request.GET.get("page")
    )
    labels = timeline.category_labels()
    return render(
        request,
        "session_notes/timeline.html",
        {
            "enrollment": enrollment,
            "form": form,
            "filters": filters,
            "page": page,
            "rows": [(event, labels.get(event.kind, "")) for event in page.object_list],
        },
        status=status,
    )
