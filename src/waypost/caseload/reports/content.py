"""What a progress report says: each chosen section, read from the apps that keep it.

Read-only. Each section reads through the app that owns the data: scores, reliable
change and charts through ``assessments.results`` and ``assessments.charts``; the day
counter through ``recovery.selectors`` and ``recovery.days``; meetings and group
sessions through the ``connect.attendance`` registry (without knowing which apps fill
it); goals through ``flourish.selectors``; stages from ``program``. Access is checked
by the views that call :func:`build`.

Private things stay out: no journal, no check-in or urge notes, no triggers or places
(urges are counted, nothing more), no session notes, nothing about allies, no stage
change reasons, no goal notes. A report for the client uses the client's words
("Mood questionnaire", "a real improvement"); one for a referral the clinical terms
("PHQ-9", "reliable improvement").
"""

from __future__ import annotations

from collections import defaultdict
from collections.abc import Callable, Iterable
from dataclasses import dataclass
from datetime import date, datetime, time, timedelta
from typing import TYPE_CHECKING

from django.db.models import Avg, Count, Min, Q, Sum
from django.utils import formats, timezone
from django.utils.translation import gettext as _
from django.utils.translation import ngettext

from waypost.assessments import catalog, charts, results, scoring
from waypost.assessments.models import Administration
from waypost.caseload.reports import sections as catalogue
from waypost.caseload.reports.document import (
    Block,
    Chart,
    Facts,
    Paragraph,
    Report,
    Section,
    Subheading,
    Table,
)
from waypost.caseload.reports.models import ProgressReport
from waypost.connect import attendance
from waypost.core.timezones import first_zone
from waypost.flourish import selectors as flourish
from waypost.flourish.models import Goal
from waypost.program.models import Stage, StageChange
from waypost.recovery import days
from waypost.recovery import selectors as recovery
from waypost.recovery.forms import MOODS
from waypost.recovery.models import CheckIn, Urge

if TYPE_CHECKING:
    from waypost.program.models import Enrollment

#: The most occasions of meetings and groups listed one by one (all are counted).
MAX_OCCASIONS = 60
#: How far back the occasions are looked for, per attendance source.
OCCASIONS_READ = 500


@dataclass(frozen=True)
class Period:
    """The client's local dates from ``start`` to ``end``, both included, in ``zone``."""

    start: date
    end: date
    zone: str

    @property
    def since(self) -> datetime:
        return datetime.combine(self.start, time.min, tzinfo=first_zone(self.zone))

    @property
    def until(self) -> datetime:
        """The first moment after the period (midnight after ``end``)."""
        return datetime.combine(
            self.end + timedelta(days=1), time.min, tzinfo=first_zone(self.zone)
        )


def program_start(enrollment: Enrollment) -> date:
    """The client's local date of joining the program: where "the whole program" begins."""
    return days.local_date(enrollment.created_at, recovery.client_time_zone(enrollment))


@dataclass(frozen=True)
class Context:
    enrollment: Enrollment
    period: Period
    plain: bool  # the client's words rather than the clinical terms
    today: date  # the client's local date


def _day(value: date | datetime) -> str:
    """A date; a moment as its date in the reader's zone, as on every page."""
    if isinstance(value, datetime):
        value = timezone.localtime(value)
    return formats.date_format(value, "j M Y")


def _days_text(n: int) -> str:
    return ngettext("%(n)d day", "%(n)d days", n) % {"n": n}


def _number(value: float) -> str:
    return formats.number_format(round(value, 1), decimal_pos=1 if value % 1 else 0)


# --- measures ---------------------------------------------------------------------------


def _measures(ctx: Context) -> list[Block]:
    forms = list(
        results.completed_forms(ctx.enrollment).filter(
            completed_at__gte=ctx.period.since, completed_at__lt=ctx.period.until
        )
    )
    by_instrument: dict[str, list[Administration]] = defaultdict(list)
    for form in forms:
        by_instrument[form.instrument_id].append(form)
    method = results.change_method(ctx.enrollment)
    blocks: list[Block] = []
    for instrument_id in results.in_catalogue_order(by_instrument):
        found = by_instrument[instrument_id]
        entry = found[-1].entry
        if entry is None:
            continue
        blocks.extend(_measure(ctx, entry, found, method))
    if not blocks:
        return [Paragraph(_("No questionnaires were completed in this period."), muted=True)]
    return blocks


