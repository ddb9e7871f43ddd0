"""A response is imported once into a client's record, and only their record says so.

Two imports of the same file at the same moment store it once and tell the other
"already imported" (never a 500). A response whose id another clinic's client already
has neither blocks the import nor shows that it exists: the import goes ahead exactly as
for a response Waypost has never seen.
"""

from __future__ import annotations

import json
import re
import sqlite3
import threading
import time
import uuid
from datetime import timedelta

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.db import connection, connections, transaction
from django.test import Client
from django.urls import reverse
from django.utils import timezone

from tests.assessments.helpers import PHQ9_8, PHQ9_17, page, sign_in
from waypost.assessments import fhir, services
from waypost.assessments.models import Administration
from waypost.core.models import TimelineEvent

ALREADY = "This response has already been imported."


def _upload(browser, enrollment, content: str):
    browser.raise_request_exception = False  # a crash must show as the 500 it would be
    return browser.post(
        reverse("assessments:import", args=[enrollment.pk]),
        {"file": SimpleUploadedFile("r.json", content.encode(), content_type="application/json")},
    )


def _completed(enrollment, answers, days_ago: int = 2) -> Administration:
    return services.record_completed(
        enrollment=enrollment,
        instrument_id="phq-9",
        answers=answers,
        at=timezone.now() - timedelta(days=days_ago),
    )


def _said(browser, response) -> list[str]:
    """The messages on the page the import led to."""
    return re.findall(
        r'<p class="message[^"]*">([^<]*)</p>', page(browser.get(response["Location"]))
    )


# --- another clinic's response ---------------------------------------------------------


@pytest.mark.django_db
def test_a_response_another_clinics_client_has_imports_as_if_never_seen(cast, client):
    # given a PHQ-9 that a client of the south clinic completed, exported and carried north
    theirs = _completed(cast.foreign_enrollment, PHQ9_17)
    carried = json.dumps(fhir.questionnaire_response(theirs))
    # and, to compare with, the same answers in a response Waypost has never seen
    never_seen = fhir.questionnaire_response(theirs)
    never_seen["id"] = str(uuid.uuid4())
    browser = sign_in(client, cast.clinician)
    # when the north clinician imports both for their own client
    fresh = _upload(browser, cast.enrollment, json.dumps(never_seen))
    fresh_said = _said(browser, fresh)
    carried_response = _upload(browser, cast.enrollment, carried)
    # then the carried one is imported exactly as the one never seen: same answer, same words
    assert carried_response.status_code == fresh.status_code == 302
    assert carried_response["Location"] == fresh["Location"]
    assert _said(browser, carried_response) == fresh_said
    assert fresh_said and fresh_said[0].startswith("Imported PHQ-9 from ")
    # and it keeps its id in the north record, while the south record is untouched
    north = Administration.objects.get(enrollment=cast.enrollment, uuid=theirs.uuid)
    assert north.answers == theirs.answers and north.total == 17
    south = Administration.objects.get(enrollment=cast.foreign_enrollment)
    assert (south.pk, south.uuid, south.answers) == (theirs.pk, theirs.uuid, theirs.answers)


@pytest.mark.django_db
def test_the_other_way_round_a_north_response_imports_in_the_south(cast, client):
    # given north's client's PHQ-9, exported
    ours = _completed(cast.enrollment, PHQ9_8)
    exported = json.dumps(fhir.questionnaire_response(ours))
    # when the south clinician imports it for their own client
    response = _upload(sign_in(client, cast.foreign_clinician), cast.foreign_enrollment, exported)
    # then it is imported, not "already imported"
    assert response.status_code == 302
    assert Administration.objects.filter(uuid=ours.uuid).count() == 2


@pytest.mark.django_db
def test_a_second_import_into_the_same_record_is_already_imported(cast, client):
    # given a response from the south clinic, imported once into the north client's record
    exported = json.dumps(fhir.questionnaire_response(_completed(cast.foreign_enrollment, PHQ9_8)))
    browser = sign_in(client, cast.clinician)
    assert _upload(browser, cast.enrollment, exported).status_code == 302
    events = TimelineEvent.objects.count()
    # when it is imported into the same record again
    again = _upload(browser, cast.enrollment, exported)
    # then that record (and only that one) knows it has it
    assert again.status_code == 400
    assert ALREADY in page(again)
    assert Administration.objects.filter(enrollment=cast.enrollment).count() == 1
    assert TimelineEvent.objects.count() == events


