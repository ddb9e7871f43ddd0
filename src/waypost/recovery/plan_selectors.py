"""Reads of the two plans and the lapse log, for pages, the record card, Today and the gates.

Never writing (the writes are ``services.plans`` and ``services.lapses``), except the
audit line a clinician's read leaves (``core.events.record_view``), written where the
data is shown: here for the record card, in the views for the pages.

:func:`register` (called from ``RecoveryConfig.ready()``) adds the Stage 2 gate
criteria "recovery plan agreed" and "relapse-prevention plan reviewed", the audit
subjects and which tab the pages light.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date, datetime, timedelta
from typing import TYPE_CHECKING, Any, TypeVar

from django.db.models import OuterRef, Subquery
from django.http import Http404, HttpRequest
from django.urls import reverse
from django.utils import formats, timezone
from django.utils.functional import cached_property
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from waypost.access.policy import Action, can
from waypost.core import events as core_events
from waypost.core import facts, next_steps
from waypost.program import gates
from waypost.program.gates import GateCriterion, GateResult
from waypost.program.models import Enrollment, Stage
from waypost.recovery import chain_content, events, plan_content, prevention_content, selectors
from waypost.recovery.models import Lapse, PlanReview, PreventionPlan, RecoveryPlan
from waypost.safety.plan_content import Contact

if TYPE_CHECKING:
    from waypost.accounts.models import User

# The record card shows this many lapses, newest first, each with its chain.
RECORD_LAPSES = 5
# Today offers to look back at a lapse whose chain is empty for this many days.
LOOK_BACK_OFFER_DAYS = 7


# --- the period of a recovery plan ---------------------------------------------------------


@dataclass(frozen=True)
class Period:
    """Where the client is in their plan's period: "Day 12 of 90", ends on a date."""

    start: date
    days: int
    today: date

    @property
    def end(self) -> date:
        """The last day of the period."""
        return self.start + timedelta(days=self.days - 1)

    @property
    def day(self) -> int:
        """Today's number in the period (1 on the start day); 0 before the start."""
        return max(0, (self.today - self.start).days + 1)

    @property
    def not_started(self) -> bool:
        return self.today < self.start

    @property
    def days_to_start(self) -> int:
        return max(0, (self.start - self.today).days)

    @property
    def complete(self) -> bool:
        """The whole period is behind the client."""
        return self.today > self.end

    @property
    def percent(self) -> int:
        return min(100, round(100 * self.day / self.days)) if self.days else 0


def period_of(plan: RecoveryPlan, today: date) -> Period:
    return Period(start=plan.start_date, days=plan.period_days, today=today)


# --- reviews ---------------------------------------------------------------------------------


def reviews_of(enrollment: Enrollment, document: str) -> dict[int, PlanReview]:
    """Each reviewed version of one plan, by version number (one query)."""
    rows = PlanReview.objects.filter(enrollment=enrollment, document=document).select_related(
        "reviewed_by"
    )
    return {review.version: review for review in rows}


@dataclass(frozen=True)
class ReviewState:
    """Whether the newest version is agreed/reviewed, and the newest version that is."""

    newest: int | None
    reviews: dict[int, PlanReview]

    @property
    def last(self) -> PlanReview | None:
        """The review of the highest version reviewed so far."""
        return self.reviews[max(self.reviews)] if self.reviews else None

    @property
    def newest_done(self) -> bool:
        return self.newest is not None and self.newest in self.reviews

    def of(self, version: int) -> PlanReview | None:
        return self.reviews.get(version)


@dataclass(frozen=True)
class ReviewSummary:
    """Whether the newest version is agreed/reviewed and when, and the last version that was."""

    newest: int | None
    newest_at: datetime | None
    last_version: int | None
    last_at: datetime | None

    @property
    def newest_done(self) -> bool:
        return self.newest_at is not None


Plan = TypeVar("Plan", RecoveryPlan, PreventionPlan)


