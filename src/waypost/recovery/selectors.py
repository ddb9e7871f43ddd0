"""Reads of the day counter and the check-ins, for pages, panels and next steps (never writing).

Whose day is it? Always the client's: their own time zone, else their clinic's
(``client_time_zone``), also when their clinician is reading in another zone.

Where counting starts: the start date of the client's newest recovery plan. Before
there is a plan, from Stage 2 on, the date of entering the stage they are in, in the
clinic's zone (``stage_start``), so the counter is there from the first day and does
not move when the client travels.

Whose today: the client's local date, except after a flight west over the date line,
when the calendar steps back onto days already checked in: the counter then stays on
the newest day checked in (``days.not_before``), so no total goes down and no day is
made twice.

Lapse days are the days of the lapse log and the check-ins that say the inner circle
was not kept; days without either count as kept.

Today counts once it is checked in or has a lapse logged (``counted_through``): until
then the counter stands on yesterday. So a lapse logged for today starts a new streak
and takes nothing away — the total and the longest streak never go down within a day.
Correcting an earlier day to "not kept" does change them: it corrects the record.

Each counter costs two queries whatever the history: one for the plan's start, the
urges resisted and whether today is checked in; one for the lapse days. On Today it
costs none of its own: the same reads are among Today's facts (``register_facts``,
``core.facts``), read in one query with every other app's.
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass
from datetime import date, datetime, timedelta
from decimal import Decimal
from typing import TYPE_CHECKING, Any

from django.db.models import Count, Exists, OuterRef, Subquery
from django.utils import timezone

from waypost.core import facts
from waypost.core.documents import latest_version
from waypost.core.timezones import first_zone_name
from waypost.program.models import Enrollment as EnrollmentModel
from waypost.program.models import Stage
from waypost.recovery import check_in_rhythm, days, prevention_content
from waypost.recovery.models import CheckIn, Lapse, PreventionPlan, RecoveryPlan, Urge

if TYPE_CHECKING:
    from django.contrib.auth.models import _User as User
    from django.db.models import QuerySet
    from django.http import HttpRequest

    from waypost.program.models import Enrollment

# How many days back a check-in may still be changed: today and the two before.
EDIT_DAYS = 3
# The clinician's record shows this many days of check-ins.
RECENT_DAYS = 14


def client_time_zone(enrollment: Enrollment, *, client: User | None = None) -> str:
    """The client's own time zone, else their clinic's.

    Pass the signed-in ``client`` when it is them (their own pages): their user row is
    then not read again.
    """
    person = client if client is not None and client.pk == enrollment.client_id else None
    own = (person or enrollment.client).time_zone
    return first_zone_name(own, enrollment.clinic.time_zone)


def client_today(
    enrollment: Enrollment, now: datetime | None = None, *, client: User | None = None
) -> date:
    """The client's local date now."""
    return days.local_date(now or timezone.now(), client_time_zone(enrollment, client=client))


def stage_start(enrollment: Enrollment) -> date | None:
    """The date of entering the stage, from Stage 2 on (else None), in the clinic's zone.

    The clinic's zone, not the client's: a start date must not move when the client
    travels (a flight west would add a day to every total). A plan's start date, once
    written, is a date on the client's own calendar and replaces it.
    """
    if enrollment.stage < Stage.ABSTINENCE:
        return None
    return days.local_date(
        enrollment.stage_entered_at, first_zone_name(enrollment.clinic.time_zone)
    )


def counting_start(enrollment: Enrollment) -> date | None:
    """The first counted day: the newest plan's start date, else ``stage_start``."""
    if enrollment.stage < Stage.ABSTINENCE:
        return None
    plan = RecoveryPlan.objects.filter(enrollment=enrollment).order_by("-version").first()
    return plan.start_date if plan is not None else stage_start(enrollment)


@dataclass(frozen=True)
class Facts:
    """What every counter needs besides the lapse days, read in one query."""

    plan_start: date | None
    urges_resisted: int
    checked_in_today: bool
    latest_check_in: date | None  # the newest day checked in (after a flight west: "tomorrow")


def _plan_start() -> Subquery:
    """The start date of the enrollment's newest recovery plan (on its row)."""
    return Subquery(
        RecoveryPlan.objects.filter(enrollment=OuterRef("pk"))
        .order_by("-version")
        .values("start_date")[:1]
    )


