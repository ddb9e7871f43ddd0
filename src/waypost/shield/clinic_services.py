"""The clinic admin's Shield: what it blocks, SafeSearch, when a device is silent, the lists.

These settings apply to every client of the clinic (``ClinicShield``, and ``ListEntry``
rows with ``clinic`` set); the resolver reads them into its snapshot
(``sync.build_snapshot``) every ``sync.FLUSH_SECONDS``.

Public API (``from waypost.shield import clinic_services``)
- ``settings_of(clinic) -> ClinicShieldSettings``: what applies now, the defaults filled
  in for a clinic that never chose (two queries).
- ``update_settings(*, clinic, by, categories, safesearch, silence_hours) -> ClinicShield``:
  the blocked categories (at least one, from ``blocklist.CATEGORIES``), the SafeSearch
  level (``rules.SafeSearch``) and the hours after which a quiet device raises "Shield
  silent" (``SILENCE_HOURS_MIN`` to ``SILENCE_HOURS_MAX``).
- ``add_name(*, clinic, by, name, allow) -> tuple[ListEntry, bool]``: a name on the
  clinic's allow-list (``allow=True``) or block-list; ``True`` when added, ``False`` when
  it was there already (a retried form changes nothing). Names are cleaned as the
  client's own list cleans them (``services.clean_name``). A name on the other list is
  refused (take it off there first), and so is a full list (``CLINIC_LIST_MAX``). The
  allow-list also refuses a whole ending (``com``): it would open every site under it.
- ``remove_name(*, clinic, by, name, allow) -> bool``: take a name off; ``False`` when it
  was not on that list.

Each checks ``Action.MANAGE_CLINIC`` for the clinic first and raises
``services.ShieldError`` with a kind message, changing nothing, when it cannot do as
asked. A clinic's settings name no client, so the audit trail (which is about clients'
data) has no row for them, as for the clinic's other settings; each change is written
to the ``waypost.security`` log instead: who, which clinic, what kind of change (ids
only, no names).
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime
from typing import TYPE_CHECKING

from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from waypost.access.policy import Action, require
from waypost.clinics.models import Clinic
from waypost.core.audit import security_log
from waypost.shield import blocklist, rules, silence, sync
from waypost.shield.models import SILENCE_HOURS_MAX, SILENCE_HOURS_MIN, ClinicShield, ListEntry
from waypost.shield.services import ShieldError, clean_name

if TYPE_CHECKING:
    from collections.abc import Iterable

    from django.contrib.auth.models import _User as User


#: Names on each of the clinic's lists: room for every site a clinic needs to allow or
#: block by hand, not a blocklist (those are compiled: docs/shield.md, "Blocklists").
CLINIC_LIST_MAX = 500
SAFESEARCH_LEVELS = tuple(level.value for level in rules.SafeSearch)


@dataclass(frozen=True)
class ClinicShieldSettings:
    """What Shield applies to a clinic's clients now."""

    categories: tuple[str, ...]
    safesearch: str
    silence_hours: int
    chosen: bool  # False: the clinic never saved its own; these are the defaults
    allow: list[str]
    block: list[str]


def settings_of(clinic: Clinic) -> ClinicShieldSettings:
    """The clinic's Shield settings and lists, with the defaults where it never chose."""
    row = ClinicShield.objects.filter(clinic=clinic).first()
    allow: list[str] = []
    block: list[str] = []
    for name, allowed in (
        ListEntry.objects.filter(clinic=clinic).order_by("name").values_list("name", "allow")
    ):
        (allow if allowed else block).append(name)
    return ClinicShieldSettings(
        categories=_in_order(sync.clinic_categories(row)),
        safesearch=sync.clinic_safesearch(row),
        silence_hours=row.silence_hours if row else silence.DEFAULT_HOURS,
        chosen=row is not None,
        allow=allow,
        block=block,
    )


def _in_order(categories: Iterable[str]) -> tuple[str, ...]:
    chosen = set(categories)
    return tuple(key for key in blocklist.CATEGORIES if key in chosen)


def _log(by: User, clinic: Clinic, change: str) -> None:
    security_log.info(
        "shield settings of clinic %d changed by user %d: %s", clinic.pk, by.pk, change
    )


