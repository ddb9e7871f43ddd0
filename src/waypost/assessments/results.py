"""What the completed forms say: per measure, the history, the latest score and the change.

Read-only selectors for the client's and the clinician's pages; access is
checked by the views that call them.

Two vocabularies: the clinician reads the exact terms ("Reliable improvement",
the instrument's code), the client reads plain words ("A real improvement, not
a day-to-day wobble", "Mood questionnaire"): the ``client_*`` functions and
fields, and ``plain=True`` for the chart's title.
"""

from __future__ import annotations

from collections.abc import Iterable
from dataclasses import dataclass, field
from typing import Any

from django.db.models import QuerySet
from django.utils import formats, timezone
from django.utils.translation import gettext as _
from django.utils.translation import ngettext

from waypost.assessments import catalog, charts, scoring
from waypost.assessments.models import Administration, ClinicMeasureSettings
from waypost.program.models import Enrollment


@dataclass(frozen=True)
class SubscaleScore:
    """One subscale of a completed form, by its name in the instrument file."""

    name: str
    value: str
    low: scoring.Number
    high: scoring.Number


def subscale_scores(entry: catalog.Entry, form: Administration) -> list[SubscaleScore]:
    """The form's subscales in the file's order, named and with their range."""
    out = []
    for subscale in entry.instrument.subscales:
        if subscale.id not in form.subscales:
            continue
        low, high = subscale.rule.bounds(entry.instrument)
        shown = scoring.plain_number(form.subscales[subscale.id])
        out.append(SubscaleScore(subscale.name, shown, low, high))
    return out


def band_detail(entry: catalog.Entry, band: str) -> str:
    """What the file says about a band, written for the client ("" when nothing)."""
    return entry.band_details.get(band, "") if band else ""


@dataclass
class MeasureHistory:
    entry: catalog.Entry
    forms: list[Administration]  # completed, oldest first
    change: scoring.Change | None = None
    change_method: str = ""
    chart: str = ""
    table: list[dict[str, Any]] = field(default_factory=list)
    # The forms with a critical answer, oldest first (filled on the clinician's page only).
    critical_forms: list[Administration] = field(default_factory=list)

    @property
    def baseline(self) -> Administration:
        return self.forms[0]

    @property
    def latest(self) -> Administration:
        return self.forms[-1]

    @property
    def latest_subscales(self) -> list[SubscaleScore]:
        return subscale_scores(self.entry, self.latest)

    @property
    def arrow(self) -> str:
        """↑ or ↓ for a reliable change (the direction of the score), else ''."""
        if self.change is None or not self.change.reliable:
            return ""
        return "↑" if self.change.difference > 0 else "↓"

    @property
    def verdict_text(self) -> str:
        return verdict_text(self.change)

    @property
    def client_verdict_text(self) -> str:
        """The change in the client's words (the clinician's page says ``verdict_text``)."""
        return client_verdict_text(self.change)

    @property
    def standard_name(self) -> str:
        """The service standard the verdict used, by name ("" for Jacobson–Truax)."""
        for standard in self.entry.instrument.service_standards:
            if standard.id == self.change_method:
                return standard.name
        return ""


def verdict_text(change: scoring.Change | None) -> str:
    if change is None:
        return ""
    if change.recovered:
        return _("Reliable improvement, now outside the clinical range")
    return {
        "improved": _("Reliable improvement"),
        "deteriorated": _("Reliable worsening"),
        "no_reliable_change": _("No reliable change yet"),
    }[change.verdict]


def verdict_short(change: scoring.Change | None) -> str:
    """A word or two for a table cell."""
    if change is None:
        return ""
    if change.recovered:
        return _("Recovered")
    return {
        "improved": _("Improved"),
        "deteriorated": _("Worse"),
        "no_reliable_change": _("No reliable change"),
    }[change.verdict]


def client_verdict_text(change: scoring.Change | None) -> str:
    """The change in plain words for the client: no "reliable", no "clinical range"."""
    if change is None:
        return ""
    if change.recovered:
        return _(
            "A real improvement, not a day-to-day wobble, and now in the range "
            "most people without these difficulties score in"
        )
    return {
        "improved": _("A real improvement, not a day-to-day wobble"),
        "deteriorated": _(
            "Harder than at first, by more than a day-to-day wobble: "
            "worth talking over with your clinician"
        ),
        "no_reliable_change": _("About the same so far: within the usual ups and downs"),
    }[change.verdict]


def client_verdict_short(change: scoring.Change | None) -> str:
    """A word or two for the client's table cell."""
    if change is None:
        return ""
    if change.recovered:
        return _("Better, in the usual range")
    return {
        "improved": _("Better"),
        "deteriorated": _("Harder"),
        "no_reliable_change": _("About the same"),
    }[change.verdict]


def change_method(enrollment: Enrollment) -> str:
    settings_row = ClinicMeasureSettings.objects.filter(clinic_id=enrollment.clinic_id).first()
    return (
        settings_row.change_method
        if settings_row
        else ClinicMeasureSettings.ChangeMethod.JACOBSON_TRUAX
    )


def change_between(
    entry: catalog.Entry, before: float | None, after: float | None, method: str
) -> tuple[scoring.Change | None, str]:
    """The change by the clinic's method, falling back to what the instrument file supports.

    No change without both scores (a form that is not completed has none).
    """
    if before is None or after is None:
        return None, ""
    instrument = entry.instrument
    standards = [s.id for s in instrument.service_standards]
    if method in standards:
        return scoring.service_change(instrument, method, before, after), method
    change = scoring.reliable_change(instrument, before, after)
    if change is not None:
        return change, "jacobson-truax"
    if standards:
        return scoring.service_change(instrument, standards[0], before, after), standards[0]
    return None, ""