def _urges_resisted() -> Subquery:
    return Subquery(
        Urge.objects.filter(enrollment=OuterRef("pk"), outcome=Urge.Outcome.RESISTED)
        .order_by()
        .values("enrollment")
        .annotate(n=Count("pk"))
        .values("n")[:1]
    )


def _latest_check_in() -> Subquery:
    return Subquery(
        CheckIn.objects.filter(enrollment=OuterRef("pk"))
        .order_by("-local_date")
        .values("local_date")[:1]
    )


def _facts(enrollment: Enrollment, today: date) -> Facts:
    row = (
        EnrollmentModel.objects.filter(pk=enrollment.pk)
        .annotate(
            plan_start=_plan_start(),
            resisted=_urges_resisted(),
            checked=Exists(CheckIn.objects.filter(enrollment=OuterRef("pk"), local_date=today)),
            latest=_latest_check_in(),
        )
        .values_list("plan_start", "resisted", "checked", "latest")
        .get()
    )
    return Facts(
        plan_start=row[0],
        urges_resisted=row[1] or 0,
        checked_in_today=bool(row[2]),
        latest_check_in=row[3],
    )


def lapse_days(enrollment: Enrollment, since: date) -> set[date]:
    """The days from ``since`` with a lapse logged or a check-in saying "not kept" (one query)."""
    from_check_ins = (
        CheckIn.objects.filter(enrollment=enrollment, sober=False, local_date__gte=since)
        .order_by()
        .values_list("local_date")
    )
    from_log = (
        Lapse.objects.filter(enrollment=enrollment, local_date__gte=since)
        .order_by()
        .values_list("local_date")
    )
    return {day for (day,) in from_check_ins.union(from_log)}


def counted_through(today: date, *, checked_in_today: bool) -> date:
    """The last day the counter counts: today once it is checked in, else yesterday."""
    return today if checked_in_today else today - timedelta(days=1)


def editable_days(today: date) -> list[date]:
    """The days a check-in may be written or changed for, newest first."""
    return [today - timedelta(days=n) for n in range(EDIT_DAYS)]


def check_in_for(enrollment: Enrollment, day: date) -> CheckIn | None:
    return CheckIn.objects.filter(enrollment=enrollment, local_date=day).first()


@dataclass(frozen=True)
class TodayState:
    """What Today needs, in two queries: the counter, urges resisted, whether checked in."""

    counter: days.Counter
    checked_in_today: bool
    urges_resisted: int = 0
    has_plan: bool = False


def today_state(
    enrollment: Enrollment, today: date, known: facts.Facts | None = None
) -> TodayState | None:
    """The counter and today's check-in, in two queries whatever the history.

    With ``known`` (Today's facts, ``register_facts``) it reads nothing itself.
    """
    if enrollment.stage < Stage.ABSTINENCE:
        return None
    if known is None:
        found = _facts(enrollment, today)
    else:
        latest = known["recovery.latest_check_in"]
        found = Facts(
            plan_start=known["recovery.plan_start"],
            urges_resisted=known["recovery.resisted"] or 0,
            checked_in_today=latest is not None and latest >= today,
            latest_check_in=latest,
        )
    # After a flight west over the date line, the calendar is back on days already
    # checked in: the counter stays on the newest of them (days.today_for).
    checked_in = found.checked_in_today or (
        found.latest_check_in is not None and found.latest_check_in > today
    )
    today = days.not_before(today, found.latest_check_in)
    start = found.plan_start or stage_start(enrollment)
    assert start is not None  # noqa: S101 — from Stage 2 on there is always a stage start
    if known is None:
        lapses = lapse_days(enrollment, start)
    else:
        lapses = {
            row.local_date
            for row in (*known["recovery.lapse_check_ins"], *known["recovery.lapse_log"])
            if row.local_date >= start
        }
    counted_today = checked_in or today in lapses
    through = counted_through(today, checked_in_today=counted_today)
    counter = days.counter(start=start, today=through, lapse_days=lapses)
    return TodayState(
        counter=counter,
        checked_in_today=checked_in,
        urges_resisted=found.urges_resisted,
        has_plan=found.plan_start is not None,
    )


_CACHE = "_waypost_recovery_today"


def today_state_for(request: HttpRequest, enrollment: Enrollment) -> TodayState | None:
    """``today_state`` for the client's date, once per request, from Today's facts."""
    cache: dict[int, TodayState | None] = getattr(request, _CACHE, None) or {}
    if enrollment.pk not in cache:
        user = request.user if request.user.is_authenticated else None
        known = facts.facts_for(request, enrollment)
        today = client_today(enrollment, known.now, client=user)
        cache[enrollment.pk] = today_state(enrollment, today, known)
        setattr(request, _CACHE, cache)
    return cache[enrollment.pk]


