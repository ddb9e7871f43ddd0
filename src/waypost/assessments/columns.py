"""The measures' columns on the caseload: latest scores with change marks, and what is due."""

from __future__ import annotations

from collections import defaultdict
from collections.abc import Sequence
from dataclasses import dataclass
from datetime import datetime, timedelta
from typing import TYPE_CHECKING
from uuid import UUID

from django.db.models import Max, Min, Q
from django.utils import timezone
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from waypost.assessments import catalog, instruments, results
from waypost.assessments.models import (
    Administration,
    ClinicMeasureSettings,
    had_critical_answer,
)
from waypost.assessments.scoring import plain_number
from waypost.core.columns import Cell, Column, links, register
from waypost.safety.columns import open_alerts_by_enrollment

if TYPE_CHECKING:
    from django.db.models import QuerySet

    from waypost.program.models import Enrollment

MISSED_RECENTLY = timedelta(days=14)


@dataclass(frozen=True)
class Score:
    """What the scores column reads of a completed form: never the (encrypted) answers."""

    pk: int
    instrument_id: str
    clinic_instrument_id: UUID | None
    total: float | None
    critical: bool  # a critical answer: ``Administration.had_critical_answer``

    @property
    def entry(self) -> catalog.Entry | None:
        return instruments.entry_of(self.instrument_id, self.clinic_instrument_id)

    @property
    def total_display(self) -> str:
        return "" if self.total is None else plain_number(self.total)


def first_and_latest(
    enrollment_ids: Sequence[int],
) -> dict[int, dict[str, tuple[Score, Score]]]:
    """Each client's first and latest completed form per questionnaire, in two queries.

    The first finds when each client's first and latest form of each questionnaire was
    completed (MIN and MAX through the (enrollment, instrument, completed_at) index); the
    second reads only the forms completed at those moments: two per client and
    questionnaire at most, however long the history, as a few values each (no model:
    a page of fifty clients has a couple of hundred). Of forms completed at the same
    moment, the first is the lowest id and the latest the highest. The pair is the same
    form twice when there is only one.
    """
    completed = Administration.objects.filter(
        enrollment_id__in=enrollment_ids, status=Administration.Status.COMPLETED
    ).order_by()
    ends: dict[tuple[int, str], tuple[datetime, datetime]] = {
        (enrollment_id, instrument_id): (first_at, latest_at)
        for enrollment_id, instrument_id, first_at, latest_at in completed.values(
            "enrollment_id", "instrument_id"
        )
        .annotate(first_at=Min("completed_at"), latest_at=Max("completed_at"))
        .values_list("enrollment_id", "instrument_id", "first_at", "latest_at")
    }
    if not ends:
        return {}
    moments = {moment for pair in ends.values() for moment in pair}
    firsts: dict[tuple[int, str], Score] = {}
    latests: dict[tuple[int, str], Score] = {}
    for pk, enrollment_id, instrument_id, version, completed_at, total, flags, alerted in (
        completed.filter(completed_at__in=moments)
        .order_by("id")
        .values_list(
            "pk",
            "enrollment_id",
            "instrument_id",
            "clinic_instrument_id",
            "completed_at",
            "total",
            "flags",
            "alert_raised_at",
        )
    ):
        key = (enrollment_id, instrument_id)
        if key not in ends:
            continue
        first_at, latest_at = ends[key]
        score = Score(
            pk=pk,
            instrument_id=instrument_id,
            clinic_instrument_id=version,
            total=total,
            critical=had_critical_answer(alerted, flags),
        )
        if completed_at == first_at and key not in firsts:
            firsts[key] = score  # the lowest id of that moment
        if completed_at == latest_at:
            latests[key] = score  # the highest id of that moment
    pairs: dict[int, dict[str, tuple[Score, Score]]] = defaultdict(dict)
    for (enrollment_id, instrument_id), latest in latests.items():
        pairs[enrollment_id][instrument_id] = (firsts[enrollment_id, instrument_id], latest)
    return pairs


