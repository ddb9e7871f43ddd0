"""Reads for the motivation tools: latest states, versions, histories and what Today suggests.

Access is checked by the views and panels that call these.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from datetime import datetime
from typing import Any

from django.db.models import Exists, F, OuterRef, QuerySet, Subquery

from waypost.assessments import catalog
from waypost.assessments import results as measure_results
from waypost.assessments.gates import READINESS_RULER
from waypost.assessments.models import Administration
from waypost.core import facts
from waypost.motivation import tools
from waypost.motivation.models import (
    DecisionalBalance,
    MotivationRequest,
    StageOfChangeEntry,
    ValuesCardSort,
)
from waypost.motivation.values_cards import GROUPS, card
from waypost.program.models import Enrollment

# --- readiness ruler ---------------------------------------------------------------


@dataclass(frozen=True)
class RulerOption:
    value: int
    display: str


@dataclass(frozen=True)
class Ruler:
    """The readiness ruler's wording, from its instrument file."""

    name: str  # the instrument's short name, for clinicians
    stem: str
    question: str
    options: tuple[RulerOption, ...]
    plain_name: str = ""  # what the client reads ("How ready you feel")

    @property
    def low(self) -> RulerOption:
        return self.options[0]

    @property
    def high(self) -> RulerOption:
        return self.options[-1]


def ruler() -> Ruler:
    """What the ruler says, as the instrument file words it (never our own copy)."""
    entry = catalog.get(READINESS_RULER)
    if entry is None:  # pragma: no cover - the file ships with Waypost
        raise LookupError("the readiness-ruler instrument is missing")
    item = entry.instrument.items[0]
    return Ruler(
        name=entry.instrument.short_name,
        stem=entry.stem,
        question=item.text,
        options=tuple(RulerOption(int(o.score), o.display) for o in item.options),
        plain_name=entry.plain_name,
    )


def readiness_forms(enrollment: Enrollment) -> QuerySet[Administration]:
    """Completed readiness rulers, oldest first."""
    return measure_results.completed_forms(enrollment).filter(instrument_id=READINESS_RULER)


def latest_readiness(enrollment: Enrollment) -> Administration | None:
    return readiness_forms(enrollment).order_by("-completed_at", "-id").first()


def readiness_history(
    enrollment: Enrollment, *, plain: bool = False
) -> measure_results.MeasureHistory | None:
    """The ruler over time with its chart and table, as the measures pages show it.

    ``plain`` for the client's page: the chart is named in plain words.
    """
    return measure_results.history_for(enrollment, READINESS_RULER, plain=plain)


# --- decisional balance and values -------------------------------------------------


def balance_versions(enrollment: Enrollment) -> QuerySet[DecisionalBalance]:
    """Every version, newest first (content is decrypted only when read)."""
    return (
        DecisionalBalance.objects.filter(enrollment=enrollment)
        .select_related("saved_by")
        .order_by("-version")
    )


def sort_versions(enrollment: Enrollment) -> QuerySet[ValuesCardSort]:
    return (
        ValuesCardSort.objects.filter(enrollment=enrollment)
        .select_related("saved_by")
        .order_by("-version")
    )


def latest_balance(enrollment: Enrollment) -> DecisionalBalance | None:
    return balance_versions(enrollment).first()


def latest_sort(enrollment: Enrollment) -> ValuesCardSort | None:
    return sort_versions(enrollment).first()


@dataclass(frozen=True)
class TopValue:
    key: str
    name: str
    description: str
    note: str


@dataclass(frozen=True)
class PileView:
    key: str
    label: str
    cards: list[Any]


def top_values(sort: ValuesCardSort | None) -> list[TopValue]:
    """The top values of a sort with their names; cards no longer in the set show by key."""
    if sort is None:
        return []
    out = []
    for item in sort.top:
        found = card(item["card"])
        out.append(
            TopValue(
                key=item["card"],
                name=str(found.name) if found else item["card"],
                description=str(found.description) if found else "",
                note=item.get("note", ""),
            )
        )
    return out


def piles(sort: ValuesCardSort | None) -> list[PileView]:
    """The three piles, each with its cards in card-set order."""
    if sort is None:
        return []
    order = [c for group in GROUPS for c in group.cards]
    return [
        PileView(
            key=pile,
            label=str(tools.PILE_LABELS[pile]),
            cards=[c for c in order if sort.piles.get(c.key) == pile],
        )
        for pile in tools.PILES
    ]


# --- stage of change ---------------------------------------------------------------


def stage_entries(
    enrollment: Enrollment, *, with_clinician_view: bool
) -> QuerySet[StageOfChangeEntry]:
    """The dated list, newest first; the clinician's own view only for clinicians."""
    entries = StageOfChangeEntry.objects.filter(enrollment=enrollment).select_related("recorded_by")
    if not with_clinician_view:
        entries = entries.filter(view=StageOfChangeEntry.View.CLIENT)
    return entries.order_by("-recorded_at", "-id")


