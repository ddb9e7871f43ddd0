"""The skills toolbox: the exercises, one page each, and the practice log.

Who: reading the exercises helps anyone in the program and costs nothing, so every
client may open them, in any stage (``own_enrollment``). The practice log is part of
the Stage 2 log (``Action.LOG_RECOVERY``): from Stage 2 on, a finished or stopped
timer, a walked-through exercise or the "I practised" form keeps a practice. Staff,
allies and strangers are refused, as on every client page.

``/toolbox/practice/`` also serves the offline queue: a POST with the header
``X-Waypost-Replay: 1`` is answered in JSON (``core.offline.stored`` / ``refused``).

Every page here works without JavaScript (all steps shown); ``recovery/toolbox.js``
adds the timers, the pacer and the step-through. Each page links the safety plan.
"""

from __future__ import annotations

import uuid
from datetime import timedelta
from typing import TYPE_CHECKING, Any

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.urls import reverse
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy, ngettext
from django.views.decorators.http import require_POST, require_safe

from waypost.access.policy import Action, can, own_enrollment, require
from waypost.core import audit, events, exports, help_doors, offline, panels
from waypost.program.models import Enrollment, Stage
from waypost.recovery import selectors, skills
from waypost.recovery.practice_forms import PracticeForm
from waypost.recovery.services import practice as practice_services

if TYPE_CHECKING:
    from django_stubs_ext import StrOrPromise

    from waypost.accounts.http import AuthenticatedHttpRequest

STYLESHEET = "recovery/toolbox.css"
SCRIPT = "recovery/toolbox.js"
# The exercise "I'm having an urge" opens straight into, and the one offered beside it.
URGE_EXERCISE = "ride-the-wave-90"
BREATHING_EXERCISE = "paced-breathing"

GROUP_TITLES: dict[str, StrOrPromise] = {
    "urge": gettext_lazy("When an urge comes"),
    "calm": gettext_lazy("Calm and steady"),
    "feelings": gettext_lazy("Working with feelings"),
    "through": gettext_lazy("Getting through a hard moment"),
}
GROUP_HINTS: dict[str, StrOrPromise] = {
    "urge": gettext_lazy("Riding out an urge without acting on it: short, and longer."),
    "calm": gettext_lazy("Breathing, grounding and a quiet sit, for settling body and mind."),
    "feelings": gettext_lazy("Naming what you feel, checking the story, acting against the pull."),
    "through": gettext_lazy("Quick ways to get through the worst minutes without making it worse."),
}


def toolbox_text() -> dict[str, str]:
    """The words recovery/toolbox.js says, translated (read from a JSON block)."""
    return {
        "step": _("Step %(n)s of %(total)s"),
        "left": _("%(time)s left"),
        "breathe_in": _("Breathe in"),
        "hold": _("Hold"),
        "breathe_out": _("Breathe out"),
        "rest": _("Rest"),
        "stopped": _("You stopped after %(time)s. That still counts."),
        "done": _("Finished: %(time)s."),
        "paused": _("Paused"),
        "minute": _("1 minute"),
        "minutes": _("%(n)s minutes"),
        "seconds": _("%(n)s seconds"),
        "minutes_seconds": _("%(m)s min %(s)s s"),
    }


def _week(request: HttpRequest, enrollment: Enrollment) -> practice_services.PracticeWeek | None:
    if not can(request.user, Action.LOG_RECOVERY, enrollment):
        return None
    today = selectors.client_today(enrollment, client=request.user)
    return practice_services.practice_week(enrollment, today)


def practice_form(
    request: HttpRequest, enrollment: Enrollment, skill: skills.Skill
) -> PracticeForm | None:
    """A fresh "I practised" form for ``skill``, or None if this client keeps no log yet."""
    if not can(request.user, Action.LOG_RECOVERY, enrollment):
        return None
    return PracticeForm(initial={"skill": skill.slug, "client_uuid": uuid.uuid4()})


