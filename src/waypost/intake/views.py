"""The client's pages: the history intake, one topic per screen, and their story."""

from __future__ import annotations

from collections.abc import Callable
from typing import TYPE_CHECKING, Any

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.http import Http404, HttpResponse
from django.shortcuts import redirect, render
from django.urls import reverse
from django.utils.translation import gettext as _
from django.views.decorators.http import require_http_methods, require_POST, require_safe

from waypost.access.policy import own_enrollment
from waypost.intake import services
from waypost.intake.story import PARTS, part_by_number
from waypost.intake.topics import TOPICS, describe, topic_by_number
from waypost.program.models import Enrollment

if TYPE_CHECKING:
    from waypost.accounts.http import AuthenticatedHttpRequest


def intake_sections(
    answers: dict[str, Any], change_url: Callable[[int], str] | None = None
) -> list[dict[str, Any]]:
    """Every topic with its answers in words, for the review pages (client and clinician)."""
    return [
        {
            "topic": topic,
            "saved": topic.key in answers,
            "rows": describe(topic, answers.get(topic.key) or {}),
            "change_url": change_url(topic.number) if change_url else None,
        }
        for topic in TOPICS
    ]


def topic_page(
    request: AuthenticatedHttpRequest,
    *,
    enrollment: Enrollment,
    number: int,
    url_for: Callable[[int], str],
    done_url: str,
    template_extra: dict[str, Any],
) -> HttpResponse:
    """One intake topic, shown and saved: shared by the client's and the clinician's pages.

    ``url_for(n)`` gives the URL of topic ``n``; after the last topic, ``done_url``.
    """
    topic = topic_by_number(number)
    if topic is None:
        raise Http404
    intake = services.intake_of(enrollment)
    answers = intake.answers
    next_url = url_for(number + 1) if number < len(TOPICS) else done_url
    form = topic.form_class(
        request.POST if request.method == "POST" else None,
        initial=answers.get(topic.key) or {},
        answers=answers,
    )
    if request.method == "POST" and form.is_valid():
        services.save_intake_topic(
            enrollment=enrollment, topic_key=topic.key, answers=form.to_answers(), by=request.user
        )
        return redirect(next_url)
    return render(
        request,
        "intake/topic.html",
        {
            "topic": topic,
            "form": form,
            "total": len(TOPICS),
            "saved": topic.key in answers,
            "previous_url": url_for(number - 1) if number > 1 else None,
            "next_url": next_url,
            "is_last": number == len(TOPICS),
            **template_extra,
        },
        status=400 if form.is_bound else 200,
    )


# --- the history intake ----------------------------------------------------------------


@login_required
@require_safe
def intake_overview(request: AuthenticatedHttpRequest) -> HttpResponse:
    enrollment = own_enrollment(request.user)
    intake = services.intake_of(enrollment)
    progress = services.intake_progress(intake)
    return render(
        request,
        "intake/overview.html",
        {
            "progress": progress,
            "sent_by_client": intake.completed_by_id == request.user.pk,
            "topics": [{"topic": t, "saved": t.key in progress.saved} for t in TOPICS],
        },
    )


@login_required
@require_http_methods(["GET", "POST"])
def intake_topic(request: AuthenticatedHttpRequest, number: int) -> HttpResponse:
    enrollment = own_enrollment(request.user)
    return topic_page(
        request,
        enrollment=enrollment,
        number=number,
        url_for=lambda n: reverse("intake:topic", kwargs={"number": n}),
        done_url=reverse("intake:review"),
        template_extra={"overview_url": reverse("intake:overview")},
    )


@login_required
@require_http_methods(["GET", "POST"])
def intake_review(request: AuthenticatedHttpRequest) -> HttpResponse:
    """Every answer on one page, with "Change" links; sending it happens here."""
    enrollment = own_enrollment(request.user)
    error = ""
    if request.method == "POST":
        try:
            services.complete_intake(enrollment=enrollment, by=request.user)
        except services.IntakeError as exc:
            error = str(exc)
        else:
            messages.success(
                request,
                _(
                    "Thank you. Your clinician can now see your history and will go through "
                    "it with you."
                ),
            )
            return redirect("intake:overview")
    intake = services.intake_of(enrollment)
    progress = services.intake_progress(intake)
    return render(
        request,
        "intake/review.html",
        {
            "progress": progress,
            "sent_by_client": intake.completed_by_id == request.user.pk,
            "sections": intake_sections(
                intake.answers, lambda n: reverse("intake:topic", kwargs={"number": n})
            ),
            "error": error,
        },
        status=400 if error else 200,
    )


# --- the story -------------------------------------------------------------------------


@login_required
@require_safe
def story_overview(request: AuthenticatedHttpRequest) -> HttpResponse:
    enrollment = own_enrollment(request.user)
    story = services.story_of(enrollment)
    draft = story.draft
    return render(
        request,
        "intake/story_overview.html",
        {
            "story": story,
            "parts": [{"part": p, "written": bool(draft.get(p.key))} for p in PARTS],
            "written_count": len(services.written_parts(draft)),
        },
    )


@login_required
@require_http_methods(["GET", "POST"])
def story_part(request: AuthenticatedHttpRequest, number: int) -> HttpResponse:
    enrollment = own_enrollment(request.user)
    part = part_by_number(number)
    if part is None:
        raise Http404
    story = services.story_of(enrollment)
    form = part.form_class(
        request.POST if request.method == "POST" else None,
        initial=story.draft.get(part.key) or {},
    )
    next_url = (
        reverse("intake:story_part", kwargs={"number": number + 1})
        if number < len(PARTS)
        else reverse("intake:story")
    )
    if request.method == "POST" and form.is_valid():
        story = services.save_story_part(
            enrollment=enrollment, part_key=part.key, content=form.to_content(), by=request.user
        )
        if story.is_shared:
            messages.success(
                request,
                _("Draft saved. Your clinician still sees the version you shared earlier."),
            )
        else:
            messages.success(request, _("Draft saved. Only you can see it."))
        if request.POST.get("go") == "next":
            return redirect(next_url)
        return redirect("intake:story_part", number=number)
    return render(
        request,
        "intake/story_part.html",
        {
            "part": part,
            "form": form,
            "total": len(PARTS),
            "story": story,
            "previous_url": (
                reverse("intake:story_part", kwargs={"number": number - 1}) if number > 1 else None
            ),
            "next_url": next_url,
            "is_last": number == len(PARTS),
        },
        status=400 if form.is_bound else 200,
    )


@login_required
@require_POST
def story_share(request: AuthenticatedHttpRequest) -> HttpResponse:
    """Share the story as it is now, or stop sharing it."""
    enrollment = own_enrollment(request.user)
    action = request.POST.get("action")
    try:
        if action == "share":
            services.share_story(enrollment=enrollment, by=request.user)
            messages.success(
                request,
                _(
                    "Shared. Your clinician can now read your story as it is today. Changes you "
                    "make from now on stay private until you share again."
                ),
            )
        elif action == "unshare":
            services.unshare_story(enrollment=enrollment, by=request.user)
            messages.success(
                request,
                _("Your clinician can no longer see your story. Your draft is still here."),
            )
        else:
            messages.error(request, _("That did not work. Nothing was changed."))
    except services.StoryError as exc:
        messages.error(request, str(exc))
    return redirect("intake:story")
