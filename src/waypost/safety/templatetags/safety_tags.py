"""Template tags of the safety app.

``{% risk_nav "clinician" %}`` / ``{% risk_nav "admin" %}``: the top-navigation
links to the risk inboxes, with the number of open alerts for clinicians.
"""

from __future__ import annotations

from typing import Any

from django import template

from waypost.access.policy import roles_of
from waypost.clinics.selectors import admin_clinics
from waypost.safety.models import RiskAlert
from waypost.safety.selectors import visible_risk_alerts

register = template.Library()


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