def newest_with_review(
    model: type[Plan], enrollment: Enrollment, document: str, *, content: bool = True
) -> tuple[Plan | None, ReviewSummary]:
    """The newest version of a plan and its review state, in one query."""
    reviews = PlanReview.objects.filter(enrollment=OuterRef("enrollment"), document=document)
    last = reviews.order_by("-version")
    rows = (
        model.objects.filter(enrollment=enrollment)
        .order_by("-version")
        .annotate(
            newest_at=Subquery(
                reviews.filter(version=OuterRef("version")).values("reviewed_at")[:1]
            ),
            last_version=Subquery(last.values("version")[:1]),
            last_at=Subquery(last.values("reviewed_at")[:1]),
        )
    )
    plan = (rows if content else rows.defer("content")).first()
    if plan is None:
        return None, ReviewSummary(None, None, None, None)
    return plan, ReviewSummary(
        newest=plan.version,
        newest_at=getattr(plan, "newest_at", None),
        last_version=getattr(plan, "last_version", None),
        last_at=getattr(plan, "last_at", None),
    )


# --- what a saved version says ------------------------------------------------------------


@dataclass(frozen=True)
class PreventionSection:
    section: prevention_content.Section
    items: list[Any]
    more: int = 0  # items left off (the printable card shows only the first few)

    @property
    def key(self) -> str:
        return self.section.key


def circles_of(plan: RecoveryPlan | None) -> list[tuple[plan_content.Circle, list[str]]]:
    """The three circles of a version, in order, with their items (empty without a plan)."""
    data = plan_content.loads(plan.content) if plan is not None else {}
    return [(circle, data.get(circle.key, [])) for circle in plan_content.CIRCLES]


def prevention_sections(plan: PreventionPlan | None) -> list[PreventionSection]:
    """Every section of a version, in plan order, with its items."""
    data = prevention_content.loads(plan.content) if plan is not None else {}
    return [PreventionSection(s, data.get(s.key, [])) for s in prevention_content.SECTIONS]


# The card puts what helps in the moment first: if–then plans, reasons, people to call.
CARD_FIRST = ("if_then", "reasons", "people")
# So that the card fits one A4 or Letter page, each section shows at most this many items.
CARD_FIRST_ITEMS = 8
CARD_OTHER_ITEMS = 4


def card_sections(plan: PreventionPlan) -> list[PreventionSection]:
    """The sections for the printable card: the three for the hard moment first, then the rest.

    Long sections are cut (``more`` says by how many), so the card stays one page.
    """
    sections = {s.key: s for s in prevention_sections(plan)}

    def cut(part: PreventionSection, limit: int) -> PreventionSection:
        extra = max(0, len(part.items) - limit)
        return PreventionSection(part.section, part.items[:limit], more=extra)

    first = [cut(sections[key], CARD_FIRST_ITEMS) for key in CARD_FIRST]
    rest = [cut(s, CARD_OTHER_ITEMS) for key, s in sections.items() if key not in CARD_FIRST]
    return [*first, *rest]


# --- the lapse log -----------------------------------------------------------------------------


@dataclass
class LapseView:
    """A lapse with its chain analysis read once."""

    lapse: Lapse

    @cached_property
    def chain(self) -> dict[str, str]:
        return chain_content.loads(self.lapse.chain)

    @property
    def steps(self) -> list[tuple[chain_content.Step, str]]:
        return [(step, self.chain[step.key]) for step in chain_content.STEPS]

    @property
    def written(self) -> int:
        return chain_content.written(self.chain)

    @property
    def total(self) -> int:
        return len(chain_content.STEPS)

    @property
    def looked_back(self) -> bool:
        """Something beyond "what happened" is written: the chain has begun."""
        return any(self.chain[key] for key in chain_content.STEP_KEYS[1:])

    @property
    def learning(self) -> str:
        return self.chain["learning"]

    @property
    def first_unwritten(self) -> str:
        """The first step still empty (the first step when all are written)."""
        for key in chain_content.STEP_KEYS:
            if not self.chain[key]:
                return key
        return chain_content.STEP_KEYS[0]


