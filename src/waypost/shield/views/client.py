"""The client's Shield pages: their devices on Shield, setup, lockdown, their own lists.

From Stage 2 on (``Action.MANAGE_SHIELD``); the way in is the client's own enrollment
(``own_enrollment``), never an id from the URL: a device id in a URL only picks one of
their own devices, and anyone else's is a 404. Before Stage 2 a GET gets a kind page and
a POST is refused.

Also here (``register``): the Journey link and the nav rule, Today's "Set up Shield on
your phone" (from Today's facts: no query of its own), the timeline kinds of the
client's writes and their audit subject.
"""

from __future__ import annotations

from typing import TYPE_CHECKING

from django import forms
from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied
from django.http import Http404, HttpRequest, HttpResponse, JsonResponse
from django.shortcuts import redirect, render
from django.urls import URLPattern, path, reverse
from django.utils import timezone
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy
from django.views.decorators.cache import never_cache
from django.views.decorators.http import require_GET, require_POST

from waypost.access.policy import Action, can, own_enrollment
from waypost.core import audit, facts, nav, next_steps
from waypost.core import events as core_events
from waypost.program.models import Enrollment
from waypost.recovery.days import zone_named
from waypost.recovery.selectors import client_time_zone
from waypost.shield import selectors, services, setup

if TYPE_CHECKING:
    from datetime import datetime

    from waypost.accounts.http import AuthenticatedHttpRequest
    from waypost.accounts.models import User
    from waypost.shield.models import ShieldDevice

STYLESHEET = "shield/shield.css"
SCRIPT = "shield/check.js"


# --- forms ------------------------------------------------------------------------------------


class NameForm(forms.Form):
    """A name for the client's own block-list."""

    name = forms.CharField(
        label=gettext_lazy("Web address to block"),
        max_length=253,
        help_text=gettext_lazy("Such as example.com. Every address below it is blocked too."),
        error_messages={"required": gettext_lazy("Please write the address to block.")},
    )


class WrongBlockForm(forms.Form):
    """A name the client thinks was blocked by mistake, and why (optional)."""

    name = forms.CharField(
        label=gettext_lazy("Web address that was blocked"),
        max_length=253,
        help_text=gettext_lazy("Such as school.example. Your clinician will look at it."),
        error_messages={"required": gettext_lazy("Please write the address that was blocked.")},
    )
    note = forms.CharField(
        label=gettext_lazy("What do you need it for? (optional)"),
        required=False,
        max_length=services.NOTE_MAX_LENGTH,
        widget=forms.Textarea(attrs={"rows": 3}),
    )


# --- the way in -------------------------------------------------------------------------------


def _own(request: AuthenticatedHttpRequest) -> Enrollment | None:
    """The client's enrollment from Stage 2 on; None (a kind page) before, 403 on a POST."""
    enrollment = own_enrollment(request.user)
    if can(request.user, Action.MANAGE_SHIELD, enrollment):
        return enrollment
    if request.method == "POST":
        raise PermissionDenied
    return None


def _ready(request: AuthenticatedHttpRequest) -> Enrollment:
    enrollment = _own(request)
    if enrollment is None:
        raise PermissionDenied
    return enrollment


def _shield_device(request: AuthenticatedHttpRequest, pk: int) -> ShieldDevice:
    """One of the client's devices on Shield, by the device's id; 404 otherwise."""
    found = selectors.own_shield_device(_ready(request), pk)
    if found is None:
        raise Http404
    return found


def _not_yet(request: HttpRequest) -> HttpResponse:
    return render(request, "shield/client/not_yet.html", {"stylesheet": STYLESHEET})


def _setup_url(pk: int, platform: str = "", anchor: str = "") -> str:
    url = reverse("shield:setup", args=[pk])
    return url + (f"?platform={platform}" if platform else "") + (f"#{anchor}" if anchor else "")


