"""``{{ event.what|audit_subject }}``: an audit event's subject in the reader's words."""

from __future__ import annotations

from django import template

from waypost.core.audit import describe

register = template.Library()


@register.filter
def audit_subject(what: str) -> str:
    return describe(what)