def lapses_of(enrollment: Enrollment, *, limit: int | None = None) -> list[LapseView]:
    """The client's lapses, newest day first (one query)."""
    rows = Lapse.objects.filter(enrollment=enrollment).order_by("-local_date", "-created_at")
    return [LapseView(lapse) for lapse in (rows[:limit] if limit else rows)]


def lapse_of(enrollment: Enrollment, lapse_id: int) -> Lapse:
    """One of the client's own lapses; 404 for anyone else's or none."""
    lapse = Lapse.objects.filter(enrollment=enrollment, pk=lapse_id).first()
    if lapse is None:
        raise Http404
    return lapse


# --- the clinician's record card -------------------------------------------------------------


def record_card(request: HttpRequest, enrollment: Enrollment) -> dict[str, Any] | None:
    """The plan, the relapse-prevention plan and recent lapses with their chains; audited.

    For the primary clinician, from Stage 2 on. Always audited when shown, so the record
    makes the same queries whatever the history.
    """
    if enrollment.stage < Stage.ABSTINENCE or not can(request.user, Action.VIEW_RECORD, enrollment):
        return None
    today = selectors.client_today(enrollment)
    plan, plan_review = newest_with_review(RecoveryPlan, enrollment, PlanReview.Document.RECOVERY)
    prevention, prevention_review = newest_with_review(
        PreventionPlan, enrollment, PlanReview.Document.PREVENTION, content=False
    )
    lapses = lapses_of(enrollment, limit=RECORD_LAPSES)
    core_events.record_view(
        actor=request.user,
        enrollment=enrollment,
        what=events.PLANS_AND_LAPSES,
        path=request.path,
    )
    return {
        "plan": plan,
        "period": period_of(plan, today) if plan is not None else None,
        "circles": circles_of(plan) if plan is not None else [],
        "plan_review": plan_review,
        "prevention": prevention,
        "prevention_review": prevention_review,
        "lapses": lapses,
        "shown": RECORD_LAPSES,
    }


# --- Today's next steps ------------------------------------------------------------------------


def write_plan_step(request: HttpRequest, enrollment: Enrollment) -> list[next_steps.NextStep]:
    """The step "Write your plan", in Stage 2 until there is a recovery plan (no query)."""
    if not can(request.user, Action.VIEW_OWN, enrollment) or not can(
        request.user, Action.EDIT_RECOVERY_PLAN, enrollment
    ):
        return []
    state = selectors.today_state_for(request, enrollment)
    if state is None or state.has_plan:
        return []
    return [
        next_steps.NextStep(
            key="recovery.plan",
            priority=next_steps.START,
            title=_("Write your plan"),
            description=_(
                "How many days you commit to, and your three circles in your own words. "
                "You can start it now and go through it with your clinician."
            ),
            url=reverse("recovery:plan_edit"),
            verb=_("Start"),
        )
    ]


def look_back_steps(request: HttpRequest, enrollment: Enrollment) -> list[next_steps.NextStep]:
    """A step "Look back at <day>" for each lapse of the last week not looked back at yet.

    Not looked back at: nothing written beyond what happened (``LapseView.looked_back``).

    No query of its own: the lapses of the last days are one of Today's facts.
    """
    if not can(request.user, Action.LOG_RECOVERY, enrollment):
        return []
    state = selectors.today_state_for(request, enrollment)
    if state is None or not state.counter.lapses:
        return []
    if state.counter.current_streak > LOOK_BACK_OFFER_DAYS:
        return []
    since = state.counter.today - timedelta(days=LOOK_BACK_OFFER_DAYS)
    recent = sorted(
        (
            lapse
            for lapse in facts.facts_for(request, enrollment)["recovery.recent_lapses"]
            if lapse.local_date >= since
        ),
        key=lambda lapse: (lapse.local_date, lapse.created_at),
        reverse=True,
    )
    # A week holds a handful at most; the chain is encrypted, so it is read here.
    lapses = [view.lapse for view in map(LapseView, recent) if not view.looked_back]
    return [
        next_steps.NextStep(
            key=f"recovery.look_back.{lapse.pk}",
            priority=next_steps.WHENEVER,
            title=_("Look back at %(day)s")
            % {"day": formats.date_format(lapse.local_date, "l j F")},
            description=_(
                "When you feel ready: a few questions about what led up to it, so it "
                "becomes something to learn from. Every question is optional."
            ),
            url=reverse("recovery:lapse", args=[lapse.pk]),
            verb=_("Look back"),
        )
        for lapse in lapses[:3]
    ]


