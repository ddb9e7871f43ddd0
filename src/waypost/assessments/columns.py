"""The measures' columns on the caseload: latest scores with change marks, and what is due."""

from __future__ import annotations

from collections import defaultdict
from collections.abc import Sequence
from datetime import timedelta
from typing import TYPE_CHECKING

from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from waypost.assessments import results
from waypost.assessments.models import Administration, ClinicMeasureSettings
from waypost.core.columns import Cell, Column, register
from waypost.safety.models import RiskAlert

if TYPE_CHECKING:
    from waypost.program.models import Enrollment

MISSED_RECENTLY = timedelta(days=14)


def latest_scores(enrollments: Sequence[Enrollment]) -> dict[int, Cell]:
    """The latest score per measure with its reliable-change mark, and never only good news:
    a "!" after a score whose form had a critical answer, and "risk alert open" beside the
    verdicts while the client has an open alert (a "Recovered" never stands alone)."""
    ids = [e.pk for e in enrollments]
    alerted = set(
        RiskAlert.objects.filter(enrollment_id__in=ids, status=RiskAlert.Status.OPEN)
        .values_list("enrollment_id", flat=True)
        .distinct()
    )
    methods = dict(
        ClinicMeasureSettings.objects.filter(
            clinic_id__in={e.clinic_id for e in enrollments}
        ).values_list("clinic_id", "change_method")
    )
    forms: dict[int, dict[str, list[Administration]]] = defaultdict(lambda: defaultdict(list))
    for form in Administration.objects.filter(
        enrollment_id__in=ids, status=Administration.Status.COMPLETED
    ).order_by("completed_at", "id"):
        forms[form.enrollment_id][form.instrument_id].append(form)
    cells = {}
    for enrollment in enrollments:
        parts, words = [], []
        method = methods.get(
            enrollment.clinic_id, ClinicMeasureSettings.ChangeMethod.JACOBSON_TRUAX
        )
        mine = forms[enrollment.pk]
        for instrument_id in results.in_catalogue_order(mine):
            history = mine[instrument_id]
            latest = history[-1]
            entry = latest.entry
            if entry is None or instrument_id == "readiness-ruler":
                continue
            mark = ""
            if len(history) > 1:
                change, _method = results.change_between(
                    entry, history[0].total, latest.total, method
                )
                if change is not None and change.reliable:
                    mark = "↑" if change.difference > 0 else "↓"
                    words.append(f"{entry.instrument.short_name}: {results.verdict_text(change)}")
            if latest.had_critical_answer:
                mark += "!"
                words.append(
                    _("%(name)s: critical answer on the latest form")
                    % {"name": entry.instrument.short_name}
                )
            parts.append(f"{entry.instrument.short_name} {latest.total_display}{mark}")
        if parts:
            shown = parts[:3]
            if enrollment.pk in alerted:
                shown.append(_("risk alert open"))
                words.append(_("a risk alert is open"))
            cells[enrollment.pk] = Cell(
                text=" · ".join(shown),
                url=reverse("assessments:clinician_measures", args=[enrollment.pk]),
                label="; ".join(words),
                attention=enrollment.pk in alerted,
            )
    return cells


def due(enrollments: Sequence[Enrollment]) -> dict[int, Cell]:
    now = timezone.now()
    ids = [e.pk for e in enrollments]
    open_forms: dict[int, list[Administration]] = defaultdict(list)
    missed: dict[int, list[Administration]] = defaultdict(list)
    for form in Administration.objects.filter(
        enrollment_id__in=ids,
        status__in=[
            Administration.Status.OPEN,
            Administration.Status.IN_PROGRESS,
            Administration.Status.EXPIRED,
        ],
    ).order_by("closes_at"):
        if form.status == Administration.Status.EXPIRED or form.closes_at <= now:
            if form.closes_at >= now - MISSED_RECENTLY:
                missed[form.enrollment_id].append(form)
        elif form.opens_at <= now:
            open_forms[form.enrollment_id].append(form)
    cells = {}
    for enrollment in enrollments:
        waiting, gone = open_forms.get(enrollment.pk, []), missed.get(enrollment.pk, [])
        if not waiting and not gone:
            continue
        bits = []
        if waiting:
            soon = [f for f in waiting if f.closes_soon]
            bits.append(
                _("%(names)s open") % {"names": ", ".join(f.short_name for f in waiting)}
                + (" " + _("(closes within a day)") if soon else "")
            )
        if gone:
            bits.append(_("missed %(names)s") % {"names": ", ".join(f.short_name for f in gone)})
        cells[enrollment.pk] = Cell(
            text="; ".join(bits),
            url=reverse("assessments:clinician_measures", args=[enrollment.pk]),
            attention=bool(gone) or any(f.closes_soon for f in waiting),
        )
    return cells


def register_all() -> None:
    register(Column("assessments.scores", gettext_lazy("Latest scores"), latest_scores, order=30))
    register(Column("assessments.due", gettext_lazy("Questionnaires"), due, order=40))
