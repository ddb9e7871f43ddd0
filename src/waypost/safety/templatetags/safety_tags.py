"""Template tags of the safety app.

``{% risk_nav "clinician" %}`` / ``{% risk_nav "admin" %}``: the top-navigation
links to the risk inboxes, with the number of open alerts for clinicians. It is
page furniture: it counts, it never audits (nobody looked at a record).

``{% clinic_risk_tile clinic %}``: the tile on the clinic admin's overview with the
clinic's open and overdue alerts (numbers only, not audited either).

``{{ alert|waiting }}``: how long an alert has been (or was) open, in short words
("open 25 min", "open 3 h", "open 2 days").
"""

from __future__ import annotations

from datetime import timedelta
from typing import Any

from django import template
from django.utils.translation import gettext as _
from django.utils.translation import ngettext

from waypost.access.policy import roles_of
from waypost.clinics.models import Clinic
from waypost.clinics.selectors import admin_clinics
from waypost.safety.models import RiskAlert
from waypost.safety.selectors import clinic_alert_counts, visible_risk_alerts

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


@register.inclusion_tag("safety/_clinic_tile.html", takes_context=True)
def clinic_risk_tile(context: Any, clinic: Clinic) -> dict[str, Any]:
    request = context.get("request")
    counts = clinic_alert_counts(getattr(request, "user", None), clinic)
    return {"clinic": clinic, "counts": counts}


def waiting_words(duration: timedelta) -> str:
    """ "open 25 min" under an hour, "open 3 h" under two days, then "open 2 days"."""
    minutes = max(0, int(duration.total_seconds() // 60))
    if minutes < 1:
        return _("open under a minute")
    if minutes < 60:
        return ngettext("open %(n)d min", "open %(n)d min", minutes) % {"n": minutes}
    hours = minutes // 60
    if hours < 48:
        return ngettext("open %(n)d h", "open %(n)d h", hours) % {"n": hours}
    days = hours // 24
    return ngettext("open %(n)d day", "open %(n)d days", days) % {"n": days}


@register.filter
def waiting(alert: RiskAlert) -> str:
    return waiting_words(alert.open_for)
