"""What the assigning and answering services share: the error and the questionnaire lookup."""

from __future__ import annotations

from django.utils.translation import gettext as _

from waypost.assessments import catalog, instruments
from waypost.core.errors import DomainError

MAX_WINDOW_DAYS = 28
MAX_EVERY_WEEKS = 52


class MeasureError(DomainError):
    """Something a person asked for that cannot be done; ``message`` says why, kindly."""

    code = "measure_refused"


def entry_for(instrument_id: str, clinic_id: int | None = None) -> catalog.Entry:
    """The questionnaire a new form of ``instrument_id`` uses: an installed one, or the
    clinic's own published version when ``clinic_id`` is given; else a MeasureError."""
    entry = instruments.current(instrument_id, clinic_id)
    if entry is None:
        raise MeasureError(_("There is no questionnaire called %(id)s.") % {"id": instrument_id})
    return entry
