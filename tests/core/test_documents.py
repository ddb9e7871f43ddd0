"""One service saves every versioned client document: numbering, no-op repeats, races, records.

Any concrete versioned document will do; these tests use the safety plan's model
and its timeline kind, with content written directly (the service does not read it).
"""

from __future__ import annotations

from datetime import timedelta

import pytest
from django.utils import timezone

from waypost.core import documents, events
from waypost.core.models import AuditEvent, TimelineEvent
from waypost.safety.events import PLAN_SAVED
from waypost.safety.models import SafetyPlan


def _save(cast, content: str, *, by=None, **extra):
    by = by or cast.client
    return documents.save_version(
        model=SafetyPlan,
        enrollment=cast.enrollment,
        content=content,
        by=by,
        in_session=by != cast.client,
        event_kind=PLAN_SAVED,
        **extra,
    )


def _events(cast) -> list[TimelineEvent]:
    return list(cast.enrollment.timeline.filter(kind=PLAN_SAVED).order_by("id"))


def test_the_first_version_is_number_one_and_goes_on_the_timeline(cast):
    # given a client with no document yet
    # when they save one
    plan, created = _save(cast, '{"a": 1}')
    # then it is version 1, saved by them, not in session, and the timeline says so
    assert created and plan.version == 1
    assert (plan.saved_by, plan.in_session, plan.content) == (cast.client, False, '{"a": 1}')
    (event,) = _events(cast)
    assert event.data == {"version": 1, "in_session": False}
    assert event.actor == cast.client
    assert event.summary == "Safety plan written"
    # and the client's own save is not in the audit trail
    assert not AuditEvent.objects.filter(actor=cast.client).exists()


def test_saving_the_same_content_again_makes_no_new_version(cast):
    # given a first version
    first, _ = _save(cast, '{"a": 1}')
    # when the same person saves exactly the same again (a double tap)
    again, created = _save(cast, '{"a": 1}')
    # then nothing new is written and the newest version is returned
    assert not created and again.pk == first.pk
    assert SafetyPlan.objects.count() == 1 and len(_events(cast)) == 1


def test_the_same_content_from_someone_else_is_a_new_version(cast):
    # given the client's version
    _save(cast, '{"a": 1}')
    # when their clinician saves the same with them in session
    plan, created = _save(cast, '{"a": 1}', by=cast.clinician)
    # then it is version 2, in session, and audited as a change
    assert created and plan.version == 2 and plan.in_session
    assert _events(cast)[-1].summary == "Safety plan updated (version 2) in session"
    assert AuditEvent.objects.filter(
        actor=cast.clinician, client=cast.client, action="change", what="safety plan"
    ).exists()


def test_versions_count_up_and_earlier_ones_stay(cast):
    # given three saves with different content, at given times
    start = timezone.now() - timedelta(days=3)
    for n in range(3):
        _save(cast, f'{{"n": {n}}}', at=start + timedelta(days=n))
    # then they are versions 1, 2, 3, each with its own content and time
    plans = list(SafetyPlan.objects.order_by("version"))
    assert [p.version for p in plans] == [1, 2, 3]
    assert [p.content for p in plans] == ['{"n": 0}', '{"n": 1}', '{"n": 2}']
    assert [p.created_at for p in plans] == [start + timedelta(days=n) for n in range(3)]
    assert [e.data["version"] for e in _events(cast)] == [1, 2, 3]


def test_content_and_unchanged_may_depend_on_the_newest_version(cast):
    # given a first version
    _save(cast, "one")
    seen = []

    def content(latest):
        seen.append(latest.version if latest else None)
        return f"{latest.content}+two" if latest else "two"

    # when the next is made from the newest, with a rule for "the same"
    plan, created = _save(cast, content)
    # then the function saw version 1 and its text is kept
    assert created and plan.content == "one+two" and seen == [1]
    # and "unchanged" decides whether a repeat makes a version
    again, created = _save(cast, "anything", unchanged=lambda latest: True)
    assert not created and again.pk == plan.pk


def _stale_count(times: int):
    """Count as if the other save had not committed yet, ``times`` times running.

    One database connection cannot hold two transactions, so the race is played
    from our side: the count misses the newest version, and the real unique
    (enrollment, version) rule refuses the insert, as it would in a race.
    """
    count = documents._next_number
    calls = []

    def stale(model, enrollment):
        calls.append(1)
        number = count(model, enrollment)
        return number - 1 if len(calls) <= times else number

    return stale, calls


def test_a_race_for_the_version_number_is_retried_once(cast, monkeypatch):
    # given the clinician's save committed just after we counted the versions
    _save(cast, "first")
    _save(cast, "theirs", by=cast.clinician)
    stale, calls = _stale_count(times=1)
    monkeypatch.setattr(documents, "_next_number", stale)
    # when the client saves
    plan, created = _save(cast, "mine")
    # then the clash was retried once, with the right number
    assert len(calls) == 2
    assert created and plan.version == 3 and plan.content == "mine"
    assert sorted(SafetyPlan.objects.values_list("version", "content")) == [
        (1, "first"),
        (2, "theirs"),
        (3, "mine"),
    ]
    # and one timeline line was written for it, not one per attempt
    assert [e.data["version"] for e in _events(cast)] == [1, 2, 3]


def test_losing_the_race_twice_saves_nothing(cast, monkeypatch):
    # given a count that is stale every time
    _save(cast, "first")
    stale, calls = _stale_count(times=2)
    monkeypatch.setattr(documents, "_next_number", stale)
    # when the client saves, then it gives up with VersionConflict after two attempts
    with pytest.raises(documents.VersionConflict):
        _save(cast, "mine")
    assert len(calls) == 2
    # and neither attempt left anything behind
    assert list(SafetyPlan.objects.values_list("content", flat=True)) == ["first"]
    assert [e.data["version"] for e in _events(cast)] == [1]


def test_version_event_words(cast):
    kind = events.get(PLAN_SAVED)
    assert kind.describe({"version": 1, "in_session": False}) == "Safety plan written"
    assert kind.describe({"version": 4, "in_session": False}) == "Safety plan updated (version 4)"
    assert kind.describe({"version": 1, "in_session": True}) == "Safety plan written in session"
    # an event with no number still reads as something
    assert kind.describe({}) == "Safety plan written"