@pytest.mark.django_db
def test_the_service_checks_the_id_within_the_client_record(cast):
    # given a form in the south record
    theirs = _completed(cast.foreign_enrollment, PHQ9_8)
    # when the same id is recorded for north's client, it is kept
    ours = services.record_completed(
        enrollment=cast.enrollment,
        instrument_id="phq-9",
        answers=PHQ9_8,
        at=theirs.completed_at,
        source=Administration.Source.IMPORT,
        uuid=theirs.uuid,
    )
    assert ours.uuid == theirs.uuid and ours.enrollment == cast.enrollment
    # and a second time for north's client it is refused
    with pytest.raises(services.MeasureError, match="already been imported"):
        services.record_completed(
            enrollment=cast.enrollment,
            instrument_id="phq-9",
            answers=PHQ9_8,
            at=theirs.completed_at,
            source=Administration.Source.IMPORT,
            uuid=theirs.uuid,
        )


# --- at the same moment ----------------------------------------------------------------


@pytest.fixture
def shared_database(tmp_path):
    """One database that threads really share.

    PostgreSQL as it is. SQLite's in-memory test database is copied to a file for this
    test: on an in-memory (shared-cache) database a second writer fails at once with
    "table is locked" instead of waiting its turn as it does on the real, file database.
    """
    if connection.vendor != "sqlite" or not connection.is_in_memory_db():
        yield
        return
    memory = connections["default"]
    memory.ensure_connection()
    path = tmp_path / "shared.sqlite3"
    target = sqlite3.connect(path)
    memory.connection.backup(target)
    target.close()
    dicts = {id(d): d for d in (memory.settings_dict, connections.settings["default"])}
    name = memory.settings_dict["NAME"]
    for settings_dict in dicts.values():
        settings_dict["NAME"] = str(path)
    connections["default"] = connections.create_connection("default")
    try:
        yield
    finally:
        connections["default"].close()
        for settings_dict in dicts.values():
            settings_dict["NAME"] = name
        # the in-memory database was never closed, so it is still there to go back to
        connections["default"] = memory


@pytest.fixture
def shared_cast(shared_database):
    from tests.cast import build_cast

    return build_cast()


def _in_thread(target, *args) -> threading.Thread:
    def run() -> None:
        try:
            target(*args)
        finally:
            connections.close_all()  # this thread's own connections

    thread = threading.Thread(target=run)
    thread.start()
    return thread


def _exported_elsewhere(cast) -> str:
    """A PHQ-9 exported by another Waypost: not stored here."""
    done = _completed(cast.enrollment, PHQ9_17)
    exported = json.dumps(fhir.questionnaire_response(done))
    Administration.objects.filter(pk=done.pk).delete()
    return exported


def _browser(cast) -> Client:
    browser = Client()
    browser.force_login(cast.clinician)
    return browser


@pytest.mark.django_db(transaction=True)
def test_an_import_while_the_same_file_is_being_imported_is_told_already_imported(shared_cast):
    cast = shared_cast
    exported = _exported_elsewhere(cast)
    first, second = _browser(cast), _browser(cast)
    saved = threading.Event()
    answers: dict[str, object] = {}

    def import_and_linger() -> None:
        # given the first import has stored the form but not yet committed it
        try:
            with transaction.atomic():
                answers["first"] = _upload(first, cast.enrollment, exported)
                saved.set()
                time.sleep(1.0)  # the second import arrives meanwhile
        finally:
            saved.set()

    def import_meanwhile() -> None:
        # when the same file is imported again before the first is committed
        saved.wait(10)
        answers["second"] = _upload(second, cast.enrollment, exported)

    threads = [_in_thread(import_and_linger), _in_thread(import_meanwhile)]
    for thread in threads:
        thread.join(30)
    # then the first is stored, and the second is told, not a server error
    assert answers["first"].status_code == 302
    assert answers["second"].status_code == 400, page(answers["second"])[:300]
    assert ALREADY in page(answers["second"])
    assert Administration.objects.filter(enrollment=cast.enrollment).count() == 1


@pytest.mark.django_db(transaction=True)
def test_two_imports_of_the_same_file_at_once_store_one(shared_cast):
    cast = shared_cast
    exported = _exported_elsewhere(cast)
    completed_before = TimelineEvent.objects.filter(kind="assessments.completed").count()
    browsers = [_browser(cast) for _ in range(3)]
    start = threading.Barrier(len(browsers))
    answers: list[object] = []

    def import_at_once(browser) -> None:
        start.wait(10)
        answers.append(_upload(browser, cast.enrollment, exported))

    # when three imports of the same file start at the same moment
    threads = [_in_thread(import_at_once, browser) for browser in browsers]
    for thread in threads:
        thread.join(30)
    # then one is stored and the others are told it is already imported
    codes = sorted(response.status_code for response in answers)
    assert codes == [302, 400, 400]
    assert all(ALREADY in page(r) for r in answers if r.status_code == 400)
    assert Administration.objects.filter(enrollment=cast.enrollment).count() == 1
    completed_after = TimelineEvent.objects.filter(kind="assessments.completed").count()
    assert completed_after == completed_before + 1
