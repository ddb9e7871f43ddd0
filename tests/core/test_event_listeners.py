"""Listeners: an app hears about a kind of event once the change that recorded it commits."""

from __future__ import annotations

import logging

import pytest
from django.db import transaction

from waypost.core import events
from waypost.core.events import EventKind

KIND = "tests.listened"
OTHER = "tests.not_listened"


@pytest.fixture
def heard():
    """A listener on ``KIND`` that keeps what it was given; removed after the test."""
    events.register(EventKind(KIND, label="Listened", text="Listened"))
    events.register(EventKind(OTHER, label="Not listened", text="Not listened"))
    got: list = []

    def listener(event):
        got.append(event)

    events.listen(KIND, listener)
    yield got
    events.unlisten(KIND, listener)


def test_a_listener_gets_the_new_event_once_the_change_commits(
    cast, heard, django_capture_on_commit_callbacks
):
    # when an event of the kind is recorded
    with django_capture_on_commit_callbacks(execute=False) as callbacks:
        event = events.record(enrollment=cast.enrollment, kind=KIND, actor=cast.client)
    # then nothing is heard before the commit …
    assert heard == []
    # … and the stored event itself once it happens
    for callback in callbacks:
        callback()
    assert heard == [event]
    assert heard[0].pk is not None


def test_other_kinds_are_not_heard(cast, heard, django_capture_on_commit_callbacks):
    with django_capture_on_commit_callbacks(execute=True):
        events.record(enrollment=cast.enrollment, kind=OTHER, actor=cast.client)
    assert heard == []


def test_a_change_rolled_back_tells_nobody(cast, heard, django_capture_on_commit_callbacks):
    # given a change that fails after recording its event
    with (
        django_capture_on_commit_callbacks(execute=True),
        pytest.raises(RuntimeError),
        transaction.atomic(),
    ):
        events.record(enrollment=cast.enrollment, kind=KIND, actor=cast.client)
        raise RuntimeError("the rest of the change failed")
    # then the listener never hears of it
    assert heard == []
    assert not cast.enrollment.timeline.filter(kind=KIND).exists()


def test_the_same_listener_given_twice_is_called_once(
    cast, heard, django_capture_on_commit_callbacks
):
    (listener,) = events.listeners(KIND)
    events.listen(KIND, listener)
    with django_capture_on_commit_callbacks(execute=True):
        events.record(enrollment=cast.enrollment, kind=KIND, actor=cast.client)
    assert len(heard) == 1


def test_a_failing_listener_breaks_neither_the_recording_nor_the_other_listeners(
    cast, heard, django_capture_on_commit_callbacks, caplog
):
    # given a listener that fails (and writes something first), added before the good one
    def broken(event):
        events.record(enrollment=cast.enrollment, kind=OTHER, actor=cast.client)
        raise ValueError("a bug in a listener")

    good = events.listeners(KIND)
    for callback in good:
        events.unlisten(KIND, callback)
    events.listen(KIND, broken)
    for callback in good:
        events.listen(KIND, callback)
    try:
        # when the event is recorded
        with (
            caplog.at_level(logging.ERROR, logger="waypost.core.events"),
            django_capture_on_commit_callbacks(execute=True),
        ):
            event = events.record(enrollment=cast.enrollment, kind=KIND, actor=cast.client)
    finally:
        events.unlisten(KIND, broken)
    # then the event stands, the good listener still heard it, the broken one's half-done
    # work is undone, and the failure is logged without the event's data
    assert cast.enrollment.timeline.filter(pk=event.pk).exists()
    assert heard == [event]
    assert not cast.enrollment.timeline.filter(kind=OTHER).exists()
    assert "failed for timeline event" in caplog.text
    assert "a bug in a listener" in caplog.text


def test_without_listeners_nothing_waits_for_the_commit(cast, django_capture_on_commit_callbacks):
    events.register(EventKind(OTHER, label="Not listened", text="Not listened"))
    with django_capture_on_commit_callbacks(execute=False) as callbacks:
        events.record(enrollment=cast.enrollment, kind=OTHER, actor=cast.client)
    assert callbacks == []