def _measure(
    ctx: Context, entry: catalog.Entry, forms: list[Administration], method: str
) -> list[Block]:
    instrument = entry.instrument
    name = entry.plain_name if ctx.plain else instrument.title
    first, last = forms[0], forms[-1]
    change, used = (
        results.change_between(entry, first.total, last.total, method)
        if len(forms) > 1
        else (None, "")
    )
    low, high = instrument.range
    points = tuple(
        charts.Point(
            when=form.completed_at,
            value=float(form.total),
            label=formats.date_format(timezone.localtime(form.completed_at), "j M"),
        )
        for form in forms
        if form.completed_at is not None and form.total is not None
    )
    description = ngettext(
        "%(count)d score, on %(start)s: %(last)s, on a scale from %(low)s to %(high)s.",
        "%(count)d scores from %(start)s to %(end)s. First %(first)s, latest %(last)s, "
        "on a scale from %(low)s to %(high)s.",
        len(forms),
    ) % {
        "count": len(forms),
        "start": _day(first.completed_at or ctx.period.since),
        "end": _day(last.completed_at or ctx.period.since),
        "first": first.total_display,
        "last": last.total_display,
        "low": low,
        "high": high,
    }
    chart = Chart(
        title=_("%(name)s over time") % {"name": name},
        description=description,
        low=float(low),
        high=float(high),
        points=points,
        shades=tuple(charts.Shade(b.min, b.max, b.label) for b in instrument.bands),
        ident=f"report-{entry.id}",
    )
    rows = []
    for form in forms:
        since_first = (
            results.change_between(entry, first.total, form.total, method)[0]
            if form is not first
            else None
        )
        verdict = (
            results.client_verdict_short(since_first)
            if ctx.plain
            else results.verdict_short(since_first)
        )
        rows.append(
            (
                _day(form.completed_at or ctx.period.since),
                form.total_display,
                form.band or "—",
                verdict or "—",
            )
        )
    blocks: list[Block] = [
        Subheading(name),
        chart,
        Table(
            caption=_("%(name)s scores, oldest first") % {"name": name},
            headers=(_("Date"), _("Score"), _("Range"), _("Since the first")),
            rows=tuple(rows),
        ),
    ]
    if change is not None:
        verdict_text = (
            results.client_verdict_text(change) if ctx.plain else results.verdict_text(change)
        )
        blocks.append(
            Paragraph(
                _("From %(first)s to %(last)s: %(verdict)s.")
                % {
                    "first": first.total_display,
                    "last": last.total_display,
                    "verdict": verdict_text,
                }
            )
        )
        blocks.append(Paragraph(_threshold_text(ctx, entry, change, used), muted=True))
    elif len(forms) > 1:
        # No published figure for a reliable change on this questionnaire: the scores only.
        blocks.append(
            Paragraph(
                _("From %(first)s to %(last)s.")
                % {"first": first.total_display, "last": last.total_display}
            )
        )
    else:
        blocks.append(
            Paragraph(_("One score in this period: change shows from the second."), muted=True)
        )
    return blocks


def _threshold_text(ctx: Context, entry: catalog.Entry, change: scoring.Change, used: str) -> str:
    threshold = formats.number_format(change.threshold, decimal_pos=1)
    if ctx.plain:
        return _(
            "Scores move a little from day to day. A change of more than %(t)s points is a "
            "real change, not a day-to-day wobble."
        ) % {"t": threshold}
    cutoff = formats.number_format(change.cutoff, decimal_pos=1) if change.cutoff else "—"
    if used == "jacobson-truax":
        return _(
            "A change of more than %(t)s points counts as reliable; %(c)s marks the clinical "
            "range (Jacobson and Truax)."
        ) % {"t": threshold, "c": cutoff}
    names = {s.id: s.name for s in entry.instrument.service_standards}
    return _(
        "A change of %(t)s points or more counts as reliable; %(c)s marks the clinical "
        "range (%(name)s)."
    ) % {"t": threshold, "c": cutoff, "name": names.get(used, used)}


