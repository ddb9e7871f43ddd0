"""The urge log: log one in a few taps, change it for three days, and see the patterns.

``/urges/new/`` also serves the offline queue (``core/static/core/offline.js``, which
sends the form marked ``data-offline-queue``, online too): a POST with the header
``X-Waypost-Replay: 1`` is answered in JSON instead of a page or a redirect (through
``core.offline``) — 201 ``{"stored": true, "id": …, "next": …, "message": …}`` when
stored now, 200 with the same body when that ``client_uuid`` was stored before, 400
``{"stored": false, "errors": {field: [message, …]}}`` when it cannot be kept. An urge
saved on the phone carries ``queued_at``: without an explicit ``occurred_at`` it counts
as of then. CSRF protection stays on: the queue sends the token.

Also here: the client's Today card (the way in) and the clinician's record card.
"""

from __future__ import annotations

from typing import TYPE_CHECKING, Any

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied
from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.urls import NoReverseMatch, reverse
from django.utils import timezone
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy, ngettext
from django.views.decorators.http import require_http_methods, require_safe

from waypost.access.policy import Action, can, own_enrollment
from waypost.core import audit, events, offline, panels
from waypost.core.errors import show_on_form
from waypost.program.models import Enrollment, Stage
from waypost.recovery import days, selectors, urge_selectors
from waypost.recovery.models import Urge
from waypost.recovery.services import urges as urge_services
from waypost.recovery.urge_forms import OTHER, UrgeForm

if TYPE_CHECKING:
    from waypost.accounts.http import AuthenticatedHttpRequest

STYLESHEET = "recovery/urges.css"
SCRIPT = "recovery/urge.js"
#: The audit subject of a clinician reading the urge log or the device plan: one for both,
#: written once per page that shows either (``audit_view``), so the record stays flat.
AUDIT_SUBJECT = "urges and devices"
_AUDITED = "_waypost_urges_and_devices_audited"
# Where a lapse is written down (services/lapses.py, another part of Stage 2).
LAPSE_URL_NAME = "recovery:lapse_new"
LAPSE_PATH = "/lapses/new/"


def logging_enrollment(request: AuthenticatedHttpRequest) -> Enrollment | None:
    """The client's enrollment if they keep Stage 2's logs (urges, the middle circle); None
    (a kind page) before Stage 2; 403 for a POST before it."""
    enrollment = own_enrollment(request.user)
    if can(request.user, Action.LOG_RECOVERY, enrollment):
        return enrollment
    if request.method == "POST":
        raise PermissionDenied
    return None


def _not_yet(request: HttpRequest) -> HttpResponse:
    return render(request, "recovery/urges/not_yet.html")


def _lapse_url() -> str:
    try:
        return reverse(LAPSE_URL_NAME)
    except NoReverseMatch:
        return LAPSE_PATH


def _warm_line(enrollment: Enrollment, urge: Urge) -> str:
    if urge.outcome == Urge.Outcome.RESISTED:
        n = Urge.objects.filter(enrollment=enrollment, outcome=Urge.Outcome.RESISTED).count()
        return ngettext(
            "You rode it out. That counts: %(n)d urge ridden out so far.",
            "You rode it out. That counts: %(n)d urges ridden out so far.",
            n,
        ) % {"n": n}
    if urge.outcome == Urge.Outcome.LAPSED:
        return _(
            "Thank you for being honest. A lapse is something to learn from, and your total "
            "days are still yours. When you are ready, write down what happened; it helps."
        )
    return _("Noted. You can come back and say how it ended any time in the next three days.")


def _page(
    request: AuthenticatedHttpRequest,
    enrollment: Enrollment,
    form: UrgeForm,
    *,
    status: int = 200,
    urge: Urge | None = None,
) -> HttpResponse:
    chips = urge_selectors.chips(enrollment)
    zone = form.time_zone
    now = timezone.now().astimezone(days.zone_named(zone))
    chosen = form["trigger"].value() or ""
    typed = form["trigger_text"].value() or ""
    instead = form["instead"].value() or []
    return render(
        request,
        "recovery/urges/form.html",
        {
            "enrollment": enrollment,
            "form": form,
            "urge": urge,
            "chips": chips,
            # The form's own words first when they are not among the chips (a changed urge).
            "triggers": _with(chips.triggers, [chosen] if chosen and chosen != OTHER else []),
            "trigger_chosen": chosen,
            "trigger_other": chosen == OTHER or bool(typed),
            "coping": _with(chips.coping, list(instead)),
            "instead_chosen": set(instead),
            "other_value": OTHER,
            "open_more": urge is not None or bool(form.errors),
            "halt_fields": [form[name] for name in ("hungry", "angry", "lonely", "tired")],
            "client_zone": zone,
            "moment_min": (now - urge_services.EDIT_WINDOW).strftime("%Y-%m-%dT%H:%M"),
            "moment_max": now.strftime("%Y-%m-%dT%H:%M"),
        },
        status=status,
    )


def _with(words: list[str], extra: list[str]) -> list[str]:
    known = {w.casefold() for w in words}
    return [*[e for e in extra if e.casefold() not in known], *words]


