"""Shared test set-up: an isolated data directory and the fixed cast of roles.

Settings are loaded after this module is imported (see pyproject: no
DJANGO_SETTINGS_MODULE in the ini), so the environment below is in place
before Django reads it.
"""

from __future__ import annotations

import os
import tempfile
import threading

os.environ.setdefault("DJANGO_SETTINGS_MODULE", "waypost.settings")
os.environ["WAYPOST_DATA_DIR"] = tempfile.mkdtemp(prefix="waypost-test-")
os.environ["WAYPOST_TASKS_IMMEDIATE"] = "1"
os.environ.setdefault("WAYPOST_ALLOWED_HOSTS", "testserver,localhost,127.0.0.1")

import django  # noqa: E402
import pytest  # noqa: E402
from django.core.servers.basehttp import ThreadedWSGIServer  # noqa: E402
from django.test.testcases import LiveServerThread  # noqa: E402
from hypothesis import settings as hypothesis_settings  # noqa: E402

django.setup()

# Property tests: "dev" tries more cases on a developer's machine; "ci" (chosen when CI
# is set) fewer, so two full runs stay quick on a 2-core machine, with no deadline
# (a loaded CI machine makes timings meaningless) and no example database to write.
# HYPOTHESIS_PROFILE=name picks one explicitly. A test's own @settings(max_examples=…)
# still wins over the profile.
hypothesis_settings.register_profile("dev", max_examples=100, deadline=None)
hypothesis_settings.register_profile(
    "ci", max_examples=30, deadline=None, database=None, print_blob=True
)
hypothesis_settings.load_profile(
    os.environ.get("HYPOTHESIS_PROFILE") or ("ci" if os.environ.get("CI") else "dev")
)


class _OneRequestAtATime(ThreadedWSGIServer):
    """The browser tests' live server, one request at a time while its threads share the
    test's database connection (SQLite in memory: ``connections_override``).

    A page and its service worker (or two tabs replaying what waited offline) send
    requests at once; on one shared SQLite connection, a second request's savepoint
    while the first one's statement is still open fails ("cannot open savepoint - SQL
    statements in progress") and the page gets a 500 that a real server, with a
    connection per thread, never gives. PostgreSQL gets a connection per thread.
    The lock is taken per request (the application and its response body), not per
    connection: a browser keeps connections open between requests.
    """

    def set_app(self, application):  # type: ignore[no-untyped-def]
        if not self.connections_override:
            super().set_app(application)
            return
        lock = threading.Lock()

        def one_at_a_time(environ, start_response):  # type: ignore[no-untyped-def]
            with lock:
                response = application(environ, start_response)
                try:
                    return [b"".join(response)]
                finally:
                    if hasattr(response, "close"):
                        response.close()

        super().set_app(one_at_a_time)


LiveServerThread.server_class = _OneRequestAtATime


@pytest.fixture(autouse=True)
def _fast_and_quiet(settings):
    settings.PASSWORD_HASHERS = ["django.contrib.auth.hashers.MD5PasswordHasher"]
    settings.EMAIL_BACKEND = "django.core.mail.backends.locmem.EmailBackend"
    # A fresh in-memory cache per test, so login throttling counts never leak.
    settings.CACHES = {
        "default": {
            "BACKEND": "django.core.cache.backends.locmem.LocMemCache",
            "LOCATION": os.urandom(8).hex(),
        }
    }


_cast_snapshot = None


@pytest.fixture
def cast(db):
    """A client, their clinician, another clinician, a clinician elsewhere, an admin, allies.

    Built through the real services once per test process, and written back from that
    snapshot for every later test (tests/snapshot.py: same rows, ids and moment).
    """
    global _cast_snapshot
    from tests.cast import build_cast
    from tests.snapshot import Snapshot

    if _cast_snapshot is None:
        _cast_snapshot = Snapshot(build_cast)
    return _cast_snapshot()


@pytest.fixture
def demo(db, settings, tmp_path):
    """The demo clinic, loaded now: ``(now, client)``; ``client(n)`` is client n's enrolment."""
    from django.utils import timezone

    from waypost.demo import load_demo
    from waypost.program.models import Enrollment

    settings.MEDIA_ROOT = tmp_path
    now = timezone.now()
    load_demo(now=now)
    enrollments = {e.client.email: e for e in Enrollment.objects.select_related("client")}
    return now, lambda n: enrollments[f"client{n}@demo.waypost.test"]


def pytest_xdist_auto_num_workers(config):
    """``-n auto`` (pyproject): a worker per core for folders, the whole suite by default.

    For named test files or tests (``pytest tests/x/test_y.py::test_z``) starting
    workers costs more than it saves, so those run in this one process.
    PYTEST_XDIST_AUTO_NUM_WORKERS or an explicit ``-n N`` still decide.
    """
    if os.environ.get("PYTEST_XDIST_AUTO_NUM_WORKERS"):
        return None
    if config.args and all(".py" in arg for arg in config.args):
        return 0
    return None  # xdist's own answer: the number of cores


# Fixtures through which a test reaches the database (``cast`` and the like depend on
# ``db``, so a test's fixture closure names one of these when it touches it).
_DATABASE_FIXTURES = frozenset({"db", "transactional_db", "django_db_setup", "live_server"})


def uses_database(item: pytest.Item) -> bool:
    """Does this test touch the database (a ``django_db`` mark or a database fixture)?"""
    if item.get_closest_marker("django_db") is not None:
        return True
    return bool(_DATABASE_FIXTURES.intersection(getattr(item, "fixturenames", ())))


def pytest_collection_modifyitems(config, items):
    """With WAYPOST_TESTS_DATABASE_ONLY set, run only the tests that touch the database.

    CI runs the suite on SQLite, then again on PostgreSQL for what the database changes:
    a test that never opens it (scoring, blocklists, the DNS wire format …) would only
    repeat itself there.
    """
    if not os.environ.get("WAYPOST_TESTS_DATABASE_ONLY"):
        return
    keep = [item for item in items if uses_database(item)]
    if len(keep) < len(items):
        config.hook.pytest_deselected(items=[item for item in items if not uses_database(item)])
        items[:] = keep