def latest_scores(enrollments: Sequence[Enrollment]) -> dict[int, Cell]:
    """The latest score per measure with its reliable-change mark, and never only good news:
    a "!" after a score whose form had a critical answer, and "risk alert open" beside the
    verdicts while the client has an open alert (a "Recovered" never stands alone).

    Two queries for every row (the open alerts are shared with the risk column). Sorted,
    the clients with the most scores that call for a look come first: a reliable
    worsening, or a critical answer on the latest form.
    """
    ids = [e.pk for e in enrollments]
    alerted = open_alerts_by_enrollment(enrollments).keys()
    methods = dict(
        ClinicMeasureSettings.objects.filter(
            clinic_id__in={e.clinic_id for e in enrollments}
        ).values_list("clinic_id", "change_method")
    )
    pairs = first_and_latest(ids)
    measures = links("assessments:clinician_measures")
    # The words, translated once for the page rather than once for each score.
    verdicts: dict[tuple[bool, str], str] = {}
    critical = _("%(name)s: critical answer on the latest form")
    alert_open, alert_words = _("risk alert open"), _("a risk alert is open")
    cells = {}
    for enrollment in enrollments:
        parts, words = [], []
        concerns = 0
        method = methods.get(
            enrollment.clinic_id, ClinicMeasureSettings.ChangeMethod.JACOBSON_TRUAX
        )
        mine = pairs.get(enrollment.pk, {})
        for instrument_id in results.in_catalogue_order(mine):
            first, latest = mine[instrument_id]
            entry = latest.entry
            if entry is None or instrument_id == "readiness-ruler":
                continue
            mark = ""
            if first.pk != latest.pk:
                change, _method = results.change_between(entry, first.total, latest.total, method)
                if change is not None and change.reliable:
                    mark = "↑" if change.difference > 0 else "↓"
                    said = (change.recovered, change.verdict)
                    if said not in verdicts:
                        verdicts[said] = results.verdict_text(change)
                    words.append(f"{entry.instrument.short_name}: {verdicts[said]}")
                    concerns += change.verdict == "deteriorated"
            if latest.critical:
                mark += "!"
                concerns += 1
                words.append(critical % {"name": entry.instrument.short_name})
            parts.append(f"{entry.instrument.short_name} {latest.total_display}{mark}")
        if parts:
            shown = parts[:3]
            if enrollment.pk in alerted:
                shown.append(alert_open)
                words.append(alert_words)
            cells[enrollment.pk] = Cell(
                text=" · ".join(shown),
                pieces=tuple(shown),
                url=measures(enrollment.pk),
                label="; ".join(words),
                attention=enrollment.pk in alerted,
                sort=concerns,
            )
    return cells


def _open_or_missed_lately(now: datetime) -> Q:
    """The forms the questionnaires column reads: open now, or missed (expired, or past
    closing) in the last ``MISSED_RECENTLY``. Older ones are neither: a year of them
    stays behind."""
    return Q(
        status__in=[
            Administration.Status.OPEN,
            Administration.Status.IN_PROGRESS,
            Administration.Status.EXPIRED,
        ],
        closes_at__gte=now - MISSED_RECENTLY,
        opens_at__lte=now,
    )


def due(enrollments: Sequence[Enrollment]) -> dict[int, Cell]:
    """The questionnaires open now and those missed in the last ``MISSED_RECENTLY``: one
    query, bounded by that window whatever the history. A missed form, or one that
    closes within a day, needs attention; sorted, the most missed come first, then the
    most closing soon, then the most open."""
    now = timezone.now()
    waiting: dict[int, list[str]] = defaultdict(list)
    soon: dict[int, int] = defaultdict(int)
    missed: dict[int, list[str]] = defaultdict(list)
    names: dict[tuple[str, UUID | None], str] = {}
    for enrollment_id, instrument_id, version, status, closes_at in (
        Administration.objects.filter(
            _open_or_missed_lately(now), enrollment_id__in=[e.pk for e in enrollments]
        )
        .order_by("closes_at")
        .values_list(
            "enrollment_id", "instrument_id", "clinic_instrument_id", "status", "closes_at"
        )
    ):
        if (instrument_id, version) not in names:
            form = Administration(instrument_id=instrument_id, clinic_instrument_id=version)
            names[instrument_id, version] = form.short_name
        name = names[instrument_id, version]
        if status == Administration.Status.EXPIRED or closes_at <= now:
            missed[enrollment_id].append(name)
        else:
            waiting[enrollment_id].append(name)
            # as Administration.closes_soon: open, with less than a day left
            soon[enrollment_id] += closes_at - now < timedelta(days=1)
    measures = links("assessments:clinician_measures")
    # (translated once for the page)
    is_open, was_missed, closes = (
        _("%(names)s open"),
        _("missed %(names)s"),
        _("closes within a day"),
    )
    cells = {}
    for enrollment_id in waiting.keys() | missed.keys():
        bits = []
        if open_now := waiting.get(enrollment_id):
            bits.append(is_open % {"names": ", ".join(open_now)})
        if gone := missed.get(enrollment_id):
            bits.append(was_missed % {"names": ", ".join(gone)})
        closing = soon.get(enrollment_id, 0)
        cells[enrollment_id] = Cell(
            text="; ".join(bits),
            detail=closes if closing else "",
            url=measures(enrollment_id),
            attention=bool(gone) or bool(closing),
            sort=(len(gone or ()), closing, len(open_now or ())),
        )
    return cells


def missed_or_closing(listed: QuerySet[Enrollment]) -> QuerySet[Administration, int]:
    """The listed clients ``due`` marks (``Column.attention``): a form missed lately, or
    one that closes within a day. One query."""
    now = timezone.now()
    return (
        Administration.objects.filter(_open_or_missed_lately(now), enrollment__in=listed)
        # missed (expired, or past its closing time) or closing within a day
        .filter(Q(status=Administration.Status.EXPIRED) | Q(closes_at__lt=now + timedelta(days=1)))
        .order_by()
        .values_list("enrollment_id", flat=True)
        .distinct()
    )


def register_all() -> None:
    # The scores column needs attention only while a risk alert is open, which the risk
    # column already weighs: it adds nothing to "needs attention first".
    register(
        Column(
            "assessments.scores",
            gettext_lazy("Latest scores"),
            latest_scores,
            order=30,
            sorts=True,
            weight=0,
        )
    )
    register(
        Column(
            "assessments.due",
            gettext_lazy("Questionnaires"),
            due,
            order=40,
            sorts=True,
            weight=2,
            attention=missed_or_closing,
        )
    )