def latest_stage(enrollment: Enrollment, view: str) -> StageOfChangeEntry | None:
    return (
        StageOfChangeEntry.objects.filter(enrollment=enrollment, view=view)
        .order_by("-recorded_at", "-id")
        .first()
    )


# --- requests and the overview -----------------------------------------------------


def open_requests(enrollment: Enrollment) -> list[MotivationRequest]:
    return list(
        MotivationRequest.objects.filter(enrollment=enrollment, closed_at__isnull=True)
        .select_related("asked_by")
        .order_by("asked_at", "id")
    )


@dataclass
class Overview:
    """The latest state of each tool for one client."""

    readiness: Administration | None
    readiness_count: int
    balance: DecisionalBalance | None
    balance_versions: int
    values: ValuesCardSort | None
    values_versions: int
    top_values: list[TopValue]
    stage: StageOfChangeEntry | None
    clinician_stage: StageOfChangeEntry | None
    requests: dict[str, MotivationRequest] = field(default_factory=dict)


def overview(enrollment: Enrollment, *, with_clinician_view: bool) -> Overview:
    values = latest_sort(enrollment)
    return Overview(
        readiness=latest_readiness(enrollment),
        readiness_count=readiness_forms(enrollment).count(),
        balance=latest_balance(enrollment),
        balance_versions=DecisionalBalance.objects.filter(enrollment=enrollment).count(),
        values=values,
        values_versions=ValuesCardSort.objects.filter(enrollment=enrollment).count(),
        top_values=top_values(values),
        stage=latest_stage(enrollment, StageOfChangeEntry.View.CLIENT),
        clinician_stage=(
            latest_stage(enrollment, StageOfChangeEntry.View.CLINICIAN)
            if with_clinician_view
            else None
        ),
        requests={r.tool: r for r in open_requests(enrollment)},
    )


@dataclass(frozen=True)
class TodayNudge:
    """One line for the Today card: what, and why it is suggested now."""

    tool: str
    asked: MotivationRequest | None = None
    # Never answered before: the card says "when you're ready", not "it has been a while".
    first_time: bool = False


def today_nudges(enrollment: Enrollment, known: facts.Facts) -> list[TodayNudge]:
    """What the Today card suggests: what the clinician asked for, else a stale readiness.

    The readiness suggestion is for stages 1 and 2 only, and not when a
    readiness ruler is already waiting among the client's questionnaires.
    ``known``: Today's facts (``register_facts``), so this reads nothing itself.
    """
    requests = sorted(known["motivation.requests"], key=lambda r: (r.asked_at, r.pk))
    nudges = [TodayNudge(r.tool, r) for r in requests]
    if enrollment.stage > 2 or any(n.tool == "readiness" for n in nudges):
        return nudges
    latest = known["motivation.readiness_at"]
    if not tools.readiness_is_stale(latest, known.now):
        return nudges
    if not known["motivation.readiness_waiting"]:
        nudges.append(TodayNudge("readiness", first_time=latest is None))
    return nudges


def _open_requests_fact(enrollment: Enrollment, now: datetime) -> facts.Rows:
    return facts.Rows(
        MotivationRequest.objects.filter(enrollment=OuterRef("pk"), closed_at__isnull=True),
        ["id", "enrollment_id", "tool", "asked_by_id", "asked_at"],
        extra={"asked_by_name": F("asked_by__name"), "asked_by_email": F("asked_by__email")},
    )


def _readiness_at_fact(enrollment: Enrollment, now: datetime) -> Subquery:
    """When the newest readiness ruler was completed (None: never)."""
    return Subquery(
        Administration.objects.filter(
            enrollment=OuterRef("pk"),
            status=Administration.Status.COMPLETED,
            instrument_id=READINESS_RULER,
        )
        .order_by("-completed_at", "-id")
        .values("completed_at")[:1]
    )


def _readiness_waiting_fact(enrollment: Enrollment, now: datetime) -> Exists:
    """A readiness ruler is open among the client's questionnaires now."""
    return Exists(
        Administration.objects.filter(
            enrollment=OuterRef("pk"),
            instrument_id=READINESS_RULER,
            status__in=[Administration.Status.OPEN, Administration.Status.IN_PROGRESS],
            opens_at__lte=now,
            closes_at__gt=now,
        )
    )


def register_facts() -> None:
    """What ``today_nudges`` reads, as Today's facts (one query with every app's)."""
    facts.register("motivation.requests", _open_requests_fact)
    facts.register("motivation.readiness_at", _readiness_at_fact)
    facts.register("motivation.readiness_waiting", _readiness_waiting_fact)


def asked_by(request: MotivationRequest) -> str:
    """The short name of the clinician who asked, of a request read as Today's fact."""
    name: str = getattr(request, "asked_by_name", "") or getattr(request, "asked_by_email", "")
    return name  # as User.get_short_name: the whole name, else the address
