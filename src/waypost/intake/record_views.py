"""The clinician's pages on a client's record: the full intake, filling it in together,
and the story the client shared. Every request is audited."""

from __future__ import annotations

from collections.abc import Callable
from typing import TYPE_CHECKING

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.http import HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.urls import reverse
from django.utils.translation import gettext as _
from django.views.decorators.http import require_http_methods, require_POST, require_safe

from waypost.access.policy import Action
from waypost.core import events
from waypost.intake import factors, services
from waypost.intake.summary import summary_rows
from waypost.intake.views import intake_sections, topic_page
from waypost.program.models import Enrollment
from waypost.program.selectors import record_of_client

if TYPE_CHECKING:
    from waypost.accounts.http import AuthenticatedHttpRequest


def _record(request: HttpRequest, enrollment_id: int, action: Action) -> Enrollment:
    return record_of_client(request.user, enrollment_id, action, path=request.path)


def _topic_url(enrollment: Enrollment) -> Callable[[int], str]:
    return lambda n: reverse(
        "intake:record_topic", kwargs={"enrollment_id": enrollment.pk, "number": n}
    )


@login_required
@require_safe
def record_intake(request: AuthenticatedHttpRequest, enrollment_id: int) -> HttpResponse:
    """Everything the client answered, the summary of factors, and how far they are."""
    enrollment = _record(request, enrollment_id, Action.VIEW_RECORD)
    events.record_view(
        actor=request.user,
        enrollment=enrollment,
        what="history intake",
        path=request.path,
    )
    intake = services.intake_of(enrollment)
    answers = intake.answers
    return render(
        request,
        "intake/record_intake.html",
        {
            "enrollment": enrollment,
            "intake": intake,
            "progress": services.intake_progress(intake),
            "rows": summary_rows(answers) if answers else [],
            "mainly_moral": factors.mainly_moral(answers),
            "sections": intake_sections(answers, _topic_url(enrollment)),
        },
    )


@login_required
@require_http_methods(["GET", "POST"])
def record_topic(
    request: AuthenticatedHttpRequest, enrollment_id: int, number: int
) -> HttpResponse:
    """One topic, filled in or corrected together with the client in session."""
    enrollment = _record(request, enrollment_id, Action.ASSIGN_WORK)
    if request.method == "GET":
        events.record_view(
            actor=request.user,
            enrollment=enrollment,
            what="history intake",
            path=request.path,
        )
    record_url = reverse("intake:record_intake", kwargs={"enrollment_id": enrollment.pk})
    return topic_page(
        request,
        enrollment=enrollment,
        number=number,
        url_for=_topic_url(enrollment),
        done_url=record_url,
        template_extra={"overview_url": record_url, "with_client": enrollment.client},
    )


@login_required
@require_POST
def record_complete(request: AuthenticatedHttpRequest, enrollment_id: int) -> HttpResponse:
    """Mark the intake complete after going through it with the client."""
    enrollment = _record(request, enrollment_id, Action.ASSIGN_WORK)
    try:
        services.complete_intake(enrollment=enrollment, by=request.user)
    except services.IntakeError as exc:
        messages.error(request, str(exc))
    else:
        messages.success(request, _("History intake marked complete."))
    return redirect("intake:record_intake", enrollment_id=enrollment.pk)


@login_required
@require_safe
def record_story(request: AuthenticatedHttpRequest, enrollment_id: int) -> HttpResponse:
    """The version of their story the client shared; never the draft."""
    enrollment = _record(request, enrollment_id, Action.VIEW_RECORD)
    story = services.story_of(enrollment)
    if story.is_shared:
        events.record_view(
            actor=request.user,
            enrollment=enrollment,
            what="shared story",
            path=request.path,
        )
    return render(
        request,
        "intake/record_story.html",
        {
            "enrollment": enrollment,
            "shared_at": story.shared_at,
            "parts": services.story_parts_for_reading(story.shared) if story.is_shared else [],
        },
    )
