"""Why a feed or a meeting was not taken, in words: one sentence per problem code.

Import reports store codes and parameters (``feed.Problem``); the clinic page says them
in the reader's language and the command line in English.
"""

from __future__ import annotations

from collections.abc import Mapping
from typing import TYPE_CHECKING, Any

from django.utils.translation import gettext_lazy as _

if TYPE_CHECKING:
    from django_stubs_ext import StrOrPromise

REASONS: dict[str, StrOrPromise] = {
    # the whole feed
    "too_large": _("The feed is larger than %(limit_mb)s MB, so it was not read."),
    "not_utf8": _("The feed is not UTF-8 text (an unreadable byte at position %(at)s)."),
    "empty_file": _("The feed is empty."),
    "not_json": _("The feed is not valid JSON (line %(line)s: %(detail)s)."),
    "too_deep": _("The feed is nested too deeply to be a list of meetings."),
    "not_a_list": _("The feed is a JSON %(kind)s, not a list of meetings."),
    "too_many": _("The feed lists %(count)s meetings; at most %(limit)s can be taken."),
    "no_meetings": _(
        "The feed lists no meetings. The %(count)s meetings imported before are kept; "
        "remove the source to take them down."
    ),
    "unknown_source_zone": _("The time zone %(value)s is not one Waypost knows."),
    "bad_scheme": _("Only http:// and https:// addresses can be fetched."),
    "bad_redirect": _(
        "The feed's server sent Waypost on to an address that is not http:// or https://."
    ),
    "fetch_failed": _("The feed could not be fetched: %(detail)s."),
    "http_status": _("The feed's server answered with status %(status)s."),
    "timeout": _("The feed's server did not answer within %(seconds)s seconds."),
    "unreadable_file": _("The file could not be read: %(detail)s."),
    "no_file": _("This source is an uploaded file: choose the file to import again."),
    "private_address": _(
        "Waypost fetches meeting lists only from the public internet, and %(host)s is a "
        "private or local address."
    ),
    "too_many_redirects": _("The feed's server sent Waypost on to other addresses too often."),
    "import_failed": _(
        "The import stopped on an unexpected error, so nothing was changed. It will be "
        "tried again in two hours."
    ),
    # one meeting
    "not_an_object": _("Entry %(n)s is a JSON %(kind)s, not a meeting."),
    "too_deep_entry": _("Entry %(n)s is nested too deeply to be a meeting."),
    "unreadable_entry": _("Entry %(n)s could not be read as a meeting."),
    "missing": _("It has no %(field)s."),
    "bad_type": _("Its %(field)s must be %(expected)s."),
    "too_long": _("Its %(field)s is longer than %(limit)s characters."),
    "bad_slug": _("Its slug %(value)s has spaces or control characters in it."),
    "bad_day": _("Its day %(value)s is not 0 (Sunday) to 6 (Saturday)."),
    "bad_time": _("Its %(field)s %(value)s is not a time of day such as 19:00 or 7:00 PM."),
    "day_without_time": _("It has a day but no time."),
    "time_without_day": _("It has a time but no day."),
    "unknown_zone": _("Its time zone %(value)s is not one Waypost knows."),
    "bad_types": _("Its types must be a list of short codes."),
    "bad_url": _("Its %(field)s %(value)s is not an http:// or https:// address."),
    "bad_phone": _("Its conference_phone %(value)s is not a phone number."),
    "bad_coordinate": _("Its %(field)s must be a number from -%(limit)s to %(limit)s."),
    "unknown_fellowship": _("Its fellowship %(value)s is not one Waypost knows."),
    "duplicate_slug": _("Its slug %(value)s was already used by entry %(first)s of this feed."),
    "slug_taken": _(
        "Its slug %(value)s belongs to a meeting from another source of this clinic, "
        "or to one added by hand."
    ),
}


def describe(code: str, params: Mapping[str, Any] | None = None) -> str:
    """The sentence for a problem, in the active language; an unknown code as it is."""
    template = REASONS.get(code)
    if template is None:
        return code
    try:
        return str(template) % dict(params or {})
    except (KeyError, TypeError, ValueError):
        return str(template)
