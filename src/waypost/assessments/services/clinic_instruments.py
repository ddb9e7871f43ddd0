"""A clinic's own questionnaires: upload a version, check it with worked examples, publish.

The rules, for the clinic admin's pages (``views/clinic_instruments.py``):

- **Upload**: a file that breaks any rule is refused with every problem named
  (``instrument_check.check_file``, the same checks as ``waypost instruments
  check``), and nothing is stored. A good file becomes a new *draft* version of
  its id (version 1, 2 …); the worked examples of the version before are copied
  when they still fit, to be checked again.
- **Worked examples**: only a draft's examples change. Each is checked against
  the scoring whenever the version is shown.
- **Publish** needs a file that still passes every check (a newer Waypost, or a
  new file in ``WAYPOST_INSTRUMENTS_DIR`` with the same id, may refuse it), at
  least one worked example, and every example passing. The version published
  before (if any) is *superseded*: new forms, schedules that are still running,
  and forms not yet started use the new version; forms in progress or scored
  keep theirs. Any version not published can be published (a withdrawn
  questionnaire comes back; an older version can be brought back).
- **Withdraw**: the questionnaire can no longer be given: running schedules
  end, it leaves the lists; forms already open stay open until they close, and
  every scored form stays readable.

Only the clinic's admins may do any of it (``Action.MANAGE_INSTRUMENTS``).
Each step is recorded in ``ClinicInstrumentEvent``, the questionnaire's audit
trail, shown on its page.
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass, field
from datetime import datetime
from typing import TYPE_CHECKING

from django.db import IntegrityError, transaction
from django.utils import timezone
from django.utils.translation import gettext as _
from django.utils.translation import ngettext

from waypost.access.policy import Action, require
from waypost.assessments import catalog, instrument_check, instruments
from waypost.assessments.instrument_check import Example, ExampleError, ExampleResult
from waypost.assessments.instrument_problems import Problem
from waypost.assessments.models import (
    Administration,
    Assignment,
    ClinicInstrument,
    ClinicInstrumentEvent,
)
from waypost.core.errors import DomainError

if TYPE_CHECKING:
    from django.contrib.auth.models import _User as User

    from waypost.clinics.models import Clinic


class InstrumentRefused(DomainError):
    """A questionnaire, or a step with it, that cannot be taken; ``problems`` lists why."""

    code = "instrument_refused"

    def __init__(self, message: str, *, problems: Sequence[Problem] = ()) -> None:
        super().__init__(message)
        self.problems = tuple(problems)


def _event(version: ClinicInstrument, action: str, by: User, at: datetime) -> None:
    ClinicInstrumentEvent.objects.create(
        clinic_id=version.clinic_id, version=version, action=action, actor=by, created_at=at
    )


def check_upload(*, clinic: Clinic, raw: bytes) -> instrument_check.FileCheck:
    """The checks an upload passes, without storing anything (the page and the service)."""
    known = set(
        ClinicInstrument.objects.filter(clinic=clinic).values_list("instrument_id", flat=True)
    )
    return instrument_check.check_file(raw, known_ids=known)


def upload(*, clinic: Clinic, raw: bytes, by: User, at: datetime | None = None) -> ClinicInstrument:
    """Keep a good file as the next draft version of its id; refuse a bad one, naming why."""
    require(by, Action.MANAGE_INSTRUMENTS, clinic)
    check = check_upload(clinic=clinic, raw=raw)
    if not check.ok or check.entry is None:
        raise InstrumentRefused(
            ngettext(
                "The file has a problem. Nothing was saved.",
                "The file has %(n)d problems. Nothing was saved.",
                len(check.problems),
            )
            % {"n": len(check.problems)},
            problems=check.problems,
        )
    entry = check.entry
    text = raw.decode("utf-8-sig")
    now = at or timezone.now()
    try:
        with transaction.atomic():
            latest = (
                ClinicInstrument.objects.select_for_update()
                .filter(clinic=clinic, instrument_id=entry.id)
                .order_by("-revision")
                .first()
            )
            if latest is not None and latest.content == text:
                raise InstrumentRefused(
                    _("This file is the same as version %(n)d of %(id)s: nothing new to save.")
                    % {"n": latest.revision, "id": entry.id}
                )
            version = ClinicInstrument.objects.create(
                clinic=clinic,
                instrument_id=entry.id,
                revision=latest.revision + 1 if latest else 1,
                content=text,
                title=entry.instrument.title[:200],
                short_name=entry.instrument.short_name[:80],
                examples=_still_fitting(latest, entry) if latest else [],
                uploaded_by=by,
                uploaded_at=now,
            )
            _event(version, ClinicInstrumentEvent.Action.UPLOADED, by, now)
    except IntegrityError:
        raise InstrumentRefused(
            _("Another version of this questionnaire was saved at the same moment. Try again.")
        ) from None
    return version


def _still_fitting(previous: ClinicInstrument, entry: catalog.Entry) -> list[dict[str, object]]:
    """The previous version's examples that still fit the new file's items."""
    kept = []
    for raw in previous.examples:
        try:
            kept.append(instrument_check.read_example(raw, entry.instrument).as_json())
        except ExampleError:
            continue
    return kept


# --- reading a version: its entry, its examples checked, and whether it may be published


@dataclass
class Review:
    """One version as its page shows it: the file, each example checked, the verdict."""

    version: ClinicInstrument
    entry: catalog.Entry | None
    checked: list[ExampleResult] = field(default_factory=list)
    # The stored examples that no longer fit the file (only possible for old data).
    unreadable: list[str] = field(default_factory=list)
    # Why it may not be published now (empty: it may).
    blockers: list[str] = field(default_factory=list)
    problems: list[Problem] = field(default_factory=list)

    @property
    def passed(self) -> int:
        return sum(1 for c in self.checked if c.passed)

    @property
    def failed(self) -> int:
        return len(self.checked) - self.passed

    @property
    def can_publish(self) -> bool:
        return not self.blockers


def review(version: ClinicInstrument) -> Review:
    """The version's file and worked examples, checked now, and what stands in its way."""
    entry = instruments.version_entry(version.pk, version)
    result = Review(version=version, entry=entry)
    if entry is None:
        result.blockers.append(_("The file no longer passes Waypost's checks."))
        return result
    own_ids = set(
        ClinicInstrument.objects.filter(clinic_id=version.clinic_id).values_list(
            "instrument_id", flat=True
        )
    )
    result.problems = instrument_check.clinic_rules(
        entry.questionnaire, entry, builtins=catalog.catalog(), known_ids=own_ids
    )
    if result.problems:
        result.blockers.append(
            _("The file clashes with a questionnaire installed since it was uploaded.")
        )
    for position, raw in enumerate(version.examples, start=1):
        try:
            example = instrument_check.read_example(raw, entry.instrument)
        except ExampleError as exc:
            result.unreadable.append(
                _("Example %(n)d cannot be checked: %(why)s") % {"n": position, "why": exc}
            )
            continue
        result.checked.append(instrument_check.check_example(entry.instrument, example))
    if version.status == ClinicInstrument.Status.PUBLISHED:
        return result
    if not result.checked and not result.unreadable:
        result.blockers.append(_("Add at least one worked example from the publication."))
    elif result.failed or result.unreadable:
        result.blockers.append(
            _("Every worked example must give the publication's result; some do not.")
        )
    return result


