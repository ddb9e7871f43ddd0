"""What reports and exports write on the timeline, and what the audit trail calls them.

A report made is a timeline event (its purpose, its sections' keys and its period:
nothing sensitive), audited when the clinician made it. Opening a report, downloading
its PDF and exporting the whole record are reads: the views audit them.
"""

from __future__ import annotations

from collections.abc import Mapping
from datetime import date
from typing import Any

from django.utils import formats
from django.utils.translation import gettext_lazy as _

from waypost.caseload.reports import sections as catalogue
from waypost.core import audit, events
from waypost.core.events import EventKind

MADE = "reports.made"

AUDIT_REPORT = "progress report"
AUDIT_REPORT_PDF = "progress report (PDF)"
AUDIT_EXPORT_JSON = "whole record export (JSON)"
AUDIT_EXPORT_CSV = "whole record export (CSV)"


def _words(data: Mapping[str, Any]) -> dict[str, Any]:
    keys = [key for key in data.get("sections", []) if key in catalogue.BY_KEY]
    return {
        "sections": ", ".join(str(catalogue.BY_KEY[key].title) for key in keys),
        "start": formats.date_format(date.fromisoformat(data["start"]), "j M Y"),
        "end": formats.date_format(date.fromisoformat(data["end"]), "j M Y"),
    }


def _made_text(data: Mapping[str, Any]) -> Any:
    if data.get("purpose") == "referral":
        return _("Progress report made for a referral, %(start)s to %(end)s: %(sections)s")
    return _("Progress report made for the client, %(start)s to %(end)s: %(sections)s")


KINDS = (
    EventKind(
        MADE,
        label=_("Progress report made"),
        text=_made_text,
        params=_words,
        audit=AUDIT_REPORT,
    ),
)


def register_all() -> None:
    for kind in KINDS:
        events.register(kind)
    audit.register_subject(AUDIT_REPORT, _("Progress report"))
    audit.register_subject(AUDIT_REPORT_PDF, _("Progress report, as a PDF"))
    audit.register_subject(AUDIT_EXPORT_JSON, _("The whole record, exported as JSON"))
    audit.register_subject(AUDIT_EXPORT_CSV, _("The whole record, exported as CSV"))
