"""A person's private calendar address: the page, turning it off, and the feed itself.

- ``calendar/`` (GET, POST): what the calendar holds, and making a new address; the
  address is shown once, in the answer to the POST that made it (only its hash is kept);
- ``calendar/off/`` (POST): turn the address off;
- ``calendar/<token>.ics``: the feed, for calendar apps, with no session: the token is
  the key. An unknown token is a 404, a revoked one a 410 (Gone), at once.

The page is for clients, clinicians and allies (``Action.USE_CALENDAR_FEED``).
"""

from __future__ import annotations

from typing import TYPE_CHECKING

from django.conf import settings
from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.urls import URLPattern, path
from django.utils import timezone, translation
from django.utils.translation import gettext as _
from django.views.decorators.http import require_http_methods, require_POST, require_safe

from waypost.access.policy import Action, can, require, roles_of
from waypost.connect import calendars
from waypost.connect.groups import feeds

if TYPE_CHECKING:
    from waypost.accounts.http import AuthenticatedHttpRequest
    from waypost.accounts.models import User


@login_required
@require_http_methods(["GET", "POST"])
def calendar(request: AuthenticatedHttpRequest) -> HttpResponse:
    """The person's calendar address; POST makes a new one (and ends the old one)."""
    require(request.user, Action.USE_CALENDAR_FEED)
    raw = ""
    if request.method == "POST":
        _feed, raw = feeds.renew_feed(user=request.user)
    roles = roles_of(request.user)
    return render(
        request,
        "group_therapy/calendar.html",
        {
            "feed": feeds.open_feed(request.user),
            "feed_url": feeds.feed_url(raw) if raw else "",
            "webcal_url": "webcal://" + feeds.feed_url(raw).split("://", 1)[1] if raw else "",
            "sources": [source.label for source in calendars.sources()],
            "is_client": roles.is_client,
            "is_ally": roles.is_ally,
            "is_clinician": roles.is_clinician,
        },
    )


@login_required
@require_POST
def calendar_off(request: AuthenticatedHttpRequest) -> HttpResponse:
    """Turn the address off: calendar apps using it get nothing from now on."""
    require(request.user, Action.USE_CALENDAR_FEED)
    if feeds.revoke_feed(user=request.user):
        messages.success(
            request,
            _(
                "Your calendar address is turned off. Calendars that used it stop updating; "
                "you can remove the subscription from them."
            ),
        )
    else:
        messages.info(request, _("You had no calendar address to turn off."))
    return redirect("group_therapy:calendar")


def _language(user: User) -> str:
    roles = roles_of(user)
    clinic = roles.enrollment.clinic if roles.enrollment else None
    return user.language or (clinic.default_language if clinic else "") or settings.LANGUAGE_CODE


@require_safe
def feed(request: HttpRequest, token: str) -> HttpResponse:
    """The calendar of the person whose address this is, as iCalendar (RFC 5545)."""
    now = timezone.now()
    found = feeds.find_feed(token, now)
    if found.gone:
        return HttpResponse(
            _("This calendar address was turned off."), status=410, content_type="text/plain"
        )
    user = found.user
    if user is None or not can(user, Action.USE_CALENDAR_FEED):
        raise Http404
    with translation.override(_language(user)):
        body = feeds.build(user, now)
    response = HttpResponse(body, content_type="text/calendar; charset=utf-8")
    response["Content-Disposition"] = 'inline; filename="waypost.ics"'
    response["Cache-Control"] = "private, max-age=300"
    response["X-Robots-Tag"] = "noindex, nofollow"
    return response


urlpatterns: list[URLPattern] = [
    path("calendar/", calendar, name="calendar"),
    path("calendar/off/", calendar_off, name="calendar_off"),
    path("calendar/<str:token>.ics", feed, name="feed"),
]
