"""Where reports show outside their own pages: the client's Me page and the clinician's record.

- ``client_me``: the way to make a report of one's own, and the last ones made (one query);
- ``client_record_side``: the clinician's card: make a report for the client or for a
  referral, the last reports made, and the export of the whole record (one query).
"""

from __future__ import annotations

from typing import TYPE_CHECKING, Any

from waypost.access.policy import Action, can
from waypost.caseload.reports.models import ProgressReport

if TYPE_CHECKING:
    from django.http import HttpRequest

    from waypost.program.models import Enrollment

STYLESHEET = "reports/reports.css"
RECENT = 3


def me_card(request: HttpRequest, enrollment: Enrollment) -> dict[str, Any] | None:
    """The client's card: their own latest reports, and the way to make one."""
    if not (
        can(request.user, Action.VIEW_OWN, enrollment)
        and can(request.user, Action.MAKE_REPORT, enrollment)
    ):
        return None
    reports = ProgressReport.objects.filter(enrollment=enrollment, made_by_id=request.user.pk)
    return {"reports": list(reports.order_by("-made_at", "-id")[:RECENT])}


def record_card(request: HttpRequest, enrollment: Enrollment) -> dict[str, Any] | None:
    """The clinician's card: the latest reports (whoever made them), making one, exporting.

    Dates and purposes only: opening a report is the audited reading.
    """
    if not (
        can(request.user, Action.VIEW_RECORD, enrollment)
        and can(request.user, Action.MAKE_REPORT, enrollment)
    ):
        return None
    reports = ProgressReport.objects.filter(enrollment=enrollment).select_related("made_by")
    return {
        "reports": list(reports.order_by("-made_at", "-id")[:RECENT]),
        "may_export": can(request.user, Action.EXPORT_RECORD, enrollment),
    }
