"""``{% client_tabs as tabs %}``: the client's five sections, with the current one marked."""

from __future__ import annotations

from dataclasses import dataclass
from typing import TYPE_CHECKING

from django import template
from django.urls import reverse

from waypost.core.nav import TABS, tab_for

if TYPE_CHECKING:
    from django.template.context import Context
    from django_stubs_ext import StrOrPromise

register = template.Library()


@dataclass(frozen=True)
class TabLink:
    key: str
    label: StrOrPromise
    url: str
    current: bool


@register.simple_tag(takes_context=True)
def client_tabs(context: Context) -> list[TabLink]:
    request = context.get("request")
    current = tab_for(getattr(request, "resolver_match", None))
    return [TabLink(t.key, t.label, reverse(t.url_name), t.key == current) for t in TABS]
