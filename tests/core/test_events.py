"""One way to record what happened: declared kinds, one helper, sentences made when read."""

from __future__ import annotations

import pytest
from django.utils import translation

from waypost.core import events
from waypost.core.events import EventKind
from waypost.core.models import AuditEvent, TimelineEvent


def test_every_kind_written_so_far_is_declared_with_a_label(cast):
    # given the cast's history (enrolment, a stage change, allies, consent)
    written = set(TimelineEvent.objects.values_list("kind", flat=True))
    # then every kind on record is declared, and each has a label and a sentence
    declared = {kind.key for kind in events.kinds()}
    assert written <= declared
    for kind in events.kinds():
        assert str(kind.label) and kind.text


def test_an_undeclared_kind_is_refused_before_anything_is_written(cast):
    before = TimelineEvent.objects.count()
    with pytest.raises(KeyError):
        events.record(enrollment=cast.enrollment, kind="nobody.declared_this", actor=cast.client)
    assert TimelineEvent.objects.count() == before


def test_a_kind_cannot_be_declared_twice_with_different_words():
    events.register(EventKind("tests.once", label="Once", text="Once"))
    events.register(EventKind("tests.once", label="Once", text="Once"))  # the same: fine
    with pytest.raises(ValueError):
        events.register(EventKind("tests.once", label="Once", text="Twice"))


def test_the_stored_event_holds_parameters_not_a_sentence(cast):
    event = cast.enrollment.timeline.filter(kind="program.stage_changed").get()
    # given a stage change, the row keeps the numbers, never the words
    assert event.data == {"from": 1, "to": 2}
    # when it is read, the sentence is made from them
    assert event.summary == "Moved on to stage 2: Abstinence"


def test_the_sentence_is_made_in_the_readers_language_not_the_writers(cast):
    events.register(
        EventKind(
            "tests.spoken",
            label="Spoken",
            text="in %(language)s",
            params=lambda data: {"language": translation.get_language()},
        )
    )
    # given an event written while English was active
    with translation.override("en"):
        event = events.record(enrollment=cast.enrollment, kind="tests.spoken", actor=cast.client)
    # when someone reads it in another language, the words are made for them
    with translation.override("de"):
        assert event.summary == "in de"
    with translation.override("en"):
        assert event.summary == "in en"


def test_a_change_by_someone_else_is_timelined_and_audited_in_one_call(cast):
    # when the clinician changes something on the client's record
    events.record(
        enrollment=cast.enrollment,
        kind="program.stage_changed",
        actor=cast.clinician,
        data={"from": 2, "to": 1},
        detail="Back to basics for now.",
    )
    # then the timeline and the audit trail both have it
    assert cast.enrollment.timeline.filter(kind="program.stage_changed").count() == 2
    audit = AuditEvent.objects.filter(actor=cast.clinician, what="stage", action="change")
    assert audit.count() == 2  # the cast's own stage change and this one


def test_the_clients_own_step_is_timelined_but_not_audited(cast):
    before = AuditEvent.objects.count()
    events.record(enrollment=cast.enrollment, kind="intake.story_unshared", actor=cast.client)
    assert cast.enrollment.timeline.filter(kind="intake.story_unshared").exists()
    assert AuditEvent.objects.count() == before


def test_an_old_row_whose_parameters_are_missing_shows_the_text_it_was_stored_with(cast):
    event = TimelineEvent.objects.create(
        enrollment=cast.enrollment,
        kind="program.stage_changed",
        data={"text": "Moved on to stage 2: Abstinence (as written then)"},
    )
    assert event.summary == "Moved on to stage 2: Abstinence (as written then)"


def test_an_event_of_an_app_no_longer_installed_still_reads(cast):
    event = TimelineEvent.objects.create(
        enrollment=cast.enrollment, kind="gone.app_event", data={"text": "Something happened"}
    )
    assert event.summary == "Something happened"


def test_reads_are_audited_as_views_and_exports(cast):
    events.record_view(actor=cast.clinician, enrollment=cast.enrollment, what="measures")
    events.record_view(
        actor=cast.clinician, enrollment=cast.enrollment, what="measure export", export=True
    )
    assert AuditEvent.objects.filter(what="measures", action="view").count() == 1
    assert AuditEvent.objects.filter(what="measure export", action="export").count() == 1
    # and a client reading their own record leaves nothing
    assert events.record_view(actor=cast.client, enrollment=cast.enrollment, what="x") is None


def _raw(event: TimelineEvent) -> tuple[str, str]:
    """The row as the database holds it: data and the private column, undecrypted."""
    from django.db import connection

    with connection.cursor() as cursor:
        cursor.execute(
            f"SELECT data, private FROM {TimelineEvent._meta.db_table} WHERE id = %s",  # noqa: S608
            [event.pk],
        )
        data, private = cursor.fetchone()
    return str(data), str(private)


def test_what_the_reading_was_about_is_stored_encrypted_and_read_back_in_words(cast):
    from waypost.learn import content
    from waypost.learn import services as reading

    module = next(iter(content.library()))
    # given a clinician assigns a module
    reading.assign_module(enrollment=cast.enrollment, module=module, by=cast.clinician)
    event = cast.enrollment.timeline.get(kind="learn.module_assigned")
    # then the module's key is not in clear anywhere in the row
    data, private = _raw(event)
    assert module.slug not in data
    assert module.slug not in private
    assert private.startswith("fernet:")
    # and the timeline still says which module, in words
    assert module.title in TimelineEvent.objects.get(pk=event.pk).summary


def test_private_parameters_of_a_kind_are_kept_apart_from_the_rest(cast):
    events.register(
        EventKind(
            "tests.private",
            label="Private",
            text="%(topic)s, %(count)d",
            private=("topic",),
        )
    )
    event = events.record(
        enrollment=cast.enrollment,
        kind="tests.private",
        actor=cast.client,
        data={"topic": "something intimate", "count": 3},
    )
    stored = TimelineEvent.objects.get(pk=event.pk)
    assert stored.data == {"count": 3}
    assert stored.private_data == {"topic": "something intimate"}
    assert stored.summary == "something intimate, 3"
    assert "intimate" not in "".join(_raw(event))