def _lockdown_choices(enrollment: Enrollment, user: User, now: datetime) -> list[dict[str, str]]:
    """The lockdown buttons, "until 7:00" in the client's own words for the hour."""
    zone = client_time_zone(enrollment, client=user)
    morning = services.lockdown_end(services.MORNING, now=now, time_zone=zone)
    local = zone_named(zone)
    tomorrow = timezone.localtime(morning, local).date() != timezone.localtime(now, local).date()
    return [
        {"value": "30m", "label": _("30 minutes")},
        {"value": "1h", "label": _("1 hour")},
        {"value": "2h", "label": _("2 hours")},
        {
            "value": services.MORNING,
            "label": _("Until 7:00 tomorrow") if tomorrow else _("Until 7:00 this morning"),
        },
    ]


# --- pages ------------------------------------------------------------------------------------


@login_required
@require_GET
def home(request: AuthenticatedHttpRequest) -> HttpResponse:
    """Each device of the plan with its Shield, lockdown, and this week in numbers."""
    enrollment = _own(request)
    if enrollment is None:
        return _not_yet(request)
    now = timezone.now()
    rows = selectors.device_rows(enrollment, now)
    on = [row for row in rows if row.on]
    return render(
        request,
        "shield/client/home.html",
        {
            "stylesheet": STYLESHEET,
            "configured": setup.configured(),
            "rows": rows,
            "on": on,
            "locked": [row for row in on if row.lockdown_until],
            "week": selectors.week(enrollment, now) if on else None,
            "lengths": _lockdown_choices(enrollment, request.user, now),
        },
    )


@login_required
@require_POST
def turn_on(request: AuthenticatedHttpRequest, pk: int) -> HttpResponse:
    """Put a device of the plan on Shield (a fresh token), then go to its setup page."""
    device = selectors.own_device(_ready(request), pk)
    if device is None:
        raise Http404
    try:
        services.turn_on(device=device, by=request.user, path=request.path)
    except services.ShieldError as exc:
        messages.error(request, exc.message)
        return redirect("shield:home")
    messages.success(
        request,
        _("Shield is on for %(name)s. Now set it up on the device: it takes a few minutes.")
        % {"name": device.name},
    )
    return redirect(_setup_url(device.pk))


@login_required
@require_GET
def setup_page(request: AuthenticatedHttpRequest, pk: int) -> HttpResponse:
    """The steps for one device, the platform its kind suggests first; the check; the QR."""
    shield_device = _shield_device(request, pk)
    device = shield_device.device
    platforms = setup.platforms_for(device.kind, request.META.get("HTTP_USER_AGENT", ""))
    chosen = setup.BY_KEY.get(request.GET.get("platform", ""), platforms[0])
    now = timezone.now()
    heard = selectors.heard(shield_device, now)
    # The QR code opens this same page on the phone (no token in it: the page needs sign-in).
    own_url = request.build_absolute_uri(reverse("shield:setup", args=[device.pk]))
    return render(
        request,
        "shield/client/setup.html",
        {
            "stylesheet": STYLESHEET,
            "script": SCRIPT,
            "configured": setup.configured(),
            "device": device,
            "shield": shield_device,
            "platforms": platforms,
            "platform": chosen.key,
            "platform_label": chosen.label,
            "doh_url": setup.doh_url(shield_device.token),
            "dot_name": setup.dot_name(shield_device.token),
            "addresses": setup.dns_addresses(),
            "heard": heard,
            "verdict": selectors.verdict(heard),
            "lockdown_text": (
                selectors.until_text(shield_device.lockdown_until, now)
                if shield_device.lockdown_until and shield_device.lockdown_until > now
                else ""
            ),
            "here": request.META.get("REMOTE_ADDR", ""),
            "qr": setup.qr_svg(
                own_url, _("A QR code that opens this page on %(name)s") % {"name": device.name}
            ),
        },
    )


@never_cache
@login_required
@require_GET
def setup_status(request: AuthenticatedHttpRequest, pk: int) -> JsonResponse:
    """ "Check my setup" without reloading: what Shield last heard from this device."""
    shield_device = _shield_device(request, pk)
    heard = selectors.heard(shield_device, timezone.now())
    return JsonResponse(
        {
            "state": heard.state,
            "text": str(heard.text),
            "verdict": str(selectors.verdict(heard)),
        }
    )


