"""``{% offline_text %}``: the offline queue's sentences, translated, for core/offline.js."""

from __future__ import annotations

from django import template
from django.utils.html import json_script
from django.utils.safestring import SafeString
from django.utils.translation import gettext as _

register = template.Library()


@register.simple_tag
def offline_text() -> SafeString:
    """A JSON block (never run as code) the script reads its words from."""
    words = {
        "queued": _("Saved on this phone; it will be sent when you are back online."),
        "waiting": _(
            "Something you saved on this phone is waiting; it will be sent when you are "
            "back online."
        ),
        "stored": _("Saved. Thank you."),
        "sent_one": _("Your saved entry has been sent."),
        "sent_many": _("Your saved entries have been sent."),
        "refused": _("One saved entry could not be sent:"),
        "unknown": _("it was not accepted."),
    }
    return json_script(words, "offline-text")