def register_facts() -> None:
    """What ``today_state`` reads, as Today's facts (one query with every app's).

    The lapse days come whole (a handful a year): the first counted day is itself
    one of these facts, so they are cut to it in Python.
    """
    facts.register("recovery.plan_start", lambda enrollment, now: _plan_start())
    facts.register("recovery.resisted", lambda enrollment, now: _urges_resisted())
    facts.register("recovery.latest_check_in", lambda enrollment, now: _latest_check_in())
    facts.register(
        "recovery.lapse_check_ins",
        lambda enrollment, now: facts.Rows(
            CheckIn.objects.filter(enrollment=OuterRef("pk"), sober=False), ["local_date"]
        ),
    )
    facts.register(
        "recovery.lapse_log",
        lambda enrollment, now: facts.Rows(
            Lapse.objects.filter(enrollment=OuterRef("pk")), ["local_date"]
        ),
    )


@dataclass(frozen=True)
class Day:
    """One of the recent days on the clinician's record: a check-in, or none that day."""

    day: date
    check_in: DayValues | None


@dataclass(frozen=True)
class DayValues:
    sober: bool
    mood: int
    urge: int
    sleep_hours: Decimal | None
    mindfulness_minutes: int


@dataclass(frozen=True)
class RecordSummary:
    counter: days.Counter
    recent: list[Day]  # newest first
    checked_in_days: int  # of the last RECENT_DAYS
    urges_resisted: int = 0

    @property
    def adherence_percent(self) -> int:
        return round(100 * self.checked_in_days / RECENT_DAYS)


def record_summary(enrollment: Enrollment, today: date | None = None) -> RecordSummary | None:
    """The counter and the last fortnight of check-ins, in three queries whatever the history."""
    if enrollment.stage < Stage.ABSTINENCE:
        return None
    today = today or client_today(enrollment)
    facts = _facts(enrollment, today)
    today = days.not_before(today, facts.latest_check_in)  # as on the client's Today
    start = facts.plan_start or stage_start(enrollment)
    assert start is not None  # noqa: S101 — from Stage 2 on there is always a stage start
    since = today - timedelta(days=RECENT_DAYS - 1)
    rows = CheckIn.objects.filter(
        enrollment=enrollment, local_date__gte=since, local_date__lte=today
    ).values_list("local_date", "sober", "mood", "urge", "sleep_hours", "mindfulness_minutes")
    recent = {
        day: DayValues(sober, mood, urge, sleep, minutes)
        for day, sober, mood, urge, sleep, minutes in rows
    }
    lapses = lapse_days(enrollment, start)
    through = counted_through(today, checked_in_today=today in recent or today in lapses)
    counter = days.counter(start=start, today=through, lapse_days=lapses)
    listed = [today - timedelta(days=n) for n in range(RECENT_DAYS)]
    return RecordSummary(
        counter=counter,
        recent=[Day(day, recent.get(day)) for day in listed],
        checked_in_days=len(recent),
        urges_resisted=facts.urges_resisted,
    )


def recent_check_ins(enrollment: Enrollment, today: date) -> list[CheckIn]:
    """The check-ins that may still be changed (at most ``EDIT_DAYS``), newest first."""
    oldest = today - timedelta(days=EDIT_DAYS - 1)
    return list(
        CheckIn.objects.filter(
            enrollment=enrollment, local_date__gte=oldest, local_date__lte=today
        ).order_by("-local_date")
    )


def prevention_plan(enrollment: Enrollment) -> dict[str, list[Any]] | None:
    """The newest relapse-prevention plan's sections (``prevention_content``), or None."""
    plan = latest_version(PreventionPlan, enrollment)
    return None if plan is None else prevention_content.loads(plan.content)


@dataclass(frozen=True)
class CaseloadState:
    """One Stage 2+ client's counter and last check-in, for the caseload's columns."""

    counter: days.Counter
    today: date
    last_check_in: date | None
    rhythm: str = check_in_rhythm.DAILY

    @property
    def quiet(self) -> bool:
        return is_quiet(
            today=self.today, last=self.last_check_in, start=self.counter.start, rhythm=self.rhythm
        )