@login_required
@require_http_methods(["GET", "POST"])
def urge_new(request: AuthenticatedHttpRequest) -> HttpResponse:
    enrollment = logging_enrollment(request)
    if enrollment is None:
        return _not_yet(request)
    zone = selectors.client_time_zone(enrollment, client=request.user)
    if request.method != "POST":
        return _page(request, enrollment, UrgeForm(time_zone=zone))
    form = UrgeForm(request.POST, time_zone=zone)
    replay = offline.is_replay(request)
    if form.is_valid():
        answers = form.answers()
        if answers["occurred_at"] is None:
            # Saved on the phone without a signal: it happened when it was saved.
            answers["occurred_at"] = offline.queued_at(request)
        try:
            logged = urge_services.log_urge(
                enrollment=enrollment,
                by=request.user,
                client_uuid=form.cleaned_data["client_uuid"],
                path=request.path,
                **answers,
            )
        except urge_services.UrgeError as exc:
            show_on_form(form, exc)
        else:
            urge = logged.urge
            lapsed = urge.outcome == Urge.Outcome.LAPSED
            following = _lapse_url() if lapsed else reverse("program:today")
            if replay:
                return offline.stored(
                    created=logged.created,
                    id=urge.pk,
                    next=following,
                    message=_warm_line(enrollment, urge),
                )
            messages.success(request, _warm_line(enrollment, urge))
            return redirect(following)
    if replay:
        return offline.refused(form.errors)
    return _page(request, enrollment, form, status=400)


@login_required
@require_http_methods(["GET", "POST"])
def urge_edit(request: AuthenticatedHttpRequest, pk: int) -> HttpResponse:
    enrollment = logging_enrollment(request)
    if enrollment is None:
        return _not_yet(request)
    urge = urge_selectors.own_urge(enrollment, pk)
    if urge is None:
        raise Http404
    if not urge_services.is_editable(urge):
        messages.info(
            request, _("An urge can be changed for three days; this one is kept as it is.")
        )
        return redirect("recovery:urge_patterns")
    zone = selectors.client_time_zone(enrollment, client=request.user)
    if request.method != "POST":
        return _page(request, enrollment, UrgeForm(time_zone=zone, existing=urge), urge=urge)
    form = UrgeForm(request.POST, time_zone=zone, existing=urge)
    before = urge.outcome
    if form.is_valid():
        try:
            urge_services.change_urge(
                urge=urge, by=request.user, path=request.path, **form.answers()
            )
        except urge_services.UrgeError as exc:
            show_on_form(form, exc)
        else:
            if urge.outcome == Urge.Outcome.LAPSED and before != Urge.Outcome.LAPSED:
                # Now said to have ended in a lapse: lead kindly to writing it down.
                messages.success(request, _warm_line(enrollment, urge))
                return redirect(_lapse_url())
            messages.success(request, _("Your changes are kept."))
            return redirect("recovery:urge_patterns")
    return _page(request, enrollment, form, status=400, urge=urge)


@login_required
@require_safe
def urge_patterns(request: AuthenticatedHttpRequest) -> HttpResponse:
    enrollment = logging_enrollment(request)
    if enrollment is None:
        return _not_yet(request)
    today = selectors.client_today(enrollment, client=request.user)
    view = urge_selectors.pattern_view(enrollment, today, request.GET.get("period", ""))
    return render(
        request,
        "recovery/urges/patterns.html",
        {
            "enrollment": enrollment,
            "view": view,
            "periods": urge_selectors.PERIODS,
            "client_zone": selectors.client_time_zone(enrollment, client=request.user),
            "lapse_url": _lapse_url(),
        },
    )


# --- cards -------------------------------------------------------------------------------


def record_card(request: HttpRequest, enrollment: Enrollment) -> dict[str, Any] | None:
    """The clinician's card: the last 30 days of the urge log; audited whenever shown."""
    if not can(request.user, Action.VIEW_RECORD, enrollment):
        return None
    if enrollment.stage < Stage.ABSTINENCE and not enrollment.urges.exists():
        return None
    numbers = urge_selectors.record_numbers(enrollment, selectors.client_today(enrollment))
    audit_view(request, enrollment)
    return {"numbers": numbers, "days": urge_selectors.RECORD_DAYS}


def audit_view(request: HttpRequest, enrollment: Enrollment) -> None:
    """Audit that the clinician saw the urge log or the device plan: once per request."""
    done: set[int] = getattr(request, _AUDITED, set())
    if enrollment.pk in done or not request.user.is_authenticated:
        return
    events.record_view(
        actor=request.user, enrollment=enrollment, what=AUDIT_SUBJECT, path=request.path
    )
    setattr(request, _AUDITED, {*done, enrollment.pk})


def register() -> None:
    """The urge log's cards and audit subject (from ``RecoveryConfig.ready()``)."""
    audit.register_subject(AUDIT_SUBJECT, gettext_lazy("Urge log and device plan"))
    # The form is kept for use without a signal (registered with the toolbox's pages).
    offline.register_asset(SCRIPT)
    panels.register(
        panels.Panel(
            slot="client_record_side",
            key="recovery.urge_record",
            template="recovery/urges/record_card.html",
            context=record_card,
            order=20,
            stylesheet=STYLESHEET,
        )
    )
