"""Change on each measure, and how many questionnaires were filled in.

- **Change**: for each client and measure, the first completed form ever (the
  baseline) against the latest completed in the period, judged by the clinic's change
  method exactly as the client's record judges it (``assessments.results.change_between``).
  A client counts for a measure when they have both, and they are two forms.
  *Reliable improvement*: the change is larger than measurement error, in the better
  direction. *Recovery*: reliable improvement that also ends outside the clinical
  range, counted among the clients who *began* in it (only they can move out of it).
  Measures without a rule for reliable change (the readiness ruler) are not listed.
- **Completion**: the forms that fell due in the period: those completed in it, and
  those whose window closed in it unanswered (expired). Forms still open are neither.
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import TYPE_CHECKING

from django.db.models import Count, F, OuterRef, Q, Subquery, Window
from django.db.models.functions import RowNumber

from waypost.assessments import instruments, results
from waypost.assessments.models import Administration, ClinicMeasureSettings
from waypost.caseload.outcomes import stats

if TYPE_CHECKING:
    from uuid import UUID

    from waypost.assessments.catalog import Entry
    from waypost.caseload.outcomes.scope import Scope

COMPLETED = Administration.Status.COMPLETED
EXPIRED = Administration.Status.EXPIRED


@dataclass
class MeasureChange:
    """One measure: how many clients could be judged, and how many changed how."""

    instrument_id: str
    name: str  # the questionnaire's short name, "PHQ-9"
    clients: int = 0  # with a baseline and a later form in the period
    improved: int = 0
    deteriorated: int = 0
    began_in_range: int = 0  # of ``clients``: baseline in the clinical range
    recovered: int = 0

    @property
    def improvement(self) -> stats.ClientShare:
        return stats.ClientShare(self.improved, self.clients)

    @property
    def worsening(self) -> stats.ClientShare:
        return stats.ClientShare(self.deteriorated, self.clients)

    @property
    def recovery(self) -> stats.ClientShare:
        return stats.ClientShare(self.recovered, self.began_in_range)


def clinic_change_method(scope: Scope) -> str:
    """The clinic's way of judging change (Jacobson–Truax unless it chose another)."""
    method = (
        ClinicMeasureSettings.objects.filter(clinic=scope.clinic)
        .values_list("change_method", flat=True)
        .first()
    )
    return method or ClinicMeasureSettings.ChangeMethod.JACOBSON_TRUAX


def _began_in_clinical_range(entry: Entry, before: float, cutoff: float | None) -> bool:
    if cutoff is None:
        return False
    if entry.instrument.direction == "higher_is_worse":
        return before >= cutoff
    return before <= cutoff


def measure_changes(scope: Scope) -> list[MeasureChange]:
    """Per measure, the change from each client's baseline to their latest form in the period.

    One query: each client's latest completed form of each measure in the period (a
    window function picks it), with the total and id of their first one beside it.
    """
    completed = Administration.objects.filter(
        enrollment__in=scope.enrollments(), status=COMPLETED, total__isnull=False
    )
    first = completed.filter(
        enrollment_id=OuterRef("enrollment_id"), instrument_id=OuterRef("instrument_id")
    ).order_by("completed_at", "id")
    in_period = completed.filter(completed_at__lt=scope.end)
    if scope.start is not None:
        in_period = in_period.filter(completed_at__gte=scope.start)
    latest = (
        in_period.annotate(
            newest=Window(
                RowNumber(),
                partition_by=[F("enrollment_id"), F("instrument_id")],
                order_by=[F("completed_at").desc(), F("id").desc()],
            ),
        )
        .filter(newest=1)
        .annotate(
            base_id=Subquery(first.values("id")[:1]),
            base_total=Subquery(first.values("total")[:1]),
        )
        .values_list(
            "instrument_id", "clinic_instrument_id", "id", "total", "base_id", "base_total"
        )
    )
    method = clinic_change_method(scope)
    entries: dict[tuple[str, UUID | None], Entry | None] = {}
    rows: dict[str, MeasureChange] = {}
    for instrument_id, version_id, form_id, total, base_id, base_total in latest:
        if base_id == form_id or total is None or base_total is None:
            continue  # only the baseline so far: no change to judge
        key = (instrument_id, version_id)
        if key not in entries:  # once per questionnaire version, not per client
            entries[key] = instruments.entry_of(instrument_id, version_id)
        entry = entries[key]
        if entry is None:
            continue
        change, _method = results.change_between(entry, base_total, total, method)
        if change is None:
            continue
        row = rows.setdefault(
            instrument_id, MeasureChange(instrument_id, entry.instrument.short_name)
        )
        row.clients += 1
        row.improved += change.verdict == "improved"
        row.deteriorated += change.verdict == "deteriorated"
        if _began_in_clinical_range(entry, base_total, change.cutoff):
            row.began_in_range += 1
            row.recovered += change.recovered
    return [rows[i] for i in results.in_catalogue_order(rows)]


@dataclass
class Completion:
    """Forms of one measure (or of all) that fell due in the period."""

    instrument_id: str
    name: str
    completed: int = 0
    missed: int = 0
    clients: int = 0

    @property
    def due(self) -> int:
        return self.completed + self.missed

    @property
    def percent(self) -> float | None:
        return stats.ratio_percent(self.completed, self.due)


def completion(scope: Scope) -> tuple[list[Completion], Completion]:
    """Completed and missed forms per measure, and for all measures together (two queries)."""
    completed_in = Q(status=COMPLETED, completed_at__lt=scope.end)
    missed_in = Q(status=EXPIRED, closes_at__lt=scope.end)
    if scope.start is not None:
        completed_in &= Q(completed_at__gte=scope.start)
        missed_in &= Q(closes_at__gte=scope.start)
    due = Administration.objects.filter(enrollment__in=scope.enrollments()).filter(
        completed_in | missed_in
    )
    per_measure = (
        due.order_by()
        .values("instrument_id")
        .annotate(
            completed=Count("id", filter=Q(status=COMPLETED)),
            missed=Count("id", filter=Q(status=EXPIRED)),
            clients=Count("enrollment_id", distinct=True),
        )
    )
    rows = {
        row["instrument_id"]: Completion(
            row["instrument_id"],
            _short_name(row["instrument_id"], scope.clinic.pk),
            row["completed"],
            row["missed"],
            row["clients"],
        )
        for row in per_measure
    }
    everyone = due.aggregate(clients=Count("enrollment_id", distinct=True))["clients"] or 0
    total = Completion(
        "",
        "",
        sum(r.completed for r in rows.values()),
        sum(r.missed for r in rows.values()),
        everyone,
    )
    return [rows[i] for i in results.in_catalogue_order(rows)], total


def _short_name(instrument_id: str, clinic_id: int) -> str:
    """The questionnaire's short name: an installed one's costs no query, a clinic's own one."""
    entry = instruments.current(instrument_id, clinic_id)
    return entry.instrument.short_name if entry else instrument_id
