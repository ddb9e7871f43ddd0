"""Small filters for the reading library's templates."""

from __future__ import annotations

from django import template
from django.utils.translation import gettext_lazy as _

from waypost.program.models import Stage

register = template.Library()

AUDIENCE_LABELS = {
    "client": _("For clients"),
    "ally": _("For allies"),
    "both": _("For clients and allies"),
}


@register.filter
def stage_label(stage: int) -> str:
    """ "Stage 2: Abstinence"."""
    try:
        label = Stage(int(stage)).label
    except (TypeError, ValueError):
        return ""
    return str(_("Stage %(n)d: %(label)s") % {"n": int(stage), "label": label})


@register.filter
def audience_label(audience: str) -> str:
    return str(AUDIENCE_LABELS.get(audience, ""))
