"""Small display helpers for the allies pages."""

from __future__ import annotations

from collections.abc import Iterable

from django import template
from django.utils.translation import gettext as _

from waypost.connect import scopes as scope_registry
from waypost.connect.relationships import relationship_label as _relationship_label

register = template.Library()


@register.filter
def scope_labels(keys: Iterable[str] | None) -> str:
    """What a list of scope keys shares, in words: "Journey, Care team"."""
    return _(", ").join(scope_registry.labels(keys or []))


@register.filter
def relationship_label(value: str) -> str:
    return _relationship_label(value)


@register.filter
def tel_href(phone: str) -> str:
    """A ``tel:`` link for a phone number as people write it, or "" when it has no digits."""
    digits = "".join(ch for ch in phone or "" if ch.isdigit() or ch == "+")
    return f"tel:{digits}" if digits else ""
