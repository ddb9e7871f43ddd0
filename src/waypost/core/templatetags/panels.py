"""``{% panels "client_today" enrollment %}``: render the panels apps registered for a slot."""

from __future__ import annotations

from typing import TYPE_CHECKING

from django import template
from django.templatetags.static import static
from django.utils.html import format_html_join

from waypost.core.panels import render_slot, stylesheets

if TYPE_CHECKING:
    from django.template.context import Context
    from django.utils.safestring import SafeString

    from waypost.program.models import Enrollment

register = template.Library()


@register.simple_tag(takes_context=True)
def panels(context: Context, slot: str, enrollment: Enrollment) -> SafeString:
    return render_slot(slot, context["request"], enrollment)


@register.simple_tag
def panel_stylesheets(*slots: str) -> SafeString:
    return format_html_join(
        "", '<link rel="stylesheet" href="{}">', ((static(path),) for path in stylesheets(*slots))
    )
