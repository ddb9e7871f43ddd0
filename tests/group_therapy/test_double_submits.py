"""Double submits at the same moment: a second press waits for the first, then agrees with it.

On PostgreSQL two requests really run side by side: without a lock the second reads
"nothing there yet", then trips over the first one's row (a unique constraint) and
fails. Each test holds the first write open in a transaction while the second arrives.
SQLite lets one writer at a time in (``BEGIN IMMEDIATE``), so there the second simply
waits; the tests run on both.
"""

from __future__ import annotations

import sqlite3
import threading
import time
from datetime import UTC, date, datetime, timedelta

import pytest
from django.db import connection, connections, transaction

from tests.group_therapy.helpers import make_group
from waypost.connect.groups import feeds, services
from waypost.connect.groups.models import Attendance, CalendarFeed, GroupSession

PAST = datetime(2030, 3, 2, 5, tzinfo=UTC)  # Sat 2 March, 13:00 in Singapore
LINGER = 1.0  # seconds the first write stays uncommitted while the second arrives


@pytest.fixture
def shared_database(tmp_path):
    """One database that threads really share.

    PostgreSQL as it is. SQLite's in-memory test database is copied to a file for these
    tests: on an in-memory (shared-cache) database a second writer fails at once with
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


def _side_by_side(first, second) -> dict[str, object]:
    """Run ``first`` in a transaction kept open a moment, and ``second`` meanwhile.

    Each answer (or the exception it raised) is returned under "first" and "second".
    """
    written = threading.Event()
    answers: dict[str, object] = {}

    def run(name: str, work) -> None:
        try:
            answers[name] = work()
        except Exception as exc:  # the answer to check: a double submit must not fail
            answers[name] = exc
        finally:
            written.set()
            connections.close_all()  # this thread's own connections

    def first_and_linger() -> object:
        with transaction.atomic():
            answer = first()
            written.set()
            time.sleep(LINGER)  # the second press arrives meanwhile
        return answer

    def second_meanwhile() -> object:
        written.wait(10)
        return second()

    threads = [
        threading.Thread(target=run, args=("first", first_and_linger)),
        threading.Thread(target=run, args=("second", second_meanwhile)),
    ]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join(30)
    return answers


@pytest.mark.django_db(transaction=True)
def test_two_presses_on_one_attendance_button_keep_one_mark(shared_cast):
    cast = shared_cast
    # given a session with something already recorded (its row exists)
    programme = make_group(cast, members=(cast.enrollment,), starts_on=date(2030, 2, 1))
    GroupSession.objects.create(programme=programme, original_start=PAST)

    def press(status: str):
        return lambda: services.take_attendance(
            programme=programme,
            original=PAST,
            enrollment=cast.enrollment,
            status=status,
            by=cast.clinician,
            at=PAST + timedelta(hours=1),
        )

    # when the facilitator's "present" is sent twice at once, then "absent" twice at once
    present = _side_by_side(press("present"), press("present"))
    absent = _side_by_side(press("absent"), press("absent"))
    # then every press is answered with the one mark, as it was last set
    for answers in (present, absent):
        assert isinstance(answers["first"], Attendance), answers["first"]
        assert isinstance(answers["second"], Attendance), answers["second"]
        assert answers["first"].pk == answers["second"].pk
    assert list(Attendance.objects.values_list("status", flat=True)) == ["absent"]


@pytest.mark.django_db(transaction=True)
def test_two_presses_on_make_a_new_address_leave_one_open(shared_cast):
    cast = shared_cast

    def renew():
        return feeds.renew_feed(user=cast.client)

    # when "Make a new address" is sent twice at once, with no address yet, then again
    for _round in range(2):
        answers = _side_by_side(renew, renew)
        # then both are answered, and only the address given last works
        assert isinstance(answers["first"], tuple), answers["first"]
        assert isinstance(answers["second"], tuple), answers["second"]
        (_first, first_raw), (_second, second_raw) = answers["first"], answers["second"]
        assert feeds.find_feed(first_raw).gone
        assert feeds.find_feed(second_raw).user == cast.client
    assert CalendarFeed.objects.filter(user=cast.client, revoked_at__isnull=True).count() == 1
    assert CalendarFeed.objects.filter(user=cast.client).count() == 4