def _exercise_context(
    request: HttpRequest, enrollment: Enrollment, skill: skills.Skill, form: PracticeForm | None
) -> dict[str, Any]:
    return {
        "enrollment": enrollment,
        "skill": skill,
        "form": form,
        "week": _week(request, enrollment) if skill.kind == "timer" else None,
        "toolbox_text": toolbox_text(),
        "group_title": GROUP_TITLES[skill.group],
    }


@login_required
@require_safe
def toolbox(request: AuthenticatedHttpRequest) -> HttpResponse:
    """Every exercise by group, the quick ones first, and this week's practice."""
    enrollment = own_enrollment(request.user)
    box = skills.toolbox()
    groups = [
        (key, GROUP_TITLES[key], GROUP_HINTS[key], box.in_group(key))
        for key in skills.GROUPS
        if box.in_group(key)
    ]
    return render(
        request,
        "recovery/toolbox/index.html",
        {
            "enrollment": enrollment,
            "quick": box.quick,
            "groups": groups,
            "week": _week(request, enrollment),
        },
    )


@login_required
@require_safe
def exercise(request: AuthenticatedHttpRequest, slug: str) -> HttpResponse:
    """One exercise: every step on the page; with JavaScript, a timer or a step-through."""
    enrollment = own_enrollment(request.user)
    skill = skills.toolbox().get(slug)
    if skill is None:
        raise Http404
    form = practice_form(request, enrollment, skill)
    return render(
        request,
        "recovery/toolbox/exercise.html",
        _exercise_context(request, enrollment, skill, form),
    )


def _duration(seconds: int) -> str:
    """90 → "1 min 30 s"; 45 → "45 seconds"; 900 → "15 minutes" (as toolbox.js says it)."""
    if seconds < 60:
        return ngettext("%(n)d second", "%(n)d seconds", seconds) % {"n": seconds}
    minutes, rest = divmod(seconds, 60)
    if minutes < 10 and rest:
        return _("%(m)s min %(s)s s") % {"m": minutes, "s": rest}
    minutes = (seconds + 30) // 60
    return ngettext("%(n)d minute", "%(n)d minutes", minutes) % {"n": minutes}


def _logged_line(seconds: int) -> str:
    return _("Logged in your practice log: %(time)s. Well done.") % {"time": _duration(seconds)}


@login_required
@require_POST
def practice_log(request: AuthenticatedHttpRequest) -> HttpResponse:
    """Keep one practice (Stage 2 on); the offline queue's replays get JSON."""
    enrollment = own_enrollment(request.user)
    require(request.user, Action.LOG_RECOVERY, enrollment)
    form = PracticeForm(request.POST)
    replay = offline.is_replay(request)
    if form.is_valid():
        data = form.cleaned_data
        try:
            practice, created = practice_services.log_practice(
                enrollment=enrollment,
                by=request.user,
                skill=data["skill"],
                seconds=data["total_seconds"],
                client_uuid=data["client_uuid"],
                path=request.path,
                # a practice kept on the phone without a signal counts on its own day
                at=offline.queued_at(request),
            )
        except practice_services.PracticeError as exc:
            form.add_error(None, exc.message)
        else:
            line = _logged_line(practice.seconds)
            if replay:
                return offline.stored(created=created, message=line)
            messages.success(request, line)
            return redirect("recovery:exercise", slug=practice.skill)
    if replay:
        return offline.refused(form.errors)
    skill = skills.toolbox().get(str(form.data.get("skill", "")))
    if skill is None:
        messages.error(request, _("That exercise is not in the toolbox."))
        return redirect("recovery:toolbox")
    return render(
        request,
        "recovery/toolbox/exercise.html",
        _exercise_context(request, enrollment, skill, form),
        status=400,
    )


# --- wiring (called from RecoveryConfig.ready()) ---------------------------------------


def today_card(request: HttpRequest, enrollment: Enrollment) -> dict[str, Any] | None:
    """A small way into the toolbox on Today, for every client; no query."""
    return {} if can(request.user, Action.VIEW_OWN, enrollment) else None


