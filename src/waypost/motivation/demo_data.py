"""Demo motivation tools, made through the same services the product uses.

Readiness numbers for clients 1 and 2 come from the measures demo.
- client 1: a first decisional balance and "thinking about it"; their clinician has
  asked for the values card sort, so it shows on their Today page;
- client 2: a balance in two versions (the second written in session) and values sorted,
  with top values and notes;
- client 3: all four with history: readiness rising, balance twice, values, and the stage
  moving from getting ready to making changes (plus the clinician's own view);
- client 4: keeping changes going, with readiness at the top of the ruler.
"""

from __future__ import annotations

from datetime import datetime, timedelta
from typing import TYPE_CHECKING

from waypost.motivation import services as motivation
from waypost.motivation.values_cards import CARDS
from waypost.program.models import Enrollment

if TYPE_CHECKING:
    from django.contrib.auth.models import _User as User

    from waypost.demo import DemoContext


def _at(context: DemoContext, enrollment: Enrollment, days: float, hours: float = 19) -> datetime:
    """A moment ``days`` after joining (evening by default), never in the future."""
    at = enrollment.created_at + timedelta(days=days, hours=hours)
    return min(at, context.now - timedelta(hours=3))


def _piles(very: list[str], important: list[str]) -> dict[str, str]:
    """Every card sorted: these very important, these important, the rest not important."""
    piles = dict.fromkeys(CARDS, "not")
    piles.update(dict.fromkeys(important, "important"))
    piles.update(dict.fromkeys(very, "very"))
    return piles


def _values(
    context: DemoContext,
    enrollment: Enrollment,
    by: User,
    days: float,
    piles: dict[str, str],
    top: list[str],
    notes: dict[str, str],
) -> None:
    at = _at(context, enrollment, days)
    motivation.save_sort(enrollment=enrollment, piles=piles, by=by, at=at)
    motivation.save_top(enrollment=enrollment, cards=top, by=by, at=at + timedelta(minutes=8))
    motivation.save_top_notes(
        enrollment=enrollment, notes=notes, by=by, at=at + timedelta(minutes=20)
    )


