"""A person's private calendar address: the page, turning it off, and the feed itself.

- ``calendar/`` (GET, POST): what the calendar holds, and making a new address; the
  address is shown once, in the answer to the POST that made it (only its hash is kept);
- ``calendar/off/`` (POST): turn the address off;
- ``calendar/<token>.ics``: the feed, for calendar apps, with no session: the token is
  the key. An unknown token is a 404, a revoked one a 410 (Gone), at once. The address
  of someone who no longer has a calendar (their last ally link ended, their clinician
  profile was switched off) is revoked on its next fetch and answers 410 from then on.
  No answer of the feed is logged with its path, which holds the token.

The page is for clients, clinicians and allies (``Action.USE_CALENDAR_FEED``).
"""

from __future__ import annotations

import logging
from typing import TYPE_CHECKING

from django.conf import settings
from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.http import HttpRequest, HttpResponse, HttpResponseNotAllowed
from django.shortcuts import redirect, render
from django.urls import URLPattern, path
from django.utils import timezone, translation
from django.utils.translation import gettext as _
from django.views.decorators.csrf import csrf_exempt
from django.views.decorators.http import require_http_methods, require_POST

from waypost.access.policy import Action, can, require, roles_of
from waypost.connect import calendars
from waypost.connect.groups import feeds

if TYPE_CHECKING:
    from waypost.accounts.http import AuthenticatedHttpRequest
    from waypost.accounts.models import User

log = logging.getLogger(__name__)


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


def _unlogged(response: HttpResponse, why: str) -> HttpResponse:
    """``response``, kept out of the ``django.request`` log, which would name the path.

    Django logs every 4xx and 5xx answer with the request's path, and a feed's path is
    its secret address. Django skips a response it marks as logged already; a line of
    our own says what happened, without the address.
    """
    response._has_been_logged = True  # type: ignore[attr-defined]  # see django.utils.log
    log.info("calendar feed: %s (%s)", why, response.status_code)
    return response


def _gone() -> HttpResponse:
    return _unlogged(
        HttpResponse(
            _("This calendar address was turned off."), status=410, content_type="text/plain"
        ),
        "address turned off",
    )


@csrf_exempt  # no session, no form: anything but GET or HEAD is refused below
def feed(request: HttpRequest, token: str) -> HttpResponse:
    """The calendar of the person whose address this is, as iCalendar (RFC 5545)."""
    if request.method not in ("GET", "HEAD"):
        return _unlogged(HttpResponseNotAllowed(["GET", "HEAD"]), "method not allowed")
    now = timezone.now()
    found = feeds.find_feed(token, now)
    if found.gone:
        return _gone()
    user = found.user
    if user is None:
        return _unlogged(
            HttpResponse(_("There is no such calendar."), status=404, content_type="text/plain"),
            "unknown address",
        )
    if not can(user, Action.USE_CALENDAR_FEED):
        # No calendar for them any more: the address goes for good, so that a role
        # given again later (a new ally link) does not bring an old address back.
        feeds.revoke_feed(user=user, at=now)
        return _gone()
    try:
        with translation.override(_language(user)):
            body = feeds.build(user, now)
    except Exception:  # logged here, without the address; Django's line would name it
        log.exception("calendar feed of user %s could not be built", user.pk)
        return _unlogged(HttpResponse(status=503), "not built")
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