# --- streak and total days --------------------------------------------------------------


def _not_counting() -> list[Block]:
    return [Paragraph(_("The day counter begins in Stage 2; it has not begun yet."), muted=True)]


def _days(ctx: Context) -> list[Block]:
    start = recovery.counting_start(ctx.enrollment)
    if start is None:
        return _not_counting()
    lapses = recovery.lapse_days(ctx.enrollment, start)
    if ctx.period.end >= ctx.today:
        # Up to today: exactly the counter the record and the client's Today show.
        summary = recovery.record_summary(ctx.enrollment, ctx.today)
        if summary is None:
            return _not_counting()
        counter = summary.counter
    else:
        counter = days.counter(start=start, today=ctx.period.end, lapse_days=lapses)
    first = max(ctx.period.start, start)
    last = min(ctx.period.end, counter.today)
    counted = max(0, (last - first).days + 1)
    lapsed = sum(1 for day in lapses if first <= day <= last)
    urges = Urge.objects.filter(
        enrollment=ctx.enrollment,
        local_date__gte=ctx.period.start,
        local_date__lte=ctx.period.end,
    ).aggregate(noted=Count("pk"), resisted=Count("pk", filter=Q(outcome=Urge.Outcome.RESISTED)))
    facts = [
        (_("Counting since"), _day(start)),
        (_("Current streak"), _days_text(counter.current_streak)),
        (_("Total days"), _days_text(counter.total_sober_days)),
        (_("Longest streak"), _days_text(counter.longest_streak)),
        (_("Lapse days, in all"), str(counter.lapses)),
    ]
    if counted:
        facts.append(
            (
                _("In this period"),
                _("%(kept)s of %(days)s without a lapse")
                % {"kept": counted - lapsed, "days": _days_text(counted)},
            )
        )
    facts.append((_("Urges noted in this period"), str(urges["noted"])))
    facts.append((_("Urges resisted in this period"), str(urges["resisted"])))
    return [
        Facts(tuple(facts)),
        Paragraph(
            _(
                "Counted up to %(day)s. A lapse starts a new streak; the total days and the "
                "longest streak never go down."
            )
            % {"day": _day(counter.today)},
            muted=True,
        ),
    ]


# --- check-ins ---------------------------------------------------------------------------


def _mood_word(average: float) -> str:
    nearest = min(max(round(average), MOODS[0][0]), MOODS[-1][0])
    return str(dict(MOODS)[nearest])


def _check_ins(ctx: Context) -> list[Block]:
    rows = CheckIn.objects.filter(
        enrollment=ctx.enrollment,
        local_date__gte=ctx.period.start,
        local_date__lte=ctx.period.end,
    )
    found = rows.aggregate(
        days=Count("pk"),
        kept=Count("pk", filter=Q(sober=True)),
        mood=Avg("mood"),
        sleep=Avg("sleep_hours"),
        minutes=Sum("mindfulness_minutes"),
        first=Min("local_date"),
    )
    if not found["days"]:
        if ctx.enrollment.stage < Stage.ABSTINENCE:
            text = _("Daily check-ins begin in Stage 2.")
        else:
            text = _("No check-ins in this period.")
        return [Paragraph(text, muted=True)]
    # The days that could have had a check-in: from the counter's start (or the first
    # check-in, if earlier: a client who stepped back a stage) to the end of the period.
    start = min(recovery.counting_start(ctx.enrollment) or found["first"], found["first"])
    first = max(ctx.period.start, start)
    last = min(ctx.period.end, ctx.today)
    possible = max(found["days"], (last - first).days + 1)
    mood = float(found["mood"])
    facts = [
        (
            _("Days with a check-in"),
            _("%(n)s of %(days)s (%(percent)s%%)")
            % {
                "n": found["days"],
                "days": _days_text(possible),
                "percent": round(100 * found["days"] / possible),
            },
        ),
        (
            _("Inner circle kept"),
            _("on %(kept)s of the %(n)s days checked in")
            % {"kept": found["kept"], "n": found["days"]},
        ),
        (
            _("Average mood"),
            _("%(mood)s of 5 (%(word)s)") % {"mood": _number(mood), "word": _mood_word(mood)},
        ),
    ]
    if found["sleep"] is not None:
        facts.append(
            (_("Average sleep"), _("%(hours)s hours") % {"hours": _number(float(found["sleep"]))})
        )
    facts.append((_("Mindfulness"), _("%(n)s minutes in all") % {"n": found["minutes"] or 0}))
    blocks: list[Block] = [Facts(tuple(facts))]
    weekly = _weekly_mood(rows.values_list("local_date", "mood"), ctx)
    if weekly is not None:
        blocks.extend([Subheading(weekly.title), weekly])
    blocks.append(
        Paragraph(_("The notes written with check-ins are not in this report."), muted=True)
    )
    return blocks