def completed_forms(enrollment: Enrollment) -> QuerySet[Administration]:
    return Administration.objects.filter(
        enrollment=enrollment, status=Administration.Status.COMPLETED
    ).order_by("completed_at", "id")


def histories(
    enrollment: Enrollment,
    *,
    with_charts: bool = False,
    mark_critical: bool = False,
    plain: bool = False,
) -> list[MeasureHistory]:
    """One history per measure the client has completed, in the catalogue's order.

    ``plain`` (the client's pages) names the chart by the questionnaire's plain
    name ("Mood questionnaire") rather than its code. ``mark_critical`` (the
    clinician's page) marks every form that had a critical answer in the chart, the
    table and ``critical_forms``, so a score that has come down never reads as the
    whole story while a risk answer stands beside it.
    """
    by_instrument: dict[str, list[Administration]] = {}
    for form in completed_forms(enrollment):
        by_instrument.setdefault(form.instrument_id, []).append(form)
    method = change_method(enrollment)
    out = []
    for instrument_id in in_catalogue_order(by_instrument):
        forms = by_instrument[instrument_id]
        entry = forms[-1].entry  # the latest form's questionnaire, exactly as answered
        if entry is None:
            continue
        history = MeasureHistory(entry=entry, forms=forms)
        if mark_critical:
            history.critical_forms = [f for f in forms if f.had_critical_answer]
        if len(forms) > 1:
            history.change, history.change_method = change_between(
                entry, forms[0].total, forms[-1].total, method
            )
        history.table = _table(entry, forms, method, mark_critical=mark_critical)
        if with_charts:
            history.chart = _chart(entry, forms, mark_critical=mark_critical, plain=plain)
        out.append(history)
    return out


def in_catalogue_order(instrument_ids: Iterable[str]) -> list[str]:
    """Installed questionnaires in the catalogue's order, then a clinic's own by id."""
    order = {instrument_id: n for n, instrument_id in enumerate(catalog.catalog())}
    return sorted(instrument_ids, key=lambda i: (order.get(i, len(order)), i))


def history_for(
    enrollment: Enrollment, instrument_id: str, *, plain: bool = False
) -> MeasureHistory | None:
    for history in histories(enrollment, with_charts=True, plain=plain):
        if history.entry.id == instrument_id:
            return history
    return None


def _table(
    entry: catalog.Entry, forms: list[Administration], method: str, *, mark_critical: bool = False
) -> list[dict[str, Any]]:
    rows = []
    for form in forms:
        change, _method = (
            change_between(entry, forms[0].total, form.total, method)
            if form is not forms[0]
            else (None, "")
        )
        rows.append(
            {
                "form": form,
                "date": timezone.localtime(form.completed_at),
                "total": form.total_display,
                "band": form.band,
                "subscales": form.subscales,
                "verdict": verdict_short(change),
                "client_verdict": client_verdict_short(change),
                "critical": mark_critical and form.had_critical_answer,
            }
        )
    return rows


def _point(form: Administration, *, mark_critical: bool = False) -> charts.Point:
    # A completed form always has its time and its total.
    assert form.completed_at is not None and form.total is not None
    return charts.Point(
        when=form.completed_at,
        value=form.total,
        label=formats.date_format(timezone.localtime(form.completed_at), "j M"),
        critical=mark_critical and form.had_critical_answer,
    )


def _chart(
    entry: catalog.Entry,
    forms: list[Administration],
    *,
    mark_critical: bool = False,
    plain: bool = False,
) -> str:
    low, high = entry.instrument.range
    points = [_point(form, mark_critical=mark_critical) for form in forms]
    first, last = forms[0], forms[-1]
    description = ngettext(
        "%(count)d score, on %(start)s: %(last)s, on a scale from %(low)s to %(high)s. "
        "The table beside the chart lists it.",
        "%(count)d scores from %(start)s to %(end)s. First %(first)s, latest %(last)s, "
        "on a scale from %(low)s to %(high)s. The table beside the chart lists every score.",
        len(forms),
    ) % {
        "count": len(forms),
        "start": formats.date_format(timezone.localtime(first.completed_at), "j M Y"),
        "end": formats.date_format(timezone.localtime(last.completed_at), "j M Y"),
        "first": first.total_display,
        "last": last.total_display,
        "low": low,
        "high": high,
    }
    critical = [p for p in points if p.critical]
    if critical:
        description += " " + ngettext(
            "Marked with a ring and “!”: a form with a critical answer, on %(dates)s.",
            "Marked with a ring and “!”: %(count)d forms with a critical answer, on %(dates)s.",
            len(critical),
        ) % {
            "count": len(critical),
            "dates": ", ".join(
                formats.date_format(timezone.localtime(p.when), "j M Y") for p in critical
            ),
        }
    return charts.trend_svg(
        points,
        low=low,
        high=high,
        title=_("%(name)s over time")
        % {"name": entry.plain_name if plain else entry.instrument.short_name},
        description=description,
        shades=[charts.Shade(b.min, b.max, b.label) for b in entry.instrument.bands],
        ident=f"trend-{entry.id}",
    )


def recently_missed(enrollment: Enrollment, limit: int = 5) -> QuerySet[Administration]:
    """Forms that closed without answers, newest first."""
    return Administration.objects.filter(
        enrollment=enrollment, status=Administration.Status.EXPIRED
    ).order_by("-closes_at", "-id")[:limit]


def open_forms(enrollment: Enrollment) -> QuerySet[Administration]:
    """Forms the client can fill in now, soonest closing first."""
    now = timezone.now()
    return Administration.objects.filter(
        enrollment=enrollment,
        status__in=[Administration.Status.OPEN, Administration.Status.IN_PROGRESS],
        opens_at__lte=now,
        closes_at__gt=now,
    ).order_by("closes_at")
