"""Importing a feed into a clinic's directory: identity by slug, nothing lost, nothing wiped."""

from __future__ import annotations

import functools
import http.server
import threading
from collections.abc import Iterator
from datetime import timedelta

import pytest
from django.utils import timezone

from tests.meetings.helpers import entry, feed, file_source, log, web_source
from waypost.connect.meetings import selectors, services
from waypost.connect.meetings.imports import import_feed
from waypost.connect.meetings.models import Favourite, Meeting, MeetingSource

pytestmark = pytest.mark.django_db


def _state(clinic) -> list[tuple]:
    return list(
        Meeting.objects.filter(clinic=clinic)
        .order_by("slug")
        .values_list("slug", "name", "active", "fingerprint", "changed_at")
    )


def test_a_first_import_lists_every_good_meeting_and_keeps_the_report(cast):
    source = file_source(cast.clinic, fellowship="SA")
    report = import_feed(
        source=source, raw=feed(entry("a"), entry("b", fellowship="SLAA"), entry("c", time="25:00"))
    )
    assert (report.imported, report.updated, report.unchanged) == (2, 0, 0)
    assert [(slug, p.code) for slug, p in report.rejected] == [("c", "bad_time")]
    meetings = {m.slug: m for m in Meeting.objects.filter(clinic=cast.clinic)}
    assert meetings["a"].fellowship == "SA"  # the source's
    assert meetings["b"].fellowship == "SLAA"  # its own
    source.refresh_from_db()
    assert source.last_outcome == MeetingSource.Outcome.PARTIAL
    assert source.last_report["rejected"] == [
        {"slug": "c", "code": "bad_time", "params": {"field": "time", "value": "25:00"}}
    ]
    assert report.summary() == {
        "imported": 2,
        "updated": 0,
        "unchanged": 0,
        "rejected": [
            {"slug": "c", "reason": "Its time 25:00 is not a time of day such as 19:00 or 7:00 PM."}
        ],
    }


def test_the_same_slug_updates_the_same_meeting_so_favourites_and_the_log_survive(cast):
    source = file_source(cast.clinic)
    import_feed(source=source, raw=feed(entry("tuesday", name="Tuesday Group")))
    meeting = Meeting.objects.get(slug="tuesday")
    services.set_favourite(
        enrollment=cast.enrollment, meeting=meeting, favourite=True, by=cast.client
    )
    logged = log(cast, meeting)
    report = import_feed(
        source=source, raw=feed(entry("tuesday", name="Tuesday Group (new room)", day=3))
    )
    assert (report.imported, report.updated) == (0, 1)
    meeting.refresh_from_db()
    assert (meeting.pk, meeting.name, meeting.days) == (meeting.pk, "Tuesday Group (new room)", [3])
    assert selectors.favourites_of(cast.enrollment) == [meeting]
    logged.refresh_from_db()
    assert logged.meeting_id == meeting.pk


def test_an_unchanged_meeting_is_left_alone(cast):
    source = file_source(cast.clinic)
    import_feed(source=source, raw=feed(entry("a"), entry("b")))
    before = _state(cast.clinic)
    report = import_feed(source=source, raw=feed(entry("a"), entry("b")))
    assert (report.imported, report.updated, report.unchanged) == (0, 0, 2)
    assert _state(cast.clinic) == before


def test_a_meeting_that_leaves_the_feed_is_hidden_not_deleted_and_comes_back(cast):
    source = file_source(cast.clinic)
    import_feed(source=source, raw=feed(entry("stays"), entry("goes")))
    goes = Meeting.objects.get(slug="goes")
    services.set_favourite(enrollment=cast.enrollment, meeting=goes, favourite=True, by=cast.client)
    report = import_feed(source=source, raw=feed(entry("stays")))
    assert report.deactivated == 1
    goes.refresh_from_db()
    assert not goes.active and goes.missing_since is not None
    assert [m.slug for m in selectors.listed(cast.clinic)] == ["stays"]
    assert Favourite.objects.filter(meeting=goes).exists()  # kept, for its history
    report = import_feed(source=source, raw=feed(entry("stays"), entry("goes")))
    assert report.updated == 1
    goes.refresh_from_db()
    assert goes.active and goes.missing_since is None


def test_a_refused_meeting_keeps_its_last_good_version(cast):
    source = file_source(cast.clinic)
    import_feed(source=source, raw=feed(entry("a", name="Good name")))
    report = import_feed(source=source, raw=feed(entry("a", name="Good name", time="31:00")))
    assert report.deactivated == 0 and len(report.rejected) == 1
    meeting = Meeting.objects.get(slug="a")
    assert meeting.active and meeting.name == "Good name"


@pytest.mark.parametrize(
    ("raw", "code"),
    [
        (b"not json at all", "not_json"),
        (b'{"meetings": []}', "not_a_list"),
        (b"\xff\xfe\xfd", "not_utf8"),
        (b"[" * 50_000, "too_deep"),
        (b"[]", "no_meetings"),
    ],
)
def test_a_feed_that_cannot_be_read_changes_nothing(cast, raw, code):
    source = file_source(cast.clinic)
    import_feed(source=source, raw=feed(entry("a"), entry("b")))
    before = _state(cast.clinic)
    report = import_feed(source=source, raw=raw)
    assert not report.read and report.error is not None and report.error.code == code
    assert _state(cast.clinic) == before
    source.refresh_from_db()
    assert source.last_outcome == MeetingSource.Outcome.FAILED
    assert source.last_report["error"]["code"] == code


