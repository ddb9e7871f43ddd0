"""Progress reports in "download my data": which reports were made, when, by whom, of what."""

from __future__ import annotations

from typing import TYPE_CHECKING, Any

from django.utils.translation import gettext_lazy as _

from waypost.caseload.reports import sections as catalogue
from waypost.caseload.reports.models import ProgressReport
from waypost.core import exports

if TYPE_CHECKING:
    from waypost.accounts.models import User


def progress_reports(user: User) -> dict[str, Any]:
    rows = (
        ProgressReport.objects.filter(enrollment__client=user)
        .select_related("made_by")
        .order_by("made_at", "pk")
    )
    return {
        "progress_reports": [
            {
                "made_at": report.made_at,
                "made_by": report.made_by.name,
                "purpose": report.get_purpose_display(),
                "sections": [
                    str(catalogue.BY_KEY[key].title) for key in catalogue.in_order(report.sections)
                ],
                "period_start": report.period_start,
                "period_end": report.period_end,
            }
            for report in rows
        ]
    }


SECTION = exports.Section(
    key="progress_reports",
    title=_("Progress reports"),
    order=88,
    collect=progress_reports,
    description=_(
        "The progress reports made of your progress: when, by whom, for whom, and what "
        "they held. Each is made from your record when it is opened, so only its choices "
        "are kept."
    ),
    labels={
        "progress_reports": _("Progress reports"),
        "made_at": _("Made"),
        "made_by": _("Made by"),
        "purpose": _("For"),
        "sections": _("Sections"),
        "period_start": _("Period from"),
        "period_end": _("Period to"),
    },
)


def register() -> None:
    exports.register(SECTION)
