"""The unread count in the page's furniture: how many, never what (no title, body or kind).

- ``{% notifications_nav %}``: in the top navigation, a bell linking to the person's
  notifications, with the count (and the stylesheet it needs);
- ``{% notifications_count %}``: the count alone, for the client's "Me" tab in the
  bottom bar (on a phone the header has no room for the bell, so nav.css hides it
  there for clients and the tab carries the count).

Both together cost no query on a client's Today (the count is one of Today's facts)
and one small ``COUNT`` elsewhere, once per request (``selectors.unread_count_for``).
Nothing for someone signed out.
"""

from __future__ import annotations

from typing import Any

from django import template
from django.utils.html import format_html
from django.utils.safestring import SafeString
from django.utils.translation import gettext as _

from waypost.notifications.selectors import unread_count_for

register = template.Library()

#: More than this shows as "99+".
MOST_SHOWN = 99


def shown_count(count: int) -> str:
    return f"{MOST_SHOWN}+" if count > MOST_SHOWN else str(count)


@register.inclusion_tag("notifications/_nav.html", takes_context=True)
def notifications_nav(context: Any) -> dict[str, Any]:
    request = context.get("request")
    user = getattr(request, "user", None)
    if request is None or user is None or not user.is_authenticated:
        return {"hidden": True}
    count = unread_count_for(request)
    match = getattr(request, "resolver_match", None)
    return {
        "count": count,
        "shown": shown_count(count),
        "current": match is not None and match.view_name == "notifications:list",
    }


@register.simple_tag(takes_context=True)
def notifications_count(context: Any) -> SafeString | str:
    request = context.get("request")
    user = getattr(request, "user", None)
    if request is None or user is None or not user.is_authenticated:
        return ""
    count = unread_count_for(request)
    if not count:
        return ""
    return format_html(
        '<span class="badge notifications-tab-count">{}<span class="visually-hidden"> {}</span>'
        "</span>",
        shown_count(count),
        _("unread"),
    )
