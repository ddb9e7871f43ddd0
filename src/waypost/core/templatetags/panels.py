"""``{% panels "client_today" enrollment %}``: render the panels apps registered for a slot."""

from __future__ import annotations

from django import template

from waypost.core.panels import render_slot

register = template.Library()


@register.simple_tag(takes_context=True)
def panels(context, slot: str, enrollment):
    return render_slot(slot, context["request"], enrollment)