@never_cache
@login_required
@require_GET
def profile(request: AuthenticatedHttpRequest, pk: int) -> HttpResponse:
    """The configuration profile for iPhone, iPad and Mac (back to the page when not set up)."""
    shield_device = _shield_device(request, pk)
    if not setup.configured():
        return redirect(_setup_url(pk))
    response = HttpResponse(setup.profile(shield_device), content_type=setup.PROFILE_CONTENT_TYPE)
    response["Content-Disposition"] = f'attachment; filename="{setup.PROFILE_FILE_NAME}"'
    return response


@login_required
@require_POST
def new_address(request: AuthenticatedHttpRequest, pk: int) -> HttpResponse:
    """A new token: the old address stops working (a lost device, a shared address)."""
    shield_device = _shield_device(request, pk)
    try:
        services.new_token(shield_device=shield_device, by=request.user, path=request.path)
    except services.ShieldError as exc:
        messages.error(request, exc.message)
    else:
        messages.success(
            request,
            _(
                "%(name)s has a new address; the old one has stopped working. Set the device "
                "up again with the steps below."
            )
            % {"name": shield_device.device.name},
        )
    return redirect(_setup_url(pk, request.POST.get("platform", ""), "steps"))


@login_required
@require_POST
def link_network(request: AuthenticatedHttpRequest, pk: int) -> HttpResponse:
    """The network this request comes from is this device's (a home router)."""
    shield_device = _shield_device(request, pk)
    try:
        services.link_address(
            shield_device=shield_device,
            by=request.user,
            address=request.META.get("REMOTE_ADDR", ""),
            path=request.path,
        )
    except services.ShieldError as exc:
        messages.error(request, exc.message)
    else:
        messages.success(
            request,
            _("This network is linked to %(name)s.") % {"name": shield_device.device.name},
        )
    return redirect(_setup_url(pk, "router", "link"))


@login_required
@require_POST
def lockdown(request: AuthenticatedHttpRequest) -> HttpResponse:
    """Lock down one device or all of them for a while: only the allow-list resolves."""
    enrollment = _ready(request)
    length = request.POST.get("length", "")
    chosen = request.POST.get("device", "all") or "all"
    shield_device = None
    if chosen != "all":
        if not chosen.isdigit():
            raise Http404
        shield_device = _shield_device(request, int(chosen))
    try:
        done = services.start_lockdown(
            enrollment=enrollment,
            by=request.user,
            length=length,
            time_zone=client_time_zone(enrollment, client=request.user),
            shield_device=shield_device,
            path=request.path,
        )
    except services.ShieldError as exc:
        messages.error(request, exc.message)
        return redirect(reverse("shield:home") + "#lockdown")
    until = selectors.until_text(done.until, timezone.now())
    if done.changed:
        messages.success(
            request,
            _(
                "Locked down until %(until)s. Only the sites your clinician allowed will open "
                "until then. Reaching for this was a strong choice."
            )
            % {"until": until},
        )
    else:
        messages.success(request, _("Already locked down until %(until)s.") % {"until": until})
    return redirect(reverse("shield:home") + "#lockdown")


def _names_page(
    request: AuthenticatedHttpRequest,
    enrollment: Enrollment,
    *,
    block_form: NameForm | None = None,
    ask_form: WrongBlockForm | None = None,
    status: int = 200,
) -> HttpResponse:
    lists = selectors.own_lists(enrollment)
    return render(
        request,
        "shield/client/names.html",
        {
            "stylesheet": STYLESHEET,
            "block_form": block_form or NameForm(prefix="block"),
            "ask_form": ask_form or WrongBlockForm(prefix="ask"),
            "blocked": lists.blocked,
            "allowed": lists.allowed,
            "requests": [(r, selectors.request_status(r)) for r in lists.requests],
        },
        status=status,
    )


@login_required
@require_GET
def names(request: AuthenticatedHttpRequest) -> HttpResponse:
    """The client's own block-list and their "wrong block?" requests, with both forms."""
    enrollment = _own(request)
    if enrollment is None:
        return _not_yet(request)
    return _names_page(request, enrollment)