def _lock(clinic: Clinic) -> None:
    """Hold the clinic's row: one change to its Shield settings at a time."""
    Clinic.objects.select_for_update().filter(pk=clinic.pk).values_list("pk").first()


def update_settings(
    *,
    clinic: Clinic,
    by: User,
    categories: Iterable[str],
    safesearch: str,
    silence_hours: int,
) -> ClinicShield:
    """Save what Shield blocks for the clinic's clients, SafeSearch and the silence limit."""
    require(by, Action.MANAGE_CLINIC, clinic)
    wanted = [str(key) for key in categories]
    if any(key not in blocklist.CATEGORIES for key in wanted):
        raise ShieldError(_("Please choose from the kinds of sites listed."))
    if not wanted:
        # An empty list means "the default set" to the resolver: it cannot mean "nothing".
        raise ShieldError(_("Please tick at least one kind of site for Shield to block."))
    if safesearch not in SAFESEARCH_LEVELS:
        raise ShieldError(_("Please choose a SafeSearch level: strict, moderate or off."))
    if isinstance(silence_hours, bool) or not isinstance(silence_hours, int):
        raise ShieldError(_("Please give the hours as a whole number."))
    if not SILENCE_HOURS_MIN <= silence_hours <= SILENCE_HOURS_MAX:
        raise ShieldError(
            _("Please give a number of hours from %(min)d to %(max)d (a week).")
            % {"min": SILENCE_HOURS_MIN, "max": SILENCE_HOURS_MAX}
        )
    values = {
        "categories": list(_in_order(wanted)),
        "safesearch": safesearch,
        "silence_hours": silence_hours,
    }
    with transaction.atomic():
        _lock(clinic)
        row = ClinicShield.objects.filter(clinic=clinic).first()
        if row is None:
            row = ClinicShield.objects.create(clinic=clinic, **values)
            changed = sorted(values)
        else:
            changed = sorted(key for key, value in values.items() if getattr(row, key) != value)
            for key in changed:
                setattr(row, key, values[key])
            if changed:
                row.save(update_fields=changed)
    if changed:
        _log(by, clinic, "settings (" + ", ".join(changed) + ")")
    return row


def _which(allow: bool) -> str:
    return "allow-list" if allow else "block-list"


def add_name(
    *, clinic: Clinic, by: User, name: str, allow: bool, at: datetime | None = None
) -> tuple[ListEntry, bool]:
    """Put ``name`` (and every name below it) on the clinic's allow- or block-list."""
    require(by, Action.MANAGE_CLINIC, clinic)
    clean = clean_name(name)
    if allow and "." not in clean:
        raise ShieldError(
            _(
                "Allowing everything that ends in .%(name)s would let every site under it "
                "through. Please give a full address, like example.%(name)s."
            )
            % {"name": clean}
        )
    now = at or timezone.now()
    with transaction.atomic():
        _lock(clinic)
        listed = ListEntry.objects.filter(clinic=clinic, name=clean).first()
        if listed is not None and listed.allow == allow:
            return listed, False
        if listed is not None:
            if listed.allow:
                message = _(
                    "%(name)s is on the clinic's allow-list. Take it off there first if you "
                    "would like it blocked."
                )
            else:
                message = _(
                    "%(name)s is on the clinic's block-list. Take it off there first if you "
                    "would like it allowed."
                )
            raise ShieldError(message % {"name": clean})
        if ListEntry.objects.filter(clinic=clinic, allow=allow).count() >= CLINIC_LIST_MAX:
            raise ShieldError(
                _("This list is full (%(n)d names). Please take off a name you no longer need.")
                % {"n": CLINIC_LIST_MAX}
            )
        entry = ListEntry.objects.create(clinic=clinic, name=clean, allow=allow, created_at=now)
    _log(by, clinic, f"a name added to the {_which(allow)}")
    return entry, True


def remove_name(*, clinic: Clinic, by: User, name: str, allow: bool) -> bool:
    """Take ``name`` off the clinic's allow- or block-list; False when it was not on it."""
    require(by, Action.MANAGE_CLINIC, clinic)
    clean = clean_name(name)
    with transaction.atomic():
        _lock(clinic)
        removed, _kinds = ListEntry.objects.filter(clinic=clinic, name=clean, allow=allow).delete()
    if removed:
        _log(by, clinic, f"a name taken off the {_which(allow)}")
    return bool(removed)
