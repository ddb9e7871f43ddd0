"""Panels: how apps add their own cards to shared pages without editing them.

A page names a *slot* and renders whatever panels apps registered for it, in
``order``. Each panel has a template and a ``context`` function that gets the
request and the enrollment and returns the template's context, or ``None`` to
show nothing (nothing due, nothing shared, not allowed …). Panels are
registered at start-up from each app's ``AppConfig.ready()``.

Slots
- ``client_today``: the client's Today page, after its next step, the list of
  what else is waiting and what is coming up, before the folded stable cards.
  Something the client has *to do* is not a panel but a next step
  (``core.next_steps``), so Today can lead with the most urgent one and never
  show the same thing twice; a panel here is for what is not a task.
- ``client_connect``: the client's Connect page, after their allies: the other ways
  of connecting (peer meetings, group therapy), each a section of its own.
- ``client_me``: the client's Me page, after their data: ways to the client's own
  pages that are not a tab of their own (messages with the care team).
- ``client_record``: the clinician's client record, main column.
- ``client_record_side``: the clinician's client record, beside it.

A page links the stylesheets its panels need in its head with
``{% panel_stylesheets "client_record" "client_record_side" %}``.

The page still checks access for itself; a panel's context function must
check anything finer (``access.policy.can``) before returning data.
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass
from typing import TYPE_CHECKING, Any

from django.template.loader import render_to_string
from django.utils.safestring import SafeString, mark_safe

if TYPE_CHECKING:
    from django.http import HttpRequest

    from waypost.program.models import Enrollment

# ``client_today_lead`` is Today's first card, above the next step: the client's day at a
# glance (the day counter and "Log an urge" from Stage 2 on); ``client_today`` follows
# what is waiting.
SLOTS = (
    "client_today_lead",
    "client_today",
    "client_connect",
    "client_me",
    "client_record",
    "client_record_side",
)

ContextFunction = Callable[["HttpRequest", "Enrollment"], dict[str, Any] | None]


@dataclass(frozen=True)
class Panel:
    slot: str
    key: str
    template: str
    context: ContextFunction
    order: int = 100
    # A static file the panel needs, e.g. "learn/learn.css"; the page links it in <head>.
    stylesheet: str = ""


_panels: dict[str, Panel] = {}


def register(panel: Panel) -> Panel:
    if panel.slot not in SLOTS:
        raise ValueError(f"unknown panel slot {panel.slot!r}; known: {', '.join(SLOTS)}")
    _panels[panel.key] = panel
    return panel


def panels_for(slot: str) -> list[Panel]:
    return sorted((p for p in _panels.values() if p.slot == slot), key=lambda p: (p.order, p.key))


def stylesheets(*slots: str) -> list[str]:
    """The distinct stylesheets the panels of these slots need, in order."""
    seen: list[str] = []
    for slot in slots:
        for panel in panels_for(slot):
            if panel.stylesheet and panel.stylesheet not in seen:
                seen.append(panel.stylesheet)
    return seen


def render_slot(slot: str, request: HttpRequest, enrollment: Enrollment) -> SafeString:
    parts = []
    for panel in panels_for(slot):
        context = panel.context(request, enrollment)
        if context is None:
            continue
        context = {"enrollment": enrollment, **context}
        parts.append(render_to_string(panel.template, context, request=request))
    return mark_safe("".join(parts))  # noqa: S308 - rendered by our own auto-escaping templates
