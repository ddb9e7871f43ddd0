"""The client's whole timeline for the clinician: categories to filter by, and one page of it.

Categories come from the registered event kinds (``core.event_kinds.categories``). The
ones below name the groups a clinician thinks in and claim the kinds that were declared
before categories existed, by the start of their keys; a kind that names its own
``category`` keeps it, and a kind nobody claims is filtered under its app's name.

A page costs two queries whatever the history: the count and the page's events (with
who did each).
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date, datetime, time, timedelta, tzinfo
from typing import TYPE_CHECKING

from django.core.paginator import Page, Paginator
from django.utils.translation import gettext_lazy as _

from waypost.caseload.notes.events import HOMEWORK_CATEGORY, NOTES_CATEGORY
from waypost.core import event_kinds
from waypost.core.event_kinds import Category
from waypost.core.models import TimelineEvent

if TYPE_CHECKING:
    from waypost.program.models import Enrollment

PER_PAGE = 50
#: How many of the latest events the record's Timeline card shows.
ON_RECORD = 10

CATEGORIES = (
    Category("checkins", _("Check-ins"), 10, includes=("recovery.checked_in",)),
    Category(
        "urges_lapses",
        _("Urges and lapses"),
        20,
        includes=("recovery.urge_logged", "recovery.lapse_logged"),
    ),
    Category("measures", _("Questionnaires"), 30, includes=("assessments.",)),
    Category(
        "stage",
        _("Stage and program"),
        40,
        includes=("program.", "flourish.graduated", "flourish.stepped_back_in"),
    ),
    Category(
        "sharing",
        _("Allies and sharing"),
        50,
        includes=(
            "connect.ally_",
            "connect.consent_changed",
            "connect.invitation_withdrawn",
            "ally_alerts.",
            "intake.story_",
        ),
    ),
    Category(
        "alerts",
        _("Risk alerts and early warnings"),
        60,
        includes=("safety.alert_", "early_warnings."),
    ),
    Category(NOTES_CATEGORY, _("Session notes"), 70),
    Category(HOMEWORK_CATEGORY, _("Reading and exercises"), 75, includes=("learn.module_",)),
    Category("messages", _("Messages"), 80, includes=("messaging.",)),
    Category("appointments", _("Appointments"), 85, includes=("appointments.",)),
    Category(
        "plans",
        _("Plans"),
        90,
        includes=(
            "safety.plan_",
            "recovery.plan_",
            "recovery.prevention_plan_",
            "recovery.learning_added",
            "recovery.device_",
            "flourish.maintenance_",
        ),
    ),
    Category("goals", _("Goals"), 95, includes=("flourish.goal_",)),
    Category(
        "motivation",
        _("Motivation tools"),
        100,
        includes=(
            "learn.balance_",
            "learn.motivation_",
            "learn.stage_of_change",
            "learn.values_",
        ),
    ),
    Category(
        "groups",
        _("Groups, meetings and support"),
        110,
        includes=(
            "group_therapy.",
            "meetings.",
            "connect.family_session_",
            "connect.support_",
        ),
    ),
    Category("history", _("History and story"), 120, includes=("intake.",)),
    Category("shield", _("Shield"), 130, includes=("shield.",)),
)


def register_categories() -> None:
    for category in CATEGORIES:
        event_kinds.register_category(category)


@dataclass(frozen=True)
class Filters:
    """What the clinician chose: categories (none: all), and days in the viewer's zone."""

    categories: tuple[str, ...] = ()
    since: date | None = None
    until: date | None = None

    @property
    def active(self) -> bool:
        return bool(self.categories or self.since or self.until)


def _start_of(day: date, zone: tzinfo) -> datetime:
    return datetime.combine(day, time.min, tzinfo=zone)


def events_page(
    enrollment: Enrollment, filters: Filters, *, zone: tzinfo, page: int | str | None = 1
) -> Page[TimelineEvent]:
    """One page of the client's timeline, newest first, filtered (two queries)."""
    rows = TimelineEvent.objects.filter(enrollment=enrollment)
    if filters.categories:
        rows = rows.filter(kind__in=event_kinds.kinds_in(filters.categories))
    if filters.since is not None:
        rows = rows.filter(created_at__gte=_start_of(filters.since, zone))
    if filters.until is not None:
        rows = rows.filter(created_at__lt=_start_of(filters.until + timedelta(days=1), zone))
    rows = rows.select_related("actor").order_by("-created_at", "-id")
    return Paginator(rows, PER_PAGE).get_page(page)


def category_labels() -> dict[str, str]:
    """Every kind's category label, by the kind's key (for the page's badges)."""
    return {
        kind.key: str(event_kinds.category(event_kinds.category_of(kind)).label)
        for kind in event_kinds.kinds()
    }


def known_categories() -> list[Category]:
    return event_kinds.categories()
