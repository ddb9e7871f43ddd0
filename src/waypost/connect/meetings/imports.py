"""Importing a feed into a clinic's directory: what the clinic page, the command line and the
worker all call.

:func:`import_feed` reads a source (fetching its web address, or the bytes of an
uploaded file), checks every meeting (``feed.parse``) and stores the result in one
transaction:

- a meeting keeps its identity by slug: the same slug updates the same row, so
  favourites and the attendance log survive every refresh;
- a meeting missing from the feed is marked inactive (hidden), never deleted, and
  comes back if it returns; a refused meeting is left as it was;
- a feed that cannot be read (or that suddenly lists nothing) changes nothing.

Every import, good or bad, is kept on the source as its last report, with the reason
for each refused meeting.
"""

from __future__ import annotations

import hashlib
from collections.abc import Mapping
from dataclasses import dataclass, field
from datetime import datetime, timedelta
from typing import TYPE_CHECKING, Any

from django.db import transaction
from django.utils import timezone, translation

from waypost.access.policy import Action, require
from waypost.connect.meetings import reasons, vocabulary
from waypost.connect.meetings.feed import FeedError, ParsedMeeting, Problem, is_zone, parse
from waypost.connect.meetings.fetch import fetch
from waypost.connect.meetings.models import Meeting, MeetingSource

if TYPE_CHECKING:
    from waypost.accounts.models import User

# How often a source with "refresh automatically" is fetched again.
REFRESH_EVERY = timedelta(hours=12)
# After a failed fetch, try again sooner than that.
RETRY_AFTER = timedelta(hours=2)

STORED_FIELDS = [
    f.name
    for f in ParsedMeeting.__dataclass_fields__.values()
    if f.name != "slug"  # the identity, never changed
]


@dataclass
class ImportReport:
    """What an import did. ``error`` set: the feed could not be read and nothing changed."""

    imported: int = 0
    updated: int = 0
    unchanged: int = 0
    deactivated: int = 0
    rejected: list[tuple[str, Problem]] = field(default_factory=list)
    error: Problem | None = None

    @property
    def read(self) -> bool:
        return self.error is None

    @property
    def outcome(self) -> str:
        if self.error is not None:
            return MeetingSource.Outcome.FAILED
        return MeetingSource.Outcome.PARTIAL if self.rejected else MeetingSource.Outcome.OK

    def as_json(self) -> dict[str, Any]:
        """As kept on the source: codes and parameters, said in words when shown."""
        return {
            "imported": self.imported,
            "updated": self.updated,
            "unchanged": self.unchanged,
            "deactivated": self.deactivated,
            "rejected": [
                {"slug": slug, "code": p.code, "params": dict(p.params)}
                for slug, p in self.rejected
            ],
            "error": {"code": self.error.code, "params": dict(self.error.params)}
            if self.error
            else None,
        }

    def summary(self) -> dict[str, Any]:
        """The command line's JSON: ``{"imported", "updated", "unchanged", "rejected"}``."""
        with translation.override("en"):
            return {
                "imported": self.imported,
                "updated": self.updated,
                "unchanged": self.unchanged,
                "rejected": [
                    {"slug": slug, "reason": reasons.describe(p.code, p.params)}
                    for slug, p in self.rejected
                ],
            }

    def error_words(self) -> str:
        if self.error is None:
            return ""
        return reasons.describe(self.error.code, self.error.params)


def source_zone(source: MeetingSource) -> str:
    """The zone for the source's meetings that name none: its own, else the clinic's."""
    return source.time_zone or source.clinic.time_zone or "UTC"


