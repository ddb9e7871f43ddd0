"""Template tags of the safety app.

``{% safety_plan enrollment %}``: the client's newest safety plan (or a kind
invitation to write one), for pages such as a questionnaire's result after a
critical answer. Pass ``crisis_lines=True`` to list the clinic's crisis lines
inside step 5 as well (leave it off where the page shows them already).

``{% risk_nav "clinician" %}`` / ``{% risk_nav "admin" %}``: the top-navigation
links to the risk inboxes, with the number of open alerts for clinicians.
"""

from __future__ import annotations

from typing import Any

from django import template
from django.urls import reverse

from waypost.access.policy import roles_of
from waypost.clinics.models import CrisisLine
from waypost.clinics.selectors import admin_clinics
from waypost.safety import services
from waypost.safety.models import RiskAlert
from waypost.safety.selectors import visible_risk_alerts

register = template.Library()


@register.inclusion_tag("safety/_plan.html", takes_context=True)
def safety_plan(context: Any, enrollment: Any, crisis_lines: bool = False) -> dict[str, Any]:
    request = context.get("request")
    user = getattr(request, "user", None)
    lines = list(CrisisLine.objects.filter(clinic_id=enrollment.clinic_id)) if crisis_lines else []
    is_client = user is not None and user.pk == enrollment.client_id
    return {
        "request": request,
        "user": user,
        "plan": services.latest_plan(enrollment),
        "crisis_lines": lines,
        "compact": True,
        "plan_url": reverse("safety:my_plan") if is_client else "",
    }


@register.inclusion_tag("safety/_nav.html", takes_context=True)
def risk_nav(context: Any, role: str) -> dict[str, Any]:
    request = context.get("request")
    user = getattr(request, "user", None)
    roles = roles_of(user)
    out: dict[str, Any] = {"role": role, "request": request}
    if role == "clinician" and roles.is_clinician:
        out["open_count"] = visible_risk_alerts(user).filter(status=RiskAlert.Status.OPEN).count()
        out["show_inbox"] = True
    elif role == "admin" and roles.is_admin:
        out["clinics"] = list(admin_clinics(user).only("slug", "name"))
    return out