def register_look_back_fact() -> None:
    """The lapses of the last days (with their chains), for ``look_back_steps``.

    From a day more than the week back in UTC: the client's own date is at most a day
    off it, so every lapse the step may offer is among them.
    """
    facts.register(
        "recovery.recent_lapses",
        lambda enrollment, now: facts.Rows(
            Lapse.objects.filter(
                enrollment=OuterRef("pk"),
                local_date__gte=now.date() - timedelta(days=LOOK_BACK_OFFER_DAYS + 2),
            ),
            ["id", "enrollment_id", "local_date", "chain", "learning_version", "created_at"],
        ),
    )


# --- Stage 2 gate criteria ---------------------------------------------------------------------


def _when(moment: datetime | None) -> str:
    return formats.date_format(timezone.localtime(moment), "j M Y") if moment else ""


def _reviewed(enrollment: Enrollment, document: str, model: type[Plan]) -> GateResult:
    newest, state = newest_with_review(model, enrollment, document, content=False)
    if newest is None:
        return GateResult(False, _("Not written yet"))
    if state.newest_done:
        when = _when(state.newest_at)
        return GateResult(True, _("Version %(n)d, %(when)s") % {"n": newest.version, "when": when})
    if state.last_version is not None:
        return GateResult(
            False,
            _("Version %(old)d was, on %(when)s; version %(n)d not yet")
            % {"old": state.last_version, "when": _when(state.last_at), "n": newest.version},
        )
    return GateResult(False, _("Version %(n)d not yet") % {"n": newest.version})


def plan_agreed(enrollment: Enrollment, params: gates.Params) -> GateResult:
    """Met when the newest recovery plan version is agreed with the clinician."""
    return _reviewed(enrollment, PlanReview.Document.RECOVERY, RecoveryPlan)


def prevention_reviewed(enrollment: Enrollment, params: gates.Params) -> GateResult:
    """Met when the newest relapse-prevention plan version is reviewed with the clinician."""
    return _reviewed(enrollment, PlanReview.Document.PREVENTION, PreventionPlan)


PLAN_AGREED = GateCriterion(
    key="recovery_plan_agreed",
    stage=2,
    label=gettext_lazy("Recovery plan agreed with the clinician"),
    evaluate=plan_agreed,
)
PREVENTION_REVIEWED = GateCriterion(
    key="prevention_plan_reviewed",
    stage=2,
    label=gettext_lazy("Relapse-prevention plan reviewed with the clinician"),
    evaluate=prevention_reviewed,
)


# --- "download my data" ---------------------------------------------------------------------


def _plain(item: Any) -> Any:
    if isinstance(item, (Contact, prevention_content.IfThen)):
        return item.as_dict()
    return item


def _saved_by(plan: RecoveryPlan | PreventionPlan, user: User) -> str:
    return _("You") if plan.saved_by_id == user.pk else plan.saved_by.name