def test_an_empty_first_feed_is_simply_empty(cast):
    report = import_feed(source=file_source(cast.clinic), raw=b"[]")
    assert report.read and report.imported == 0


def test_another_sources_slug_is_refused_not_taken_over(cast):
    first = file_source(cast.clinic, name="First")
    second = file_source(cast.clinic, name="Second")
    import_feed(source=first, raw=feed(entry("shared", name="First's")))
    report = import_feed(source=second, raw=feed(entry("shared", name="Second's"), entry("own")))
    assert [(slug, p.code) for slug, p in report.rejected] == [("shared", "slug_taken")]
    assert Meeting.objects.get(slug="shared").name == "First's"


def test_clinics_are_kept_apart(cast):
    import_feed(source=file_source(cast.clinic), raw=feed(entry("same-slug", name="North")))
    import_feed(source=file_source(cast.other_clinic), raw=feed(entry("same-slug", name="South")))
    assert [m.name for m in selectors.listed(cast.clinic)] == ["North"]
    assert [m.name for m in selectors.listed(cast.other_clinic)] == ["South"]


def test_the_source_zone_or_else_the_clinics_applies_to_meetings_without_one(cast):
    source = file_source(cast.clinic, time_zone="Europe/Paris")
    import_feed(source=source, raw=feed(entry("a", timezone=None)))
    assert Meeting.objects.get(slug="a").time_zone == "Europe/Paris"
    other = file_source(cast.clinic, name="Other")
    import_feed(source=other, raw=feed(entry("b", timezone=None)))
    assert Meeting.objects.get(slug="b").time_zone == "Asia/Singapore"  # the clinic's


def test_removing_a_source_keeps_only_what_someone_logged(cast):
    source = file_source(cast.clinic)
    import_feed(source=source, raw=feed(entry("logged"), entry("plain")))
    log(cast, Meeting.objects.get(slug="logged"))
    gone = services.remove_source(source=source, by=cast.admin)
    assert gone == 2
    assert list(Meeting.objects.values_list("slug", "active")) == [("logged", False)]
    assert not MeetingSource.objects.filter(pk=source.pk).exists()


# --- from the web --------------------------------------------------------------------------


class _Feed(http.server.BaseHTTPRequestHandler):
    bodies: dict[str, tuple[int, bytes, dict[str, str]]] = {}

    def do_GET(self):  # noqa: N802 - the standard library's name
        status, body, headers = self.bodies.get(self.path, (404, b"not found", {}))
        self.send_response(status)
        for name, value in headers.items():
            self.send_header(name, value)
        self.send_header("Content-Length", str(len(body)))
        self.end_headers()
        self.wfile.write(body)

    def log_message(self, *args):
        pass


@pytest.fixture
def web(monkeypatch) -> Iterator[str]:
    # The test server is on 127.0.0.1: fetching from it needs the documented opt-in.
    monkeypatch.setenv("WAYPOST_MEETING_FEEDS_ALLOW_PRIVATE", "true")
    server = http.server.ThreadingHTTPServer(("127.0.0.1", 0), _Feed)
    thread = threading.Thread(target=server.serve_forever, daemon=True)
    thread.start()
    host, port = server.server_address[:2]
    _Feed.bodies = {}
    yield f"http://{host}:{port}"
    server.shutdown()
    server.server_close()


def test_a_web_feed_is_fetched_and_imported(cast, web):
    _Feed.bodies["/feed.json"] = (200, feed(entry("a"), entry("b")), {})
    source = web_source(cast.clinic, f"{web}/feed.json")
    now = timezone.now()
    report = import_feed(source=source, now=now)
    assert report.imported == 2
    source.refresh_from_db()
    assert source.next_refresh_at == now + timedelta(hours=12)


@pytest.mark.parametrize(
    ("path", "response", "code"),
    [
        ("/missing.json", None, "http_status"),
        ("/redirect.json", (302, b"", {"Location": "file:///etc/passwd"}), "bad_redirect"),
        ("/ftp.json", (301, b"", {"Location": "ftp://example.org/feed.json"}), "bad_redirect"),
        ("/huge.json", (200, b"[" + b" " * 64 + b"]", {}), "too_large"),
    ],
)
def test_a_web_feed_that_cannot_be_fetched_changes_nothing(
    cast, web, monkeypatch, path, response, code
):
    from waypost.connect.meetings import fetch, imports

    if response is not None:
        _Feed.bodies[path] = response
    # a small size cap, so "too large" needs no 5 MB body
    monkeypatch.setattr(imports, "fetch", functools.partial(fetch.fetch, max_bytes=32))
    source = web_source(cast.clinic, f"{web}{path}")
    import_feed(source=file_source(cast.clinic), raw=feed(entry("kept")))
    before = _state(cast.clinic)
    now = timezone.now()
    report = import_feed(source=source, now=now)
    assert report.error is not None and report.error.code == code
    assert _state(cast.clinic) == before
    source.refresh_from_db()
    assert source.next_refresh_at == now + timedelta(hours=2)  # tried again sooner


def test_only_web_addresses_are_fetched(cast):
    from waypost.connect.meetings.fetch import FetchError, fetch

    for url in ("file:///etc/passwd", "ftp://example.org/feed.json", "javascript:alert(1)"):
        with pytest.raises(FetchError) as caught:
            fetch(url)
        assert caught.value.problem.code == "bad_scheme"
