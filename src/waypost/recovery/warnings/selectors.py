"""Reads of early warnings: Today's nudge (a fact), the caseload column, the record card."""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass
from datetime import datetime, timedelta
from typing import TYPE_CHECKING, Any

from django.db.models import OuterRef, Q

from waypost.core import facts
from waypost.recovery.warnings import rules
from waypost.recovery.warnings.models import EarlyWarning

if TYPE_CHECKING:
    from django_stubs_ext import StrOrPromise

    from waypost.program.models import Enrollment

FACT = "early_warnings.nudges"
#: The record card also lists warnings resolved this recently.
RECENT_DAYS = 30


@dataclass(frozen=True)
class Shown:
    """A warning with its rule, as a page shows it."""

    warning: EarlyWarning
    rule: rules.Rule

    @property
    def numbers(self) -> list[tuple[StrOrPromise, Any]]:
        return self.rule.shown_numbers(self.warning.numbers)

    @property
    def nudge(self) -> StrOrPromise:
        return self.rule.nudge(self.warning.numbers)


def _shown(warnings: Sequence[EarlyWarning]) -> list[Shown]:
    out = []
    for warning in warnings:
        rule = rules.get(warning.rule)
        if rule is not None:  # a rule whose app is gone shows nothing
            out.append(Shown(warning, rule))
    return out


def _nudges_fact(enrollment: Enrollment, now: datetime) -> facts.Rows:
    return facts.Rows(
        EarlyWarning.objects.filter(
            enrollment=OuterRef("pk"), resolved_at__isnull=True, dismissed_at__isnull=True
        ),
        ["id", "enrollment_id", "rule", "numbers", "raised_at"],
    )


def register_facts() -> None:
    facts.register(FACT, _nudges_fact)


def today_nudges(known: facts.Facts) -> list[Shown]:
    """The open warnings the client has not noted, by rule order (read from Today's facts)."""
    shown = _shown(known[FACT])
    return sorted(shown, key=lambda s: (s.rule.order, s.rule.key))


def open_by_enrollment(enrollments: Sequence[Enrollment]) -> dict[int, list[str]]:
    """The rule keys of each listed client's open warnings, in one query."""
    out: dict[int, list[str]] = {}
    for enrollment_id, rule in (
        EarlyWarning.objects.filter(
            enrollment_id__in=[e.pk for e in enrollments], resolved_at__isnull=True
        )
        .order_by("raised_at", "pk")
        .values_list("enrollment_id", "rule")
    ):
        out.setdefault(enrollment_id, []).append(rule)
    return out


@dataclass(frozen=True)
class RecordCard:
    open: list[Shown]
    recent: list[Shown]  # resolved within RECENT_DAYS


def record_card(enrollment: Enrollment, now: datetime) -> RecordCard:
    """Open warnings and those resolved lately, in one query."""
    rows = list(
        EarlyWarning.objects.filter(enrollment=enrollment).filter(
            Q(resolved_at__isnull=True) | Q(resolved_at__gte=now - timedelta(days=RECENT_DAYS))
        )
    )
    return RecordCard(
        open=_shown([w for w in rows if w.resolved_at is None]),
        recent=_shown([w for w in rows if w.resolved_at is not None]),
    )