@login_required
@require_POST
def block_name(request: AuthenticatedHttpRequest) -> HttpResponse:
    enrollment = _ready(request)
    form = NameForm(request.POST, prefix="block")
    if form.is_valid():
        try:
            entry = services.block_name(
                enrollment=enrollment,
                by=request.user,
                name=form.cleaned_data["name"],
                path=request.path,
            )
        except services.ShieldError as exc:
            form.add_error("name", exc.message)
        else:
            messages.success(
                request,
                _("%(name)s is blocked on your devices within a minute.") % {"name": entry.name},
            )
            return redirect(reverse("shield:names") + "#block")
    return _names_page(request, enrollment, block_form=form, status=400)


@login_required
@require_POST
def wrong_block(request: AuthenticatedHttpRequest) -> HttpResponse:
    enrollment = _ready(request)
    form = WrongBlockForm(request.POST, prefix="ask")
    if form.is_valid():
        try:
            asked = services.ask_wrong_block(
                enrollment=enrollment,
                by=request.user,
                name=form.cleaned_data["name"],
                note=form.cleaned_data["note"],
                path=request.path,
            )
        except services.ShieldError as exc:
            form.add_error("name", exc.message)
        else:
            messages.success(
                request,
                _("Your clinician will look at %(name)s. You will see their answer here.")
                % {"name": asked.name},
            )
            return redirect(reverse("shield:names") + "#asked")
    return _names_page(request, enrollment, ask_form=form, status=400)


urlpatterns: list[URLPattern] = [
    path("shield/", home, name="home"),
    path("shield/lockdown/", lockdown, name="lockdown"),
    path("shield/names/", names, name="names"),
    path("shield/names/block/", block_name, name="block_name"),
    path("shield/names/wrong-block/", wrong_block, name="wrong_block"),
    path("shield/devices/<int:pk>/", setup_page, name="setup"),
    path("shield/devices/<int:pk>/on/", turn_on, name="turn_on"),
    path("shield/devices/<int:pk>/status/", setup_status, name="setup_status"),
    path(
        f"shield/devices/<int:pk>/{setup.PROFILE_FILE_NAME}",
        profile,
        name="profile",
    ),
    path("shield/devices/<int:pk>/new-address/", new_address, name="new_address"),
    path("shield/devices/<int:pk>/link/", link_network, name="link_network"),
]


# --- Today, Journey, the timeline -------------------------------------------------------------

_KIND_WORDS = {
    "phone": gettext_lazy("Set up Shield on your phone"),
    "tablet": gettext_lazy("Set up Shield on your tablet"),
    "computer": gettext_lazy("Set up Shield on your computer"),
}


def setup_step(request: HttpRequest, enrollment: Enrollment) -> list[next_steps.NextStep]:
    """While the plan has devices and none is on Shield: set one up (a phone first)."""
    if not setup.configured() or not can(request.user, Action.MANAGE_SHIELD, enrollment):
        return []
    if request.user.pk != enrollment.client_id:
        return []
    device = selectors.device_to_set_up(facts.facts_for(request, enrollment)[selectors.FACT])
    if device is None:
        return []
    title = _KIND_WORDS.get(device.kind) or _("Set up Shield on “%(name)s”") % {"name": device.name}
    return [
        next_steps.NextStep(
            key="shield.setup",
            priority=next_steps.START,
            title=title,
            description=_(
                "Shield puts a wall between a hard moment and the sites you chose to stay "
                "away from. Setting it up takes a few minutes."
            ),
            url=reverse("shield:home"),
            verb=_("Set up"),
        )
    ]


def register() -> None:
    """The Journey link, nav rules, Today's step and fact, timeline kinds, audit subject."""
    for pattern in urlpatterns:
        nav.register(f"shield:{pattern.name}", "journey")
    nav.add_journey_link(nav.JourneyLink("shield", gettext_lazy("Shield"), "shield:home", 65, 2))
    selectors.register_facts()
    next_steps.register("shield.setup", setup_step)
    for kind in services.event_kinds():
        core_events.register(kind)
    audit.register_subject(services.AUDIT_SUBJECT, gettext_lazy("Shield"))