# --- worked examples ------------------------------------------------------------------


def _editable(version: ClinicInstrument) -> None:
    if version.status != ClinicInstrument.Status.DRAFT:
        raise InstrumentRefused(
            _(
                "Only a draft's worked examples can change. Upload the file again to make a "
                "new draft."
            )
        )


def add_examples(
    *, version: ClinicInstrument, examples: Sequence[Example], by: User, at: datetime | None = None
) -> ClinicInstrument:
    """Keep these worked examples with a draft version (after the ones it has)."""
    require(by, Action.MANAGE_INSTRUMENTS, version.clinic)
    now = at or timezone.now()
    with transaction.atomic():
        version = ClinicInstrument.objects.select_for_update().get(pk=version.pk)
        _editable(version)
        if len(version.examples) + len(examples) > instrument_check.MAX_EXAMPLES:
            raise InstrumentRefused(
                _("A version keeps at most %(n)d worked examples.")
                % {"n": instrument_check.MAX_EXAMPLES}
            )
        version.examples = [*version.examples, *(e.as_json() for e in examples)]
        version.save(update_fields=["examples"])
        _event(version, ClinicInstrumentEvent.Action.EXAMPLE_ADDED, by, now)
    return version


def remove_example(
    *, version: ClinicInstrument, position: int, by: User, at: datetime | None = None
) -> ClinicInstrument:
    """Drop the draft's worked example number ``position`` (from 1)."""
    require(by, Action.MANAGE_INSTRUMENTS, version.clinic)
    now = at or timezone.now()
    with transaction.atomic():
        version = ClinicInstrument.objects.select_for_update().get(pk=version.pk)
        _editable(version)
        if not 1 <= position <= len(version.examples):
            raise InstrumentRefused(_("That example is no longer there."))
        version.examples = [e for i, e in enumerate(version.examples, start=1) if i != position]
        version.save(update_fields=["examples"])
        _event(version, ClinicInstrumentEvent.Action.EXAMPLE_REMOVED, by, now)
    return version