def load(context: DemoContext) -> None:
    # Client 1: two weeks in, thinking about it; a first, honest balance.
    one = context.client(1)
    motivation.record_stage(
        enrollment=one,
        stage="contemplation",
        note="Part of me knows it has to stop. Part of me does not want to give it up yet.",
        by=one.client,
        at=_at(context, one, 3),
    )
    motivation.save_balance(
        enrollment=one,
        content={
            "now_good": [
                {"text": "It is the one thing that switches my head off", "weight": 4},
                {"text": "Nobody needs to know", "weight": 2},
            ],
            "now_costs": [
                {"text": "Up past 2 a.m., wrecked at work", "weight": 5},
                {"text": "I feel far away from everyone", "weight": 4},
            ],
            "change_costs": [{"text": "No idea how I would cope with stress", "weight": 4}],
            "change_good": [
                {"text": "Sleep", "weight": 4},
                {"text": "Stop hiding things", "weight": 3},
            ],
        },
        by=one.client,
        at=_at(context, one, 9, hours=21),
    )
    motivation.ask_client(
        enrollment=one,
        tool="values",
        by=one.primary_clinician.user,
        at=_at(context, one, 11, hours=4),
    )

    # Client 2: balance written alone, then revised in session; values sorted.
    two = context.client(2)
    clinician2 = two.primary_clinician.user
    first = {
        "now_good": [{"text": "Relief after a long day", "weight": 4}],
        "now_costs": [
            {"text": "Hui Min found out and it hurt her", "weight": 5},
            {"text": "Hours gone every night", "weight": 3},
        ],
        "change_costs": [{"text": "Evenings will feel empty", "weight": 3}],
        "change_good": [{"text": "Rebuild trust at home", "weight": 5}],
    }
    motivation.save_balance(enrollment=two, content=first, by=two.client, at=_at(context, two, 6))
    second = {
        **first,
        "change_costs": [
            {"text": "Evenings will feel empty", "weight": 2},
            {"text": "Admitting how much it took over", "weight": 3},
        ],
        "change_good": [
            {"text": "Rebuild trust at home", "weight": 5},
            {"text": "Be present with my son", "weight": 5},
            {"text": "Energy for badminton again", "weight": 2},
        ],
    }
    motivation.save_balance(
        enrollment=two, content=second, by=clinician2, at=_at(context, two, 20, hours=3)
    )
    _values(
        context,
        two,
        two.client,
        24,
        _piles(
            ["family", "honesty", "love", "parenthood", "self-respect", "health"],
            ["friendship", "fun", "security", "growth", "calm", "loyalty", "fairness"],
        ),
        ["family", "honesty", "parenthood", "self-respect", "love"],
        {
            "family": "The hours online were hours not with them.",
            "honesty": "Pulls hard against it: I hid it for years.",
            "parenthood": "I want my son to have a dad who is there at night.",
        },
    )
    motivation.record_stage(
        enrollment=two,
        stage="action",
        note="Day by day. The lock-box helps.",
        by=two.client,
        at=_at(context, two, 33),
    )

    # Client 3: every tool, over time.
    three = context.client(3)
    clinician3 = three.primary_clinician.user
    for days, value, by in ((4, 5, three.client), (27, 8, clinician3), (90, 9, three.client)):
        motivation.record_readiness(
            enrollment=three, value=value, by=by, at=_at(context, three, days, hours=4)
        )
    motivation.record_stage(
        enrollment=three,
        stage="preparation",
        note="Told my brother I am doing this. Lock-box ordered.",
        by=three.client,
        at=_at(context, three, 10),
    )
    motivation.record_stage(
        enrollment=three,
        stage="action",
        by=clinician3,
        at=_at(context, three, 41, hours=4),
    )
    motivation.record_stage(
        enrollment=three,
        stage="action",
        view="clinician",
        note="Consistent change for five weeks; ambivalence mostly about evenings alone.",
        by=clinician3,
        at=_at(context, three, 41, hours=5),
    )
    motivation.save_balance(
        enrollment=three,
        content={
            "now_good": [{"text": "Escape when I feel low", "weight": 4}],
            "now_costs": [
                {"text": "Shame afterwards, every time", "weight": 5},
                {"text": "Money on subscriptions", "weight": 2},
            ],
            "change_costs": [{"text": "Facing the low moods without it", "weight": 4}],
            "change_good": [{"text": "Feel like myself again", "weight": 5}],
        },
        by=three.client,
        at=_at(context, three, 6),
    )
    motivation.save_balance(
        enrollment=three,
        content={
            "now_good": [{"text": "Escape when I feel low", "weight": 2}],
            "now_costs": [
                {"text": "Shame afterwards, every time", "weight": 5},
                {"text": "Money on subscriptions", "weight": 2},
            ],
            "change_costs": [{"text": "Facing the low moods without it", "weight": 3}],
            "change_good": [
                {"text": "Feel like myself again", "weight": 5},
                {"text": "Mornings at the mosque with my father", "weight": 4},
            ],
        },
        by=three.client,
        at=_at(context, three, 70),
    )
    _values(
        context,
        three,
        clinician3,
        30,
        _piles(
            ["spirituality", "family", "self-control", "honesty", "growth"],
            ["health", "community", "courage", "calm", "meaningful-work"],
        ),
        ["spirituality", "family", "self-control"],
        {
            "spirituality": "This is where the shame comes from, and also where I find peace.",
            "self-control": "I want my choices to be mine.",
        },
    )

    # Client 4: keeping changes going, a long way in.
    four = context.client(4)
    motivation.record_readiness(
        enrollment=four, value=9, by=four.client, at=_at(context, four, 300)
    )
    motivation.record_readiness(
        enrollment=four, value=10, by=four.client, at=_at(context, four, 520)
    )
    motivation.record_stage(
        enrollment=four,
        stage="maintenance",
        note="Less about stopping now, more about the life I am building.",
        by=four.client,
        at=_at(context, four, 500),
    )
    _values(
        context,
        four,
        four.client,
        470,
        _piles(
            ["meaningful-work", "friendship", "health", "authenticity"],
            ["adventure", "knowledge", "generosity", "community"],
        ),
        ["meaningful-work", "friendship", "authenticity"],
        {"authenticity": "No more double life. That is the whole point."},
    )
