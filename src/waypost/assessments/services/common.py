"""What the assigning and answering services share: the error and the questionnaire lookup."""

from __future__ import annotations

from django.utils.translation import gettext as _

from waypost.assessments import catalog
from waypost.core.errors import DomainError

MAX_WINDOW_DAYS = 28
MAX_EVERY_WEEKS = 52


class MeasureError(DomainError):
    """Something a person asked for that cannot be done; ``message`` says why, kindly."""

    code = "measure_refused"


def entry_for(instrument_id: str) -> catalog.Entry:
    entry = catalog.get(instrument_id)
    if entry is None:
        raise MeasureError(_("There is no questionnaire called %(id)s.") % {"id": instrument_id})
    return entry
