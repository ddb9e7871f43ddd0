"""Early warnings: evaluating the rules for every client, noting one, tuning the rules.

:func:`evaluate` is what the hourly task runs. For each active client from the rules'
stage on, every rule their clinic has on is evaluated with the clinic's parameters; a rule
that fires and has no open warning raises one (and a line on the timeline), one that
fires again updates the open warning's numbers, and an open warning whose rule no longer
fires (or was switched off) is resolved. Its queries do not grow with the number of
rules: the clients, their clinics' settings, their open warnings and each rule's
``prepare`` are read once per batch of clients; only a change costs a few writes.
"""

from __future__ import annotations

from collections.abc import Iterable, Mapping, Sequence
from dataclasses import dataclass, field
from datetime import datetime
from typing import TYPE_CHECKING, Any

from django.db import IntegrityError, transaction
from django.utils import timezone

from waypost.core import events
from waypost.program.models import Enrollment
from waypost.recovery.warnings import events as warning_events
from waypost.recovery.warnings import rules
from waypost.recovery.warnings.models import ClinicRuleSetting, EarlyWarning

if TYPE_CHECKING:
    from django.contrib.auth.models import _User as User

    from waypost.clinics.models import Clinic

BATCH = 500


@dataclass(frozen=True)
class RuleChoice:
    """A clinic's choice for one rule (or the defaults, when it made none)."""

    rule: rules.Rule
    enabled: bool
    params: dict[str, float]
    chosen: bool  # False: the defaults


def choices_for(clinic_ids: Iterable[int]) -> dict[int, dict[str, RuleChoice]]:
    """Every rule's choice at each clinic, in one query."""
    stored: dict[int, dict[str, ClinicRuleSetting]] = {}
    ids = list(set(clinic_ids))
    for setting in ClinicRuleSetting.objects.filter(clinic_id__in=ids):
        stored.setdefault(setting.clinic_id, {})[setting.rule] = setting
    out: dict[int, dict[str, RuleChoice]] = {}
    for clinic_id in ids:
        own = stored.get(clinic_id, {})
        out[clinic_id] = {}
        for rule in rules.all_rules():
            row = own.get(rule.key)
            out[clinic_id][rule.key] = RuleChoice(
                rule=rule,
                enabled=row.enabled if row is not None else True,
                params=rule.tuned(row.params if row is not None else None),
                chosen=row is not None,
            )
    return out


@dataclass
class Evaluation:
    clients: int = 0
    raised: list[EarlyWarning] = field(default_factory=list)
    updated: int = 0
    resolved: int = 0


def _candidates() -> Any:
    min_stage = min((r.min_stage for r in rules.all_rules()), default=2)
    return (
        Enrollment.objects.filter(status=Enrollment.Status.ACTIVE, stage__gte=min_stage)
        .select_related("client", "clinic")
        .order_by("pk")
    )


def evaluate(
    *, now: datetime | None = None, enrollments: Sequence[Enrollment] | None = None
) -> Evaluation:
    """Evaluate every rule for the given clients (default: every active one), in batches."""
    now = now or timezone.now()
    result = Evaluation()
    if enrollments is not None:
        _evaluate_batch(list(enrollments), now, result)
        return result
    last_pk = 0
    while True:
        batch = list(_candidates().filter(pk__gt=last_pk)[:BATCH])
        if not batch:
            return result
        _evaluate_batch(batch, now, result)
        last_pk = batch[-1].pk


def _evaluate_batch(batch: list[Enrollment], now: datetime, result: Evaluation) -> None:
    all_rules = rules.all_rules()
    choices = choices_for(e.clinic_id for e in batch)
    prepared: list[Any] = []
    for rule in all_rules:
        if rule.prepare is not None and rule.prepare not in prepared:
            prepared.append(rule.prepare)
            rule.prepare(batch, now)
    open_rows: dict[tuple[int, str], EarlyWarning] = {
        (w.enrollment_id, w.rule): w
        for w in EarlyWarning.objects.filter(enrollment__in=batch, resolved_at__isnull=True)
    }
    for enrollment in batch:
        result.clients += 1
        for rule in all_rules:
            choice = choices[enrollment.clinic_id][rule.key]
            current = open_rows.get((enrollment.pk, rule.key))
            finding = None
            if choice.enabled and enrollment.stage >= rule.min_stage:
                finding = rule.evaluate(enrollment, choice.params, now)
            if finding is None:
                if current is not None:
                    resolve(warning=current, enrollment=enrollment, now=now)
                    result.resolved += 1
            elif current is None:
                raised = raise_warning(
                    enrollment=enrollment, rule=rule, numbers=finding.numbers, now=now
                )
                if raised is not None:
                    result.raised.append(raised)
            elif dict(current.numbers) != dict(finding.numbers):
                current.numbers = dict(finding.numbers)
                current.updated_at = now
                current.save(update_fields=["numbers", "updated_at"])
                result.updated += 1


def raise_warning(
    *, enrollment: Enrollment, rule: rules.Rule, numbers: Mapping[str, Any], now: datetime
) -> EarlyWarning | None:
    """Open a warning for ``rule`` and put it on the timeline; None if one is open already."""
    try:
        with transaction.atomic():
            warning = EarlyWarning.objects.create(
                enrollment=enrollment,
                rule=rule.key,
                numbers=dict(numbers),
                raised_at=now,
                updated_at=now,
            )
            events.record(
                enrollment=enrollment,
                kind=warning_events.RAISED,
                actor=None,
                data={"rule": rule.key},
                at=now,
            )
    except IntegrityError:
        # Another worker raised it first: one open warning per rule per client.
        return None
    return warning


def resolve(*, warning: EarlyWarning, enrollment: Enrollment, now: datetime) -> bool:
    """Close an open warning whose rule no longer fires; False if it was closed already."""
    with transaction.atomic():
        closed = EarlyWarning.objects.filter(pk=warning.pk, resolved_at__isnull=True).update(
            resolved_at=now, updated_at=now
        )
        if closed:
            events.record(
                enrollment=enrollment,
                kind=warning_events.RESOLVED,
                actor=None,
                data={"rule": warning.rule},
                at=now,
            )
    warning.resolved_at = now
    return bool(closed)


def note_warning(*, warning: EarlyWarning, by: User, now: datetime | None = None) -> bool:
    """The client's "thanks, noted": hide the nudge until the rule fires anew.

    False (and nothing written) if it was noted already.
    """
    now = now or timezone.now()
    with transaction.atomic():
        noted = EarlyWarning.objects.filter(pk=warning.pk, dismissed_at__isnull=True).update(
            dismissed_at=now
        )
        if noted:
            events.record(
                enrollment=warning.enrollment,
                kind=warning_events.NOTED,
                actor=by,
                data={"rule": warning.rule},
                at=now,
            )
    return bool(noted)


def save_clinic_choices(
    *,
    clinic: Clinic,
    by: User,
    choices: Mapping[str, tuple[bool, Mapping[str, Any]]],
    now: datetime | None = None,
) -> None:
    """Store the clinic's choice (on or off, parameters) for each rule named in ``choices``.

    Parameters are kept within each one's range; unknown rules and parameters are ignored.
    The next evaluation uses them (warnings of a rule switched off are resolved then).
    """
    now = now or timezone.now()
    with transaction.atomic():
        for key, (enabled, params) in choices.items():
            rule = rules.get(key)
            if rule is None:
                continue
            ClinicRuleSetting.objects.update_or_create(
                clinic=clinic,
                rule=key,
                defaults={
                    "enabled": enabled,
                    "params": rule.tuned(params),
                    "updated_at": now,
                    "updated_by": by,
                },
            )
