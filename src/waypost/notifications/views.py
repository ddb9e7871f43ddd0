"""The person's own notifications: the list, their choices, and their devices for push.

- ``notifications/``: the list, unread first (GET);
- ``notifications/<pk>/open/`` and ``…/read/``: open one (read, then its page) or only
  mark it read (POST); ``notifications/read-all/``: mark every one read (POST);
- ``notifications/choices/``: what the person hears about, how, when, and their
  quiet hours (GET, POST);
- ``notifications/device/`` and ``…/device/off/``: keep or forget this device's push
  subscription (POST, JSON, from ``static/notifications/push.js``).

Everyone signed in has these pages, and only for themselves: every query starts from
``request.user``, so someone else's notification is a 404 and nobody's list can be
asked for by id. Nothing here touches a client's record (no audit): these are the
person's own messages from Waypost, as their account page is.
"""

from __future__ import annotations

import json
from typing import TYPE_CHECKING, Any

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.http import Http404, HttpResponse, JsonResponse
from django.shortcuts import redirect, render
from django.utils.translation import gettext as _
from django.views.decorators.http import require_http_methods, require_POST, require_safe

from waypost.access.policy import roles_of
from waypost.notifications import kinds, push, selectors, services
from waypost.notifications.forms import (
    ChoicesForm,
    QuietHoursForm,
    kind_offers_push,
    offered_channels,
)
from waypost.notifications.models import Notification

if TYPE_CHECKING:
    from waypost.access.policy import Roles
    from waypost.accounts.http import AuthenticatedHttpRequest

STYLESHEET = "notifications/notifications.css"
MAX_DEVICE_BODY = 8 * 1024


def push_available(roles: Roles) -> bool:
    """Whether to offer push to this person: they get a kind that can come by push.

    Clients, clinicians, clinic admins and allies alike. The service worker that
    receives pushes stays installed for everyone signed in (``core/static/core/
    offline.js``): for a client it also keeps the pages for a hard moment; for anyone
    else it is push only and keeps nothing. Someone who gets no kind (an ally whose
    every link has ended) is not offered it.
    """
    return any(kind_offers_push(kind) for kind in kinds.kinds_for(roles))


@login_required
@require_safe
def notification_list(request: AuthenticatedHttpRequest) -> HttpResponse:
    """The person's notifications: unread first, newest first; then the newest read ones."""
    return render(
        request,
        "notifications/list.html",
        {"listing": selectors.listing(request.user), "stylesheet": STYLESHEET},
    )


def _own(request: AuthenticatedHttpRequest, pk: int) -> Notification:
    found = Notification.objects.filter(user=request.user, pk=pk, shown=True).first()
    if found is None:
        raise Http404
    return found


@login_required
@require_POST
def open_notification(request: AuthenticatedHttpRequest, pk: int) -> HttpResponse:
    """Mark one notification read and go to its page."""
    notification = _own(request, pk)
    services.mark_read(user=request.user, notification_id=notification.pk)
    return redirect(services.check_url(notification.url))


@login_required
@require_POST
def mark_read(request: AuthenticatedHttpRequest, pk: int) -> HttpResponse:
    """Mark one notification read; back to the list."""
    notification = _own(request, pk)
    services.mark_read(user=request.user, notification_id=notification.pk)
    return redirect("notifications:list")


@login_required
@require_POST
def mark_all_read(request: AuthenticatedHttpRequest) -> HttpResponse:
    """Mark every unread notification read (again: nothing more happens)."""
    if services.mark_all_read(user=request.user):
        messages.success(request, _("All caught up."))
    return redirect("notifications:list")


@login_required
@require_http_methods(["GET", "POST"])
def choices(request: AuthenticatedHttpRequest) -> HttpResponse:
    """What the person hears about and how; a time for the check-in reminder; quiet hours."""
    user = request.user
    roles = roles_of(user)
    can_push = push_available(roles)
    mine = services.choices_for(user)
    data = request.POST if request.method == "POST" else None
    form = ChoicesForm(data, mine=mine, channels=offered_channels(user, push=can_push))
    quiet = QuietHoursForm(data, instance=user)
    if request.method == "POST":
        if form.is_valid() and quiet.is_valid():
            services.save_choices(
                user=user,
                chosen=form.chosen(),
                quiet_hours=(
                    quiet.cleaned_data.get("quiet_hours_start"),
                    quiet.cleaned_data.get("quiet_hours_end"),
                ),
            )
            messages.success(request, _("Your notification choices are saved."))
            return redirect("notifications:choices")
        user.refresh_from_db()  # the quiet-hours form changed the instance it was given
    response = render(
        request,
        "notifications/choices.html",
        {
            "form": form,
            "rows": form.rows(),
            "quiet_form": quiet,
            "channels": form.channels,
            "can_push": can_push,
            "vapid_public_key": push.public_key() if can_push else "",
            "has_devices": can_push and services.has_devices(user),
            "stylesheet": STYLESHEET,
        },
    )
    if request.method == "POST":
        response.status_code = 400
    return response


def _json_body(request: AuthenticatedHttpRequest) -> dict[str, Any]:
    if len(request.body) > MAX_DEVICE_BODY:
        return {}
    try:
        data = json.loads(request.body or b"{}")
    except (ValueError, UnicodeDecodeError):
        return {}
    return data if isinstance(data, dict) else {}


def _refused(message: str, code: str = "device_refused") -> JsonResponse:
    return JsonResponse({"code": code, "message": message}, status=400)


@login_required
@require_POST
def device_on(request: AuthenticatedHttpRequest) -> JsonResponse:
    """Keep this device's push subscription (the browser's ``PushSubscription.toJSON()``)."""
    if not push_available(roles_of(request.user)):
        return JsonResponse(
            {
                "code": "push_not_offered",
                "message": _("Notifications on devices are not offered here."),
            },
            status=403,
        )
    data = _json_body(request)
    keys = data.get("keys")
    if not isinstance(keys, dict):
        return _refused(_("This browser did not send what Waypost needs. Please try again."))
    try:
        services.subscribe_device(
            user=request.user,
            endpoint=data.get("endpoint"),
            p256dh=keys.get("p256dh"),
            auth=keys.get("auth"),
        )
    except services.DeviceRefused as exc:
        return _refused(str(exc))
    return JsonResponse({"ok": True, "message": _("Notifications are on for this device.")})


@login_required
@require_POST
def device_off(request: AuthenticatedHttpRequest) -> JsonResponse:
    """Forget this device (the browser has unsubscribed, or is about to)."""
    data = _json_body(request)
    services.unsubscribe_device(user=request.user, endpoint=data.get("endpoint"))
    return JsonResponse({"ok": True, "message": _("Notifications are off for this device.")})