def export_plans_and_lapses(user: User) -> dict[str, Any]:
    """Both plans, every version, and every lapse with its chain analysis, oldest first."""
    mine = {"enrollment__client": user}
    plans = RecoveryPlan.objects.filter(**mine).select_related("saved_by").order_by("created_at")
    preventions = (
        PreventionPlan.objects.filter(**mine).select_related("saved_by").order_by("created_at")
    )
    reviews = {
        (r.enrollment_id, r.document, r.version): r.reviewed_at
        for r in PlanReview.objects.filter(**mine)
    }
    lapses = Lapse.objects.filter(**mine).order_by("local_date", "created_at")
    return {
        "recovery_plan_versions": [
            {
                "version": plan.version,
                "saved_at": plan.created_at,
                "saved_by": _saved_by(plan, user),
                "in_session": plan.in_session,
                "start_date": plan.start_date,
                "period_days": plan.period_days,
                **plan_content.loads(plan.content),
                "agreed_at": reviews.get(
                    (plan.enrollment_id, PlanReview.Document.RECOVERY, plan.version)
                ),
            }
            for plan in plans
        ],
        "prevention_plan_versions": [
            {
                "version": plan.version,
                "saved_at": plan.created_at,
                "saved_by": _saved_by(plan, user),
                "in_session": plan.in_session,
                "plan": {
                    key: [_plain(item) for item in items]
                    for key, items in prevention_content.loads(plan.content).items()
                },
                "reviewed_at": reviews.get(
                    (plan.enrollment_id, PlanReview.Document.PREVENTION, plan.version)
                ),
            }
            for plan in preventions
        ],
        "lapses": [
            {
                "day": lapse.local_date,
                **chain_content.loads(lapse.chain),
                "learning_in_plan_version": lapse.learning_version,
                "created_at": lapse.created_at,
                "updated_at": lapse.updated_at,
            }
            for lapse in lapses
        ],
    }


EXPORT_LABELS: dict[str, Any] = {
    "recovery_plan_versions": gettext_lazy("Your recovery plan, every version"),
    "start_date": gettext_lazy("Start date"),
    "period_days": gettext_lazy("Days in the period"),
    "inner": gettext_lazy("Inner circle"),
    "middle": gettext_lazy("Middle circle"),
    "outer": gettext_lazy("Outer circle"),
    "agreed_at": gettext_lazy("Agreed with your clinician"),
    "prevention_plan_versions": gettext_lazy("Your relapse-prevention plan, every version"),
    "plan": gettext_lazy("The plan"),
    **{s.key: s.title for s in prevention_content.SECTIONS},
    "if": gettext_lazy("If"),
    "then": gettext_lazy("Then"),
    "phone": gettext_lazy("Phone"),
    "reviewed_at": gettext_lazy("Reviewed with your clinician"),
    "lapses": gettext_lazy("Lapses you logged, and looking back at them"),
    "day": gettext_lazy("Day"),
    **{s.key: s.title for s in chain_content.STEPS},
    "learning_in_plan_version": gettext_lazy("Learning added to your plan (version)"),
}


# --- registration ------------------------------------------------------------------------------


def register() -> None:
    """Gate criteria, audit subjects and the Journey tab (from ``RecoveryConfig.ready()``)."""
    from waypost.core import nav
    from waypost.core.audit import register_subject

    gates.register(PLAN_AGREED)
    gates.register(PREVENTION_REVIEWED)
    register_subject(events.RECOVERY_PLAN, gettext_lazy("Recovery plan"))
    register_subject(events.RECOVERY_PLAN_VERSION, gettext_lazy("Recovery plan, a version"))
    register_subject(events.PREVENTION_PLAN, gettext_lazy("Relapse-prevention plan"))
    register_subject(
        events.PREVENTION_PLAN_VERSION, gettext_lazy("Relapse-prevention plan, a version")
    )
    register_subject(events.LAPSES, gettext_lazy("Lapses and their chain analyses"))
    register_subject(
        events.PLANS_AND_LAPSES,
        gettext_lazy("Recovery plan, relapse-prevention plan and recent lapses"),
    )
    # The plans and the lapse log are the client's work in the stage: they light Journey
    # (the longer rules win over the app's "recovery:*", which lights Today).
    for pattern in ("recovery:plan*", "recovery:prevention*", "recovery:lapse*"):
        nav.register(pattern, "journey")