# --- publishing and withdrawing -------------------------------------------------------


def publish(*, version: ClinicInstrument, by: User, at: datetime | None = None) -> ClinicInstrument:
    """Make this version the clinic's questionnaire for every new form (see the module)."""
    require(by, Action.MANAGE_INSTRUMENTS, version.clinic)
    now = at or timezone.now()
    with transaction.atomic():
        version = ClinicInstrument.objects.select_for_update().get(pk=version.pk)
        if version.status == ClinicInstrument.Status.PUBLISHED:
            return version
        checked = review(version)
        if not checked.can_publish:
            raise InstrumentRefused(
                _("Not published: %(why)s") % {"why": " ".join(checked.blockers)},
                problems=checked.problems,
            )
        entry = checked.entry
        assert entry is not None  # review() blocks a version without one
        ClinicInstrument.objects.filter(
            clinic_id=version.clinic_id,
            instrument_id=version.instrument_id,
            status=ClinicInstrument.Status.PUBLISHED,
        ).update(status=ClinicInstrument.Status.SUPERSEDED)
        version.status = ClinicInstrument.Status.PUBLISHED
        version.published_at = now
        version.withdrawn_at = None
        version.save(update_fields=["status", "published_at", "withdrawn_at"])
        same = {
            "enrollment__clinic_id": version.clinic_id,
            "instrument_id": version.instrument_id,
            "clinic_instrument__isnull": False,
        }
        # Running schedules open their next forms with this version …
        Assignment.objects.filter(ended_at__isnull=True, **same).update(clinic_instrument=version)
        # … and so does a form nobody has begun; a begun or scored form keeps its own.
        Administration.objects.filter(status=Administration.Status.OPEN, **same).update(
            clinic_instrument=version,
            instrument_version=str(entry.questionnaire.get("version", ""))[:32],
        )
        _event(version, ClinicInstrumentEvent.Action.PUBLISHED, by, now)
    return version


def withdraw(
    *, clinic: Clinic, instrument_id: str, by: User, at: datetime | None = None
) -> ClinicInstrument:
    """Stop giving the clinic's questionnaire: schedules end; history stays readable."""
    require(by, Action.MANAGE_INSTRUMENTS, clinic)
    now = at or timezone.now()
    with transaction.atomic():
        version = (
            ClinicInstrument.objects.select_for_update()
            .filter(
                clinic=clinic,
                instrument_id=instrument_id,
                status=ClinicInstrument.Status.PUBLISHED,
            )
            .first()
        )
        if version is None:
            raise InstrumentRefused(
                _("That questionnaire is not published, so there is nothing to withdraw.")
            )
        version.status = ClinicInstrument.Status.WITHDRAWN
        version.withdrawn_at = now
        version.save(update_fields=["status", "withdrawn_at"])
        Assignment.objects.filter(
            enrollment__clinic_id=clinic.pk,
            instrument_id=instrument_id,
            clinic_instrument__isnull=False,
            ended_at__isnull=True,
        ).update(ended_at=now)
        _event(version, ClinicInstrumentEvent.Action.WITHDRAWN, by, now)
    return version
