"""Writes of the lapse log: a lapse on a recent day, its chain analysis, and its learning.

Public API for other apps
- ``log_lapse(*, enrollment, by, day, client_uuid, what_happened="", path="", at=None)``:
  keep that a lapse happened on one of the client's recent days.
- ``save_chain(*, lapse, by, chain, path="", at=None)``: write or change steps of its
  chain analysis (any of ``chain_content.STEP_KEYS``; the others stay as they were).
- ``add_learning(*, lapse, by, path="", at=None)``: one tap puts the lapse's learning
  (and what to do differently, as an if–then plan) into the relapse-prevention plan.
- ``lapse_days_open(enrollment, today)``: the days a lapse may be logged for.

A lapse day starts a new streak; the day counter reads the lapse days itself
(``selectors.lapse_days``), so nothing here touches the counter.
"""

from __future__ import annotations

import uuid
from collections.abc import Mapping
from datetime import date, datetime, timedelta
from typing import TYPE_CHECKING, Any

from django.db import IntegrityError, transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from waypost.access.policy import Action, require
from waypost.core import documents
from waypost.core import events as core_events
from waypost.core.errors import DomainError
from waypost.program.models import Enrollment
from waypost.recovery import chain_content, events, prevention_content, selectors
from waypost.recovery.models import Lapse, PreventionPlan

if TYPE_CHECKING:
    from django.contrib.auth.models import _User as User

# A lapse may be logged for today or up to this many days before (never before the plan).
LOOK_BACK_DAYS = 14
# The if–then plan a learning adds: each half short enough for one line of the plan.
_WHEN_MAX = 120
_THEN_MAX = prevention_content.MAX_ITEM_LENGTH - _WHEN_MAX - 5


class LapseError(DomainError):
    """The lapse log cannot do this as asked; the message says why, kindly."""

    code = "lapse_refused"


def lapse_days_open(enrollment: Enrollment, today: date) -> list[date]:
    """The days a lapse may be logged for, newest first: today and up to 14 days back.

    Never before the plan's first counted day (``selectors.counting_start``): a day
    before it is not part of the count. A plan that starts later still takes today.
    """
    start = selectors.counting_start(enrollment) or today
    earliest = max(today - timedelta(days=LOOK_BACK_DAYS), min(start, today))
    return [today - timedelta(days=n) for n in range((today - earliest).days + 1)]


def log_lapse(
    *,
    enrollment: Enrollment,
    by: User,
    day: date,
    client_uuid: uuid.UUID,
    what_happened: str = "",
    path: str = "",
    at: datetime | None = None,
) -> Lapse:
    """Keep that a lapse happened on ``day`` (the client's local date) and return it.

    Only the client, from Stage 2 on (``Action.LOG_RECOVERY``). ``day`` must be one of
    ``lapse_days_open``. ``what_happened`` is optional (the first step of the chain
    analysis); everything else can be written later. A submission whose
    ``client_uuid`` was already stored (a retry, or an offline queue sending twice)
    changes nothing and returns the lapse it stored.
    """
    require(by, Action.LOG_RECOVERY, enrollment)
    now = at or timezone.now()
    stored = Lapse.objects.filter(enrollment=enrollment, client_uuid=client_uuid).first()
    if stored is not None:
        return stored
    today = selectors.client_today(enrollment, now, client=by)
    if not isinstance(day, date) or isinstance(day, datetime):
        raise LapseError(_("Please choose the day it happened."))
    if day > today:
        raise LapseError(_("A lapse can be logged for today or a day before, not a later day."))
    if day not in lapse_days_open(enrollment, today):
        raise LapseError(
            _(
                "A lapse can be logged for the last %(n)d days of your plan. For an earlier "
                "day, talk it through with your clinician."
            )
            % {"n": LOOK_BACK_DAYS}
        )
    try:
        chain = chain_content.normalise({"what_happened": what_happened})
    except chain_content.ChainError as exc:
        raise LapseError(str(exc)) from None
    try:
        with transaction.atomic():
            lapse = Lapse.objects.create(
                enrollment=enrollment,
                client_uuid=client_uuid,
                local_date=day,
                chain=chain_content.dumps(chain),
                created_at=now,
                updated_at=now,
            )
            core_events.record(
                enrollment=enrollment,
                kind=events.LAPSE_LOGGED,
                actor=by,
                data={"day": day.isoformat()},
                at=now,
                path=path,
            )
    except IntegrityError:
        # The same submission arrived twice at once: the other one stored it.
        stored = Lapse.objects.filter(enrollment=enrollment, client_uuid=client_uuid).first()
        if stored is None:
            raise
        return stored
    return lapse


