"""The safety plan in "download my data": every version, and when a risk alert was raised.

An alert's clinical text (what raised it) and the clinician's note on it are
left out: the answers behind it are in the questionnaires, and the note is
the clinician's.
"""

from __future__ import annotations

from typing import TYPE_CHECKING, Any

from django.utils.translation import gettext as gettext_now
from django.utils.translation import gettext_lazy as _

from waypost.core import exports
from waypost.safety import plan_content
from waypost.safety.models import RiskAlert, SafetyPlan

if TYPE_CHECKING:
    from waypost.accounts.models import User


def _item(value: Any) -> Any:
    if isinstance(value, plan_content.Contact):
        return value.as_dict()
    return value


def safety(user: User) -> dict[str, Any]:
    plans = (
        SafetyPlan.objects.filter(enrollment__client=user)
        .select_related("saved_by")
        .order_by("created_at", "version")
    )
    alerts = RiskAlert.objects.filter(enrollment__client=user).order_by("created_at", "pk")
    return {
        "plan_versions": [
            {
                "version": plan.version,
                "saved_at": plan.created_at,
                "saved_by": gettext_now("You")
                if plan.saved_by_id == user.pk
                else plan.saved_by.name,
                "in_session": plan.in_session,
                "plan": {part.key: [_item(item) for item in part.items] for part in plan.sections},
            }
            for plan in plans
        ],
        "alerts": [
            {
                "at": alert.created_at,
                "status": str(RiskAlert.Status(alert.status).label),
                "acknowledged_at": alert.acknowledged_at,
            }
            for alert in alerts
        ],
    }


SECTION = exports.Section(
    key="safety",
    title=_("Safety plan"),
    order=40,
    collect=safety,
    description=_(
        "Every version of your safety plan, and the times your clinician was alerted to check in."
    ),
    labels={
        "plan_versions": _("Your safety plan, every version"),
        "plan": _("The plan"),
        **{section.key: section.title for section in plan_content.SECTIONS},
        "phone": _("Phone"),
        "alerts": _("Times your clinician was alerted to check in with you"),
        "acknowledged_at": _("Your clinician responded"),
    },
)


def register() -> None:
    exports.register(SECTION)