def _weekly_mood(rows: Iterable[tuple[date, int]], ctx: Context) -> Chart | None:
    """Average mood week by week (weeks from Monday), when the period holds two weeks or more."""
    weeks: dict[date, list[int]] = defaultdict(list)
    for day, mood in rows:
        weeks[day - timedelta(days=day.weekday())].append(mood)
    if len(weeks) < 2:
        return None
    zone = first_zone(ctx.period.zone)
    points = tuple(
        charts.Point(
            when=datetime.combine(monday, time(12), tzinfo=zone),
            value=round(sum(moods) / len(moods), 2),
            label=formats.date_format(monday, "j M"),
        )
        for monday, moods in sorted(weeks.items())
    )
    return Chart(
        title=_("Mood week by week"),
        description=_(
            "Average mood of each week's check-ins, from 1 (very low) to 5 (very good), "
            "%(count)d weeks from %(start)s."
        )
        % {"count": len(points), "start": _day(min(weeks))},
        low=1,
        high=5,
        points=points,
        ident="report-mood",
    )


# --- meetings and groups ------------------------------------------------------------------


def _attendance(ctx: Context) -> list[Block]:
    since, until = ctx.period.since, ctx.period.until
    counts = []
    occasions: list[attendance.Attended] = []
    labels = {}
    for source in attendance.sources():
        labels[source.key] = str(source.label)
        counts.append(
            (
                str(source.label),
                source.count(ctx.enrollment, since) - source.count(ctx.enrollment, until),
            )
        )
        occasions.extend(
            item
            for item in source.latest(ctx.enrollment, OCCASIONS_READ)
            if since <= item.at < until
        )
    total = sum(n for _label, n in counts)
    if not total:
        return [Paragraph(_("No meetings or group sessions in this period."), muted=True)]
    occasions.sort(key=lambda item: item.at, reverse=True)
    blocks: list[Block] = [
        Facts(tuple((label, str(n)) for label, n in counts) + ((_("In all"), str(total)),))
    ]
    if occasions:
        blocks.append(
            Table(
                caption=_("Meetings and group sessions attended, newest first"),
                headers=(_("Date"), _("What"), _("Name"), _("How")),
                rows=tuple(
                    (
                        _day(item.at),
                        labels.get(item.source, item.source),
                        item.title,
                        _("Online") if item.online else _("In person"),
                    )
                    for item in occasions[:MAX_OCCASIONS]
                ),
            )
        )
    if len(occasions) > MAX_OCCASIONS:
        blocks.append(
            Paragraph(
                _("%(n)d earlier ones are counted above but not listed.")
                % {"n": len(occasions) - MAX_OCCASIONS},
                muted=True,
            )
        )
    return blocks


# --- goals ------------------------------------------------------------------------------


