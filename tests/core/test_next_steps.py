"""Apps add next steps and things coming up; the registries order them, most urgent first."""

from __future__ import annotations

from datetime import UTC, datetime, timedelta

import pytest

from waypost.core import coming_up, next_steps
from waypost.core.coming_up import ComingUp
from waypost.core.next_steps import NextStep

NOW = datetime(2030, 6, 10, 9, 0, tzinfo=UTC)


def step(key: str, priority: int, due: datetime | None = None) -> NextStep:
    return NextStep(
        key=key, priority=priority, title=key, description="", url="/", verb="Start", due=due
    )


@pytest.fixture
def only_these():
    """The registries hold only what a test registers, and get the apps' sources back after."""
    saved = dict(next_steps._sources), dict(coming_up._sources)
    next_steps._sources.clear()
    coming_up._sources.clear()
    yield
    next_steps._sources.clear()
    next_steps._sources.update(saved[0])
    coming_up._sources.clear()
    coming_up._sources.update(saved[1])


def test_steps_come_most_urgent_first_then_soonest_due_then_undated(only_these):
    # given two apps with steps in no particular order
    next_steps.register(
        "a",
        lambda request, enrollment: [
            step("a.someday", next_steps.SOMEDAY),
            step("a.asked-undated", next_steps.ASKED),
            step("a.asked-later", next_steps.ASKED, NOW + timedelta(days=5)),
        ],
    )
    next_steps.register(
        "b",
        lambda request, enrollment: [
            step("b.asked-sooner", next_steps.ASKED, NOW + timedelta(days=1)),
            step("b.closing", next_steps.CLOSING, NOW + timedelta(days=6)),
            step("b.asked-undated", next_steps.ASKED),
        ],
    )
    # when Today asks for them
    keys = [s.key for s in next_steps.next_steps(None, None)]
    # then by priority, then by due date (undated last), then in the order registered
    assert keys == [
        "b.closing",
        "b.asked-sooner",
        "a.asked-later",
        "a.asked-undated",
        "b.asked-undated",
        "a.someday",
    ]


def test_the_scale_runs_from_now_to_someday():
    scale = [
        next_steps.NOW,
        next_steps.CLOSING,
        next_steps.ASKED,
        next_steps.CONTINUE,
        next_steps.START,
        next_steps.WHENEVER,
        next_steps.SOMEDAY,
    ]
    assert scale == sorted(scale) and len(set(scale)) == len(scale)


def test_registering_a_key_again_replaces_it(only_these):
    next_steps.register("a", lambda request, enrollment: [step("old", 1)])
    next_steps.register("a", lambda request, enrollment: [step("new", 1)])
    assert [s.key for s in next_steps.next_steps(None, None)] == ["new"]


def test_coming_up_is_soonest_first_and_limited(only_these):
    def at(days: int, key: str) -> ComingUp:
        return ComingUp(key=key, starts_at=NOW + timedelta(days=days), title=key)

    coming_up.register("a", lambda request, enrollment: [at(5, "five"), at(1, "one")])
    coming_up.register("b", lambda request, enrollment: [at(3, "three"), at(9, "nine")])
    found = coming_up.coming_up(None, None, limit=3)
    assert [item.key for item in found] == ["one", "three", "five"]
