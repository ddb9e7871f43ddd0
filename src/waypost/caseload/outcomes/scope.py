"""Whose figures and which days: the period, the clients counted, and who may look at whom.

- **Period**: days in the clinic's own calendar, both ends included; the end is never
  after today. The presets are the last 90 days, the last 12 months and all time.
- **Clients counted**: every enrollment at the clinic, or those of one clinician, where
  "one clinician's" means the clients they are the primary clinician of now (their
  caseload), with their history from before they took them on. Nothing here names a
  client: the figures built from these are counts, shares, medians.
- **Who may look at whom**: everyone with ``Action.VIEW_OUTCOMES`` sees the whole
  clinic; a clinician also sees their own caseload's; the clinic's admins (who oversee
  every caseload, ``Action.MANAGE_CLINIC``) see each clinician's. A clinician does not
  see a named colleague's figures: set side by side, they would read as a ranking of
  colleagues, which is the admin's business, not a peer's.
- **Too few to pick** (:func:`choices`): a clinician's caseload of fewer than 5 clients
  is not offered to an admin, and no choice lets anyone take the caseloads on offer from
  the whole clinic and be left with 1 to 4 clients (whose figures the difference would
  give): an admin is then not offered the smallest caseloads until what is left has 5
  or more; a clinician is not offered the whole clinic, only their own clients.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date, datetime, time, timedelta
from typing import TYPE_CHECKING
from zoneinfo import ZoneInfo, ZoneInfoNotFoundError

from django.utils.translation import gettext_lazy as _

from waypost.access.policy import Action, can, roles_of
from waypost.caseload.outcomes.stats import SMALL_NUMBER
from waypost.clinics.models import ClinicianProfile
from waypost.program.models import Enrollment

if TYPE_CHECKING:
    from django.contrib.auth.models import AnonymousUser
    from django.db.models import QuerySet
    from django_stubs_ext import StrOrPromise

    from waypost.accounts.models import User
    from waypost.clinics.models import Clinic

LAST_90_DAYS = "90d"
LAST_12_MONTHS = "12m"
ALL_TIME = "all"
PRESETS: dict[str, StrOrPromise] = {
    LAST_90_DAYS: _("Last 90 days"),
    LAST_12_MONTHS: _("Last 12 months"),
    ALL_TIME: _("All time"),
}
DEFAULT_PRESET = LAST_90_DAYS
# The earliest day a period may start on: before Waypost, nothing to count, and far
# enough from the calendar's edge that no time-zone arithmetic can overflow.
EARLIEST = date(2000, 1, 1)


@dataclass(frozen=True)
class Period:
    """Days ``start`` to ``end``, both included; ``start`` None: from the very beginning."""

    start: date | None
    end: date
    preset: str = ""  # the preset it came from, "" for dates someone chose

    def bounds(self, zone: ZoneInfo) -> tuple[datetime | None, datetime]:
        """From the start of the first day to the start of the day after the last."""
        start = datetime.combine(self.start, time.min, tzinfo=zone) if self.start else None
        return start, datetime.combine(self.end + timedelta(days=1), time.min, tzinfo=zone)


def preset_period(key: str, today: date) -> Period:
    """The period a preset names, ending today (an unknown key: the default one)."""
    if key == ALL_TIME:
        return Period(None, today, ALL_TIME)
    if key == LAST_12_MONTHS:
        try:
            year_ago = today.replace(year=today.year - 1)
        except ValueError:  # 29 February: a year before is the 28th
            year_ago = today.replace(year=today.year - 1, day=28)
        return Period(year_ago + timedelta(days=1), today, LAST_12_MONTHS)
    return Period(today - timedelta(days=89), today, LAST_90_DAYS)


def clinic_zone(clinic: Clinic) -> ZoneInfo:
    """The clinic's time zone (UTC if its name is not one this machine knows)."""
    try:
        return ZoneInfo(clinic.time_zone)
    except (ZoneInfoNotFoundError, ValueError):
        return ZoneInfo("UTC")