def import_feed(
    *,
    source: MeetingSource,
    raw: bytes | None = None,
    by: User | None = None,
    now: datetime | None = None,
) -> ImportReport:
    """Read ``source`` (its web address, or ``raw``, the bytes of an uploaded file) and store it.

    ``by``: the clinic's staff member asking (checked: ``Action.MANAGE_MEETINGS``), or
    None for the worker and the command line. The report is also kept on the source.
    """
    if by is not None:
        require(by, Action.MANAGE_MEETINGS, source.clinic)
    now = now or timezone.now()
    report = ImportReport()
    try:
        zone = source_zone(source)
        if not is_zone(zone):
            raise FeedError("unknown_source_zone", value=zone)
        if raw is None:
            if source.is_file:
                raise FeedError("no_file")
            raw = fetch(source.url)
        parsed = parse(raw, time_zone=zone, fellowships=vocabulary.FELLOWSHIP_CODES)
    except FeedError as exc:
        report.error = exc.problem
        _keep(source, report, now)
        return report
    report.rejected = [(r.slug, r.problem) for r in parsed.rejected]
    with transaction.atomic():
        # One import of a source at a time (the worker and "import now" may meet).
        MeetingSource.objects.select_for_update().filter(pk=source.pk).first()
        _store(source, parsed.meetings, parsed.entries, report, now)
        _keep(source, report, now)
    return report


def keep_failure(*, source: MeetingSource, now: datetime) -> None:
    """Keep on ``source`` that its import stopped on an unexpected error (nothing changed).

    For the worker, which goes on to the next source; the next try is in ``RETRY_AFTER``.
    """
    _keep(source, ImportReport(error=Problem("import_failed")), now)


def _fingerprint(meeting: ParsedMeeting, fellowship: str) -> str:
    return hashlib.sha256(f"{meeting.fingerprint()}|{fellowship}".encode()).hexdigest()


def _store(
    source: MeetingSource,
    meetings: list[ParsedMeeting],
    entries: int,
    report: ImportReport,
    now: datetime,
) -> None:
    existing = {m.slug: m for m in Meeting.objects.filter(clinic_id=source.clinic_id)}
    mine_active = [m for m in existing.values() if m.source_id == source.pk and m.active]
    if entries == 0 and mine_active:
        report.error = Problem("no_meetings", {"count": len(mine_active)})
        return
    new: list[Meeting] = []
    changed: list[Meeting] = []
    for parsed in meetings:
        fellowship = parsed.fellowship or source.fellowship
        values: Mapping[str, Any] = parsed.fields() | {"fellowship": fellowship}
        fingerprint = _fingerprint(parsed, fellowship)
        meeting = existing.get(parsed.slug)
        if meeting is None:
            new.append(
                Meeting(
                    clinic_id=source.clinic_id,
                    source=source,
                    slug=parsed.slug,
                    fingerprint=fingerprint,
                    created_at=now,
                    changed_at=now,
                    **values,
                )
            )
            continue
        if meeting.source_id != source.pk and (meeting.by_hand or meeting.source_id is not None):
            report.rejected.append((parsed.slug, Problem("slug_taken", {"value": parsed.slug})))
            continue
        if meeting.fingerprint == fingerprint and meeting.active and meeting.source_id == source.pk:
            report.unchanged += 1
            continue
        for name, value in values.items():
            setattr(meeting, name, value)
        meeting.source = source
        meeting.fingerprint = fingerprint
        meeting.active = True
        meeting.missing_since = None
        meeting.changed_at = now
        changed.append(meeting)
    Meeting.objects.bulk_create(new, batch_size=500)
    if changed:
        Meeting.objects.bulk_update(
            changed,
            [*STORED_FIELDS, "source", "fingerprint", "active", "missing_since", "changed_at"],
            batch_size=500,
        )
    report.imported = len(new)
    report.updated = len(changed)
    # Gone from the feed: hidden, not deleted. A refused meeting is still in the feed.
    listed = {m.slug for m in meetings} | {slug for slug, _problem in report.rejected}
    gone = [m.pk for m in mine_active if m.slug not in listed]
    if gone:
        report.deactivated = Meeting.objects.filter(pk__in=gone).update(
            active=False, missing_since=now, changed_at=now
        )


def _keep(source: MeetingSource, report: ImportReport, now: datetime) -> None:
    source.last_import_at = now
    source.last_outcome = report.outcome
    source.last_report = report.as_json()
    fields = ["last_import_at", "last_outcome", "last_report"]
    if source.refresh and not source.is_file:
        source.next_refresh_at = now + (REFRESH_EVERY if report.read else RETRY_AFTER)
        fields.append("next_refresh_at")
    MeetingSource.objects.filter(pk=source.pk).update(
        **{name: getattr(source, name) for name in fields}
    )
