"""``{% clinic_pages clinic as pages %}``: the pages other apps add to a clinic admin's area.

Each is a :class:`PageLink` with the URL for ``clinic``, its words, whether it has a tile
on the overview and whether it is the page being shown (its tab marked current). Made
from the registry (``core.clinic_pages``) and the clinic's slug: no query.
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import TYPE_CHECKING

from django import template
from django.urls import reverse

from waypost.core.clinic_pages import all_pages

if TYPE_CHECKING:
    from django.template.context import Context
    from django_stubs_ext import StrOrPromise

    from waypost.clinics.models import Clinic

register = template.Library()


@dataclass(frozen=True)
class PageLink:
    key: str
    label: StrOrPromise
    description: StrOrPromise
    url: str
    tile: bool
    current: bool


@register.simple_tag(takes_context=True)
def clinic_pages(context: Context, clinic: Clinic) -> list[PageLink]:
    request = context.get("request")
    match = getattr(request, "resolver_match", None)
    view_name = (match.view_name if match is not None else "") or ""
    return [
        PageLink(
            key=page.key,
            label=page.label,
            description=page.description,
            url=reverse(page.url_name, args=[clinic.slug]),
            tile=page.tile,
            current=bool(view_name) and page.lit_by(view_name),
        )
        for page in all_pages()
    ]
