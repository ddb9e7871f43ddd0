"""The values card sort, a versioned document: the sort, the top five and their notes."""

from __future__ import annotations

from collections.abc import Iterable, Mapping
from datetime import datetime
from typing import TYPE_CHECKING

from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from waypost.core import documents
from waypost.core import events as core_events
from waypost.motivation import events, tools
from waypost.motivation.models import ValuesCardSort
from waypost.motivation.services.common import acting_in_session, close_requests, same_moment
from waypost.motivation.tools import MotivationContentError
from waypost.motivation.values_cards import CARDS
from waypost.program.models import Enrollment

if TYPE_CHECKING:
    from django.contrib.auth.models import _User as User

# Choosing top values and writing notes this soon after the sort, by the same person,
# completes that sort rather than making another version.
SITTING_HOURS = 12


def _same_sitting(latest: ValuesCardSort, by: User, now: datetime) -> bool:
    return (
        latest.saved_by_id == by.pk
        and (now - latest.created_at).total_seconds() < SITTING_HOURS * 3600
    )


def save_sort(
    *,
    enrollment: Enrollment,
    piles: Mapping[str, str],
    by: User,
    path: str = "",
    at: datetime | None = None,
) -> ValuesCardSort:
    """Sort the cards into piles: a new version. Top values that still qualify carry over.

    Sorting exactly as the newest version, by the same person, makes no new
    version and returns that version.
    """
    in_session = acting_in_session(by, enrollment)
    clean = tools.normalise_sort(piles, CARDS)
    now = at or timezone.now()

    def content(latest: ValuesCardSort | None) -> str:
        return tools.dumps(
            {"piles": clean, "top": tools.carry_top(latest.top, clean) if latest else []}
        )

    with transaction.atomic():
        try:
            sort, created = documents.save_version(
                model=ValuesCardSort,
                enrollment=enrollment,
                content=content,
                by=by,
                in_session=in_session,
                event_kind=events.VALUES_SORTED,
                at=now,
                unchanged=lambda latest: latest.piles == clean,
                fields={"updated_at": now},
                path=path,
            )
        except documents.VersionConflict:
            raise same_moment() from None
        if created:
            close_requests(enrollment, "values", now)
    return sort


def _update_top(
    *,
    enrollment: Enrollment,
    top: list[dict[str, str]],
    by: User,
    in_session: bool,
    now: datetime,
    kind: str,
    path: str,
) -> ValuesCardSort:
    """Keep new top values (or their notes) with the newest sort.

    By the same person in the same sitting, the newest version is completed in
    place; otherwise it is a new version with the same piles.
    """
    with transaction.atomic():
        documents.lock_enrollment(enrollment)
        latest = documents.latest_version(ValuesCardSort, enrollment)
        if latest is None:
            raise MotivationContentError(_("Please sort the cards first."))
        clean = tools.normalise_top(top, latest.piles)
        if clean == latest.top:
            return latest
        text = tools.dumps({"piles": latest.piles, "top": clean})
        if _same_sitting(latest, by, now):
            # Finishing the sort just made: complete that version.
            latest.content = text
            latest.updated_at = now
            latest.save(update_fields=["content", "updated_at"])
            latest.__dict__.pop("data", None)
            sort = latest
            core_events.record(
                enrollment=enrollment,
                kind=kind,
                actor=by,
                data={"version": sort.version, "in_session": in_session},
                at=now,
                path=path,
            )
        else:
            try:
                sort, _created = documents.save_version(
                    model=ValuesCardSort,
                    enrollment=enrollment,
                    content=text,
                    by=by,
                    in_session=in_session,
                    event_kind=kind,
                    at=now,
                    fields={"updated_at": now},
                    path=path,
                )
            except documents.VersionConflict:
                raise same_moment() from None
        close_requests(enrollment, "values", now)
    return sort


def save_top(
    *,
    enrollment: Enrollment,
    cards: Iterable[str],
    by: User,
    path: str = "",
    at: datetime | None = None,
) -> ValuesCardSort:
    """Choose up to five top values from the newest sort; notes already written stay."""
    in_session = acting_in_session(by, enrollment)
    chosen = list(dict.fromkeys(cards))
    if not chosen:
        raise MotivationContentError(
            _("Please choose at least one value, or go back to your cards.")
        )
    latest = documents.latest_version(ValuesCardSort, enrollment)
    notes = {t["card"]: t.get("note", "") for t in latest.top} if latest else {}
    return _update_top(
        enrollment=enrollment,
        top=[{"card": c, "note": notes.get(c, "")} for c in chosen],
        by=by,
        in_session=in_session,
        now=at or timezone.now(),
        kind=events.VALUES_TOP_CHOSEN,
        path=path,
    )


def save_top_notes(
    *,
    enrollment: Enrollment,
    notes: Mapping[str, str],
    by: User,
    path: str = "",
    at: datetime | None = None,
) -> ValuesCardSort:
    """Write how the client's use fits or pulls against each top value (each optional)."""
    in_session = acting_in_session(by, enrollment)
    latest = documents.latest_version(ValuesCardSort, enrollment)
    if latest is None or not latest.top:
        raise MotivationContentError(_("Please choose your top values first."))
    top_cards = [t["card"] for t in latest.top]
    if set(notes) - set(top_cards):
        raise MotivationContentError(_("Notes go with your top values only."))
    return _update_top(
        enrollment=enrollment,
        top=[{"card": c, "note": notes.get(c, "")} for c in top_cards],
        by=by,
        in_session=in_session,
        now=at or timezone.now(),
        kind=events.VALUES_NOTES_WRITTEN,
        path=path,
    )