@dataclass(frozen=True)
class Scope:
    """The clinic, whose clients (everyone's, or one clinician's) and which period."""

    clinic: Clinic
    clinician: ClinicianProfile | None
    period: Period
    now: datetime

    @property
    def zone(self) -> ZoneInfo:
        return clinic_zone(self.clinic)

    @property
    def start(self) -> datetime | None:
        return self.period.bounds(self.zone)[0]

    @property
    def end(self) -> datetime:
        """The end of the period: the start of the day after its last (nothing is later)."""
        return self.period.bounds(self.zone)[1]

    def local_date(self, moment: datetime) -> date:
        return moment.astimezone(self.zone).date()

    @property
    def today(self) -> date:
        return self.local_date(self.now)

    def enrollments(self) -> QuerySet[Enrollment]:
        """The enrollments counted, as a query (other queries use it as a subquery).

        No ordering: the model's own orders by the client's name, which would join the
        client's row for nothing.
        """
        rows = Enrollment.objects.filter(clinic=self.clinic).order_by()
        if self.clinician is not None:
            rows = rows.filter(primary_clinician=self.clinician)
        return rows


def sees_each_clinician(user: User | AnonymousUser, clinic: Clinic) -> bool:
    """Whether ``user`` may pick any of the clinic's clinicians: its admins."""
    return can(user, Action.MANAGE_CLINIC, clinic)


@dataclass(frozen=True)
class Choices:
    """Whose figures ``user`` may pick: the whole clinic or not, and which caseloads."""

    whole_clinic: bool
    clinicians: list[ClinicianProfile]


def caseloads(clinic: Clinic) -> dict[int, set[int]]:
    """Each clinician's clients (profile id: client ids) as :meth:`Scope.enrollments`
    counts them, any status (one query)."""
    out: dict[int, set[int]] = {}
    pairs = (
        Enrollment.objects.filter(clinic=clinic)
        .order_by()
        .values_list("primary_clinician_id", "client_id")
        .distinct()
    )
    for profile_id, client_id in pairs:
        out.setdefault(profile_id, set()).add(client_id)
    return out


def _left_over(clients: dict[int, set[int]], offered: list[ClinicianProfile]) -> int:
    """How many clients of the clinic are in none of the ``offered`` caseloads."""
    everyone = set().union(*clients.values())
    return len(everyone.difference(*(clients.get(p.pk, set()) for p in offered)))


def _too_few(n: int) -> bool:
    return 0 < n < SMALL_NUMBER


def choices(user: User | AnonymousUser, clinic: Clinic) -> Choices:
    """The figures ``user`` may pick: the whole clinic, and whose caseloads (two queries).

    An admin: the whole clinic, and each clinician with 5 clients or more, those still
    working there first; if taking those caseloads from the clinic would leave 1 to 4
    clients, the smallest caseloads are not offered either until it leaves none or 5
    or more. A clinician: their own clients, and the whole clinic unless their
    colleagues' clients number 1 to 4. Anyone else with access to the page: the whole
    clinic.
    """
    clients = caseloads(clinic)
    size = {profile_id: len(ids) for profile_id, ids in clients.items()}
    if sees_each_clinician(user, clinic):
        offered = [
            profile
            for profile in ClinicianProfile.objects.filter(clinic=clinic)
            .select_related("user")
            .order_by("-is_active", "user__name", "pk")
            if size.get(profile.pk, 0) >= SMALL_NUMBER
        ]
        while offered and _too_few(_left_over(clients, offered)):
            offered.remove(min(offered, key=lambda p: (size[p.pk], p.pk)))
        return Choices(whole_clinic=True, clinicians=offered)
    own = roles_of(user).clinician_profile_at(clinic.pk)
    if own is None:
        return Choices(whole_clinic=True, clinicians=[])
    return Choices(whole_clinic=not _too_few(_left_over(clients, [own])), clinicians=[own])