def _goals(ctx: Context) -> list[Block]:
    goals = [g for g in flourish.goal_rows(ctx.enrollment) if g.created_at < ctx.period.until]
    if not goals:
        if ctx.enrollment.stage < Stage.FLOURISHING:
            text = _("Long-term goals are set in Stage 4.")
        else:
            text = _("No long-term goals were set by the end of this period.")
        return [Paragraph(text, muted=True)]
    rows = []
    for goal in goals:
        info = getattr(goal, "domain_info", None)
        done, total = getattr(goal, "steps_done", 0), getattr(goal, "steps_total", 0)
        rows.append(
            (
                info.name if info is not None else goal.domain,
                goal.title,
                str(Goal.Status(goal.status).label),
                _("%(done)s of %(total)s") % {"done": done, "total": total} if total else "—",
                _day(goal.review_on) if goal.review_on else "—",
            )
        )
    return [
        Table(
            caption=_("Long-term goals, those being worked on first"),
            headers=(_("Area of life"), _("Goal"), _("Status"), _("Steps done"), _("Review")),
            rows=tuple(rows),
        ),
        Paragraph(
            _("The status is as it stands today; progress notes are not included."), muted=True
        ),
    ]


# --- stages -------------------------------------------------------------------------------


def _stage_name(stage: int | None) -> str:
    if stage is None:
        return "—"
    return _("%(n)s: %(label)s") % {"n": stage, "label": Stage(stage).label}


def _stages(ctx: Context) -> list[Block]:
    enrollment = ctx.enrollment
    changes = StageChange.objects.filter(
        enrollment=enrollment,
        created_at__gte=ctx.period.since,
        created_at__lt=ctx.period.until,
    ).order_by("created_at", "id")
    blocks: list[Block] = [
        Facts(
            (
                (_("Stage now"), _stage_name(enrollment.stage)),
                (_("In this stage since"), _day(enrollment.stage_entered_at)),
            )
        )
    ]
    rows = tuple(
        (
            _day(change.created_at),
            _stage_name(change.from_stage) if change.from_stage else _("Joined the program"),
            _stage_name(change.to_stage),
        )
        for change in changes
    )
    if rows:
        blocks.append(
            Table(
                caption=_("Moves between stages in the period, oldest first"),
                headers=(_("Date"), _("From"), _("To")),
                rows=rows,
            )
        )
    else:
        blocks.append(Paragraph(_("No moves between stages in this period."), muted=True))
    return blocks


BUILDERS: dict[str, Callable[[Context], list[Block]]] = {
    catalogue.MEASURES: _measures,
    catalogue.DAYS: _days,
    catalogue.CHECK_INS: _check_ins,
    catalogue.ATTENDANCE: _attendance,
    catalogue.GOALS: _goals,
    catalogue.STAGES: _stages,
}


def period_of(report: ProgressReport) -> Period:
    return Period(
        start=report.period_start,
        end=report.period_end,
        zone=recovery.client_time_zone(report.enrollment),
    )


def build(report: ProgressReport, *, now: datetime | None = None) -> Report:
    """The report's words and numbers, for the sections it names, in the active language."""
    enrollment = report.enrollment
    period = period_of(report)
    context = Context(
        enrollment=enrollment,
        period=period,
        plain=not report.is_referral,
        today=recovery.client_today(enrollment, now),
    )
    chosen = catalogue.in_order(report.sections)
    built = [
        Section(key=key, title=str(catalogue.BY_KEY[key].title), blocks=BUILDERS[key](context))
        for key in chosen
    ]
    titles = tuple(section.title for section in built)
    clinician = enrollment.primary_clinician.user.name if enrollment.primary_clinician else ""
    made_on = timezone.localtime(report.made_at).date()
    facts = (
        (_("Client"), enrollment.client.name),
        (_("Clinic"), enrollment.clinic.name),
        (_("Clinician"), clinician or "—"),
        (
            _("Period"),
            _("%(start)s to %(end)s") % {"start": _day(period.start), "end": _day(period.end)},
        ),
        (_("In the program since"), _day(program_start(enrollment))),
        (
            _("Made on"),
            _("%(day)s by %(name)s") % {"day": _day(report.made_at), "name": report.made_by.name},
        ),
    )
    subtitle = (
        _("%(name)s, for a referral") if report.is_referral else _("%(name)s, for the client")
    ) % {"name": enrollment.client.name}
    return Report(
        title=_("Progress report"),
        subtitle=subtitle,
        facts=facts,
        sections=built,
        made_on=made_on,
        note=_(
            "This report holds only the sections chosen (%(sections)s). It leaves out "
            "private notes, journal entries, messages and anything about allies."
        )
        % {"sections": ", ".join(titles)},
    )