def is_quiet(*, today: date, last: date | None, start: date, rhythm: str) -> bool:
    """Whether a client has not checked in for longer than their rhythm allows
    (``check_in_rhythm.quiet_days``): since their last check-in, or, with none yet,
    since counting began."""
    since = start if last is None else last
    return (today - since).days >= check_in_rhythm.quiet_days(rhythm)


def _newest_plan_start() -> Subquery:
    return Subquery(
        RecoveryPlan.objects.filter(enrollment_id=OuterRef("pk"))
        .order_by("-version")
        .values("start_date")[:1]
    )


def _last_check_in() -> Subquery:
    # The latest day through the (enrollment, day) index, rather than grouping a year of
    # check-ins of every client.
    return Subquery(
        CheckIn.objects.filter(enrollment_id=OuterRef("pk"))
        .order_by("-local_date")
        .values("local_date")[:1]
    )


def quiet_clients(listed: QuerySet[Enrollment], now: datetime | None = None) -> set[int]:
    """The listed clients from Stage 2 on whose check-ins have gone quiet, as
    ``CaseloadState.quiet`` says, in one query: a few fields per client, no model."""
    now = now or timezone.now()
    rows = (
        listed.filter(stage__gte=Stage.ABSTINENCE)
        .annotate(
            last=_last_check_in(),
            plan_start=_newest_plan_start(),
            rhythm=check_in_rhythm.expression(),
        )
        .values_list(
            "pk",
            "stage_entered_at",
            "client__time_zone",
            "clinic__time_zone",
            "last",
            "plan_start",
            "rhythm",
        )
    )
    quiet = set()
    # Today in each time zone, worked out once (a caseload shares a few zones).
    zones: dict[tuple[str | None, str | None], tuple[date, str]] = {}
    for pk, entered, own_zone, clinic_zone, last, plan_start, rhythm in rows:
        if (own_zone, clinic_zone) not in zones:
            zone = first_zone_name(own_zone, clinic_zone)
            zones[own_zone, clinic_zone] = (
                days.local_date(now, zone),
                first_zone_name(clinic_zone),
            )
        local_today, clinics_zone = zones[own_zone, clinic_zone]
        today = days.not_before(local_today, last)
        start = plan_start or days.local_date(entered, clinics_zone)
        if is_quiet(today=today, last=last, start=start, rhythm=rhythm):
            quiet.add(pk)
    return quiet


def caseload_states(enrollments: Sequence[Enrollment]) -> dict[int, CaseloadState]:
    """Counters for every listed client from Stage 2 on, in two queries whatever the number.

    Each client's today is their own local date (client and clinic must be loaded with
    the enrollments, as ``program.selectors.visible_enrollments`` does).
    """
    counted = [e for e in enrollments if e.stage >= Stage.ABSTINENCE]
    if not counted:
        return {}
    ids = [e.pk for e in counted]
    # Each client's newest plan start, latest check-in and rhythm, in one query.
    found = {
        pk: (plan_start, latest, rhythm)
        for pk, plan_start, latest, rhythm in EnrollmentModel.objects.filter(pk__in=ids)
        .annotate(
            plan_start=_newest_plan_start(),
            last=_last_check_in(),
            rhythm=check_in_rhythm.expression(),
        )
        .values_list("pk", "plan_start", "last", "rhythm")
    }
    lapses: dict[int, set[date]] = {}
    from_check_ins = (
        CheckIn.objects.filter(enrollment_id__in=ids, sober=False)
        .order_by()
        .values_list("enrollment_id", "local_date")
    )
    from_log = (
        Lapse.objects.filter(enrollment_id__in=ids)
        .order_by()
        .values_list("enrollment_id", "local_date")
    )
    for enrollment_id, day in from_check_ins.union(from_log):
        lapses.setdefault(enrollment_id, set()).add(day)
    states = {}
    for enrollment in counted:
        plan_start, latest, rhythm = found.get(enrollment.pk, (None, None, None))
        today = days.not_before(client_today(enrollment), latest)
        start = plan_start or stage_start(enrollment)
        assert start is not None  # noqa: S101 — from Stage 2 on there is always a stage start
        own = lapses.get(enrollment.pk, set())
        through = counted_through(today, checked_in_today=latest == today or today in own)
        states[enrollment.pk] = CaseloadState(
            counter=days.counter(start=start, today=through, lapse_days=own),
            today=today,
            last_check_in=latest,
            rhythm=rhythm or check_in_rhythm.DAILY,
        )
    return states