def save_chain(
    *,
    lapse: Lapse,
    by: User,
    chain: Mapping[str, Any],
    path: str = "",
    at: datetime | None = None,
) -> Lapse:
    """Write or change steps of the lapse's chain analysis; return the lapse.

    Only the client (``Action.LOG_RECOVERY``). ``chain`` holds the steps to write, by
    key (``chain_content.STEP_KEYS``); steps not given stay as they were, and a step
    given as "" is emptied. Saving what is already there writes nothing.
    """
    require(by, Action.LOG_RECOVERY, lapse.enrollment)
    given = {key: value for key, value in chain.items() if key in chain_content.STEP_KEYS}
    with transaction.atomic():
        current = Lapse.objects.select_for_update().get(pk=lapse.pk)
        merged = {**chain_content.loads(current.chain), **given}
        try:
            clean = chain_content.normalise(merged)
        except chain_content.ChainError as exc:
            raise LapseError(str(exc)) from None
        text = chain_content.dumps(clean)
        if text != current.chain:
            current.chain = text
            current.updated_at = at or timezone.now()
            current.save(update_fields=["chain", "updated_at"])
    return current


def _short(text: str, limit: int) -> str:
    text = " ".join(text.split())
    return text if len(text) <= limit else text[: limit - 1].rstrip() + "…"


def _with_learning(
    newest: PreventionPlan | None, learning: str, if_then: prevention_content.IfThen | None
) -> str:
    content = (
        prevention_content.loads(newest.content)
        if newest is not None
        else {key: [] for key in prevention_content.SECTION_KEYS}
    )
    if learning not in content["learnings"]:
        content["learnings"] = [*content["learnings"], learning]
    if if_then is not None and if_then not in content["if_then"]:
        content["if_then"] = [*content["if_then"], if_then]
    return prevention_content.dumps(prevention_content.normalise(content))


def add_learning(
    *,
    lapse: Lapse,
    by: User,
    path: str = "",
    at: datetime | None = None,
) -> tuple[Lapse, bool]:
    """Put the lapse's learning into the relapse-prevention plan; return (lapse, added now).

    The one-tap "Add to my plan", for the client (``Action.LOG_RECOVERY``). The
    learning joins the plan's "learnings"; when the chain also says what set it off
    and what to do differently, that becomes an if–then plan. The plan gets a new
    version (through ``save_version``; its timeline line says a learning was added) and
    ``lapse.learning_version`` remembers which. A second tap — or a second request at
    the same moment — changes nothing and returns ``(lapse, False)``.
    """
    require(by, Action.LOG_RECOVERY, lapse.enrollment)
    require(by, Action.EDIT_RECOVERY_PLAN, lapse.enrollment)
    with transaction.atomic():
        current = Lapse.objects.select_for_update().get(pk=lapse.pk)
        if current.learning_version is not None:
            return current, False
        chain = chain_content.loads(current.chain)
        learning = chain["learning"]
        if not learning:
            raise LapseError(_("Write one sentence to keep first; then it can go into your plan."))
        if_then = None
        if chain["trigger"] and chain["differently"]:
            if_then = prevention_content.IfThen(
                when=_short(chain["trigger"], _WHEN_MAX),
                then=_short(chain["differently"], _THEN_MAX),
            )

        def content(newest: PreventionPlan | None) -> str:
            return _with_learning(newest, learning, if_then)

        try:
            plan, _created = documents.save_version(
                model=PreventionPlan,
                enrollment=current.enrollment,
                content=content,
                by=by,
                in_session=False,
                event_kind=events.LEARNING_ADDED,
                at=at,
                event_data={"lapse": current.pk},
                path=path,
            )
        except prevention_content.PreventionContentError as exc:
            raise LapseError(
                _("Your plan has no room for it as it is: %(why)s") % {"why": exc}
            ) from None
        except documents.VersionConflict:
            raise LapseError(
                _("Your plan was saved somewhere else at the same moment. Please try again.")
            ) from None
        current.learning_version = plan.version
        current.updated_at = at or timezone.now()
        current.save(update_fields=["learning_version", "updated_at"])
    return current, True