PRACTICE_AUDIT = "practice log"
RECORD_DAYS = 14


def record_card(request: HttpRequest, enrollment: Enrollment) -> dict[str, Any] | None:
    """The clinician's card: the toolbox practice of the last fortnight; audited when shown."""
    if not can(request.user, Action.VIEW_RECORD, enrollment) or enrollment.stage < Stage.ABSTINENCE:
        return None
    today = selectors.client_today(enrollment)
    summary = practice_services.practice_summary(
        enrollment, today - timedelta(days=RECORD_DAYS - 1), today
    )
    events.record_view(
        actor=request.user, enrollment=enrollment, what=PRACTICE_AUDIT, path=request.path
    )
    return {"summary": summary, "days": RECORD_DAYS}


def _urge_door(request: HttpRequest) -> str | None:
    from waypost.access.policy import roles_of

    return reverse("recovery:urge_help") if roles_of(request.user).is_client else None


def _toolbox_pages() -> list[str]:
    return [
        reverse("recovery:toolbox"),
        *(reverse("recovery:exercise", args=[s.slug]) for s in skills.toolbox()),
    ]


PRACTICE_EXPORT = exports.Section(
    key="practices",
    title=gettext_lazy("Your practice log"),
    order=79,
    collect=practice_services.export_practices,
    description=gettext_lazy(
        "Each practice from the toolbox: which exercise, which day, how long."
    ),
    labels={
        "practices": gettext_lazy("Your practices"),
        "day": gettext_lazy("Day"),
        "exercise": gettext_lazy("Exercise"),
        "seconds": gettext_lazy("Seconds"),
        "logged_at": gettext_lazy("Logged at"),
    },
)


def register() -> None:
    """The toolbox's door on "Get help now", its Today card, its part of the client's data
    download and what works offline."""
    exports.register(PRACTICE_EXPORT)
    help_doors.register(
        help_doors.HelpDoor(
            key="recovery.urge",
            label=gettext_lazy("I'm having an urge"),
            hint=gettext_lazy("90 seconds to ride it out, then your plan and your people"),
            url=_urge_door,
            order=10,
        )
    )
    audit.register_subject(PRACTICE_AUDIT, gettext_lazy("Practice log"))
    panels.register(
        panels.Panel(
            slot="client_record_side",
            key="recovery.practice_record",
            template="recovery/toolbox/record_card.html",
            context=record_card,
            order=30,
        )
    )
    panels.register(
        panels.Panel(
            slot="client_today",
            key="recovery.toolbox_today",
            template="recovery/toolbox/today_card.html",
            context=today_card,
            order=60,
            stylesheet=STYLESHEET,
        )
    )
    offline.register_asset(
        "recovery/recovery.css",
        STYLESHEET,
        SCRIPT,
        "safety/safety.css",
        # the urge form's own (views/urges.py)
        "recovery/urges.css",
        "recovery/urge.js",
    )
    offline.register_page(
        offline.OfflinePage(
            key="recovery.urge_help",
            urls=lambda: [reverse("recovery:urge_help")],
            label=gettext_lazy("When you have an urge"),
            order=10,
        )
    )
    offline.register_page(
        offline.OfflinePage(
            key="recovery.toolbox",
            urls=_toolbox_pages,
            label=gettext_lazy("Toolbox"),
            order=20,
        )
    )
    offline.register_page(
        offline.OfflinePage(
            key="recovery.urge_new",
            urls=lambda: [reverse("recovery:urge_new")],
            label=gettext_lazy("Log an urge"),
            order=30,
        )
    )
    # Stage 1's pages for a hard moment: the lines and the client's own safety plan.
    offline.register_page(
        offline.OfflinePage(
            key="safety.help",
            urls=lambda: [reverse("help")],
            label=gettext_lazy("Get help now"),
            order=40,
        )
    )
    offline.register_page(
        offline.OfflinePage(
            key="safety.my_plan",
            urls=lambda: [reverse("safety:my_plan")],
            label=gettext_lazy("Your safety plan"),
            order=50,
        )
    )
