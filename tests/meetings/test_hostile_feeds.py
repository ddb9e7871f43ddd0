"""A hostile or broken feed never stops an import: the clinic page, the command line and the
worker all end with a report, and one bad source never keeps the worker from the next."""

from __future__ import annotations

import json
import logging
from datetime import timedelta

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.urls import reverse
from django.utils import timezone

from tests.meetings.helpers import entry, feed, file_source, web_source
from waypost import cli
from waypost.connect.meetings import imports, reasons
from waypost.connect.meetings.feed import FeedError, parse
from waypost.connect.meetings.models import Meeting, MeetingSource
from waypost.connect.meetings.tasks import refresh_due

pytestmark = pytest.mark.django_db

# "²" is a digit to str.isdigit(), but int() refuses it.
SUPERSCRIPT_DAY = feed(entry("squared", day="²"), entry("fine"))


def _nested(depth: int) -> bytes:
    """A feed whose one meeting has a time nested ``depth`` arrays deep, and a good meeting."""
    deep = "[" * depth + "]" * depth
    return (
        f'[{{"name": "Deep", "slug": "deep", "day": 1, "time": {deep}}}, '.encode()
        + feed(entry("fine"))[1:]
    )


def _deepest_first(read, start: int = 1000, lowest: int = 600):
    """Call ``read(depth)`` from ``start`` down until the feed is not refused whole as too deep.

    How deep ``json.loads`` can go depends on how deep the stack already is (a page is
    deeper than a test), so the first depth it takes is found here. Just below that, the
    old reader crashed quoting the value; now the meeting is refused with its reason.
    """
    for depth in range(start, lowest, -1):
        result = read(depth)
        if result is not None:
            return depth, result
    raise AssertionError("no depth was read")


# --- the reader ------------------------------------------------------------------------------


def test_a_day_written_in_other_digits_is_refused_not_a_crash():
    result = parse(SUPERSCRIPT_DAY, time_zone="UTC")
    assert [m.slug for m in result.meetings] == ["fine"]
    (refused,) = result.rejected
    assert (refused.slug, refused.problem.code) == ("squared", "bad_day")
    assert reasons.describe(refused.problem.code, refused.problem.params) == (
        "Its day ² is not 0 (Sunday) to 6 (Saturday)."
    )


@pytest.mark.parametrize("written", ["٣", "３", "𝟑"])
def test_only_ascii_digits_are_days(written):
    result = parse(feed(entry("other-digits", day=written)), time_zone="UTC")
    assert [r.problem.code for r in result.rejected] == ["bad_day"]


@pytest.mark.parametrize("written", ["１９:００", "١٩:٠٠", "7:٠٠ PM"])
def test_only_ascii_digits_are_times(written):
    result = parse(feed(entry("other-digits", time=written)), time_zone="UTC")
    assert [r.problem.code for r in result.rejected] == ["bad_time"]


def _parse_or_none(depth: int):
    try:
        return parse(_nested(depth), time_zone="UTC")
    except FeedError as exc:
        assert exc.problem.code == "too_deep"
        return None


def test_a_meeting_nested_as_deep_as_json_allows_is_refused_with_a_reason():
    _depth, result = _deepest_first(_parse_or_none)
    assert [m.slug for m in result.meetings] == ["fine"]
    (refused,) = result.rejected
    assert (refused.slug, refused.problem.code) == ("deep", "too_deep_entry")
    assert "nested too deeply" in reasons.describe(refused.problem.code, refused.problem.params)


@pytest.mark.parametrize("depth", [40, 200])
def test_any_deeply_nested_meeting_is_refused_whatever_the_stack(depth):
    result = parse(_nested(depth), time_zone="UTC")
    assert [(r.slug, r.problem.code) for r in result.rejected] == [("deep", "too_deep_entry")]


def test_a_meeting_nested_a_little_is_judged_on_its_fields():
    result = parse(_nested(3), time_zone="UTC")
    assert [(r.slug, r.problem.code) for r in result.rejected] == [("deep", "bad_time")]


def test_an_entry_that_breaks_the_reader_is_refused_and_the_rest_are_taken(monkeypatch):
    from waypost.connect.meetings import feed as feed_module

    real = feed_module.read_types

    def fragile(value):
        if value == ["BOOM"]:
            raise TypeError("a reader's own mistake")
        return real(value)

    monkeypatch.setattr(feed_module, "read_types", fragile)
    result = parse(feed(entry("boom", types=["BOOM"]), entry("fine")), time_zone="UTC")
    assert [m.slug for m in result.meetings] == ["fine"]
    assert [(r.slug, r.problem.code) for r in result.rejected] == [("boom", "unreadable_entry")]


def test_lone_surrogates_never_reach_the_database_or_the_report(cast):
    raw = (
        b'[{"name": "Half \\ud800 moon", "slug": "half", "day": 1, "time": "19:00",'
        b' "notes": "a \\udfff b", "region": "\\ud83d"},'
        b' {"name": "x", "slug": "bad\\ud800slug", "day": 1, "time": "19:00"},'
        b' {"name": "y", "slug": "z", "day": "\\ud800", "time": "19:00"}]'
    )
    source = file_source(cast.clinic)
    report = imports.import_feed(source=source, raw=raw)
    assert report.imported == 1
    meeting = Meeting.objects.get(slug="half")
    assert meeting.name == "Half \ufffd moon" and meeting.notes == "a \ufffd b"
    assert meeting.region == "\ufffd"
    assert sorted(code for _slug, code in [(s, p.code) for s, p in report.rejected]) == [
        "bad_day",
        "bad_slug",
    ]
    # what the page and the command line show can be written out as UTF-8
    json.dumps(report.summary(), ensure_ascii=False).encode("utf-8")
    source.refresh_from_db()
    json.dumps(source.last_report, ensure_ascii=False).encode("utf-8")


# --- the clinic page --------------------------------------------------------------------------


def _upload(content: bytes) -> SimpleUploadedFile:
    return SimpleUploadedFile("list.json", content, content_type="application/json")


def test_add_a_list_with_a_superscript_day_reports_it_instead_of_failing(cast, as_user):
    response = as_user(cast.admin).post(
        reverse("meetings:clinic_source_new", args=[cast.clinic.slug]),
        {"name": "Hostile", "fellowship": "SA", "upload": _upload(SUPERSCRIPT_DAY)},
        follow=True,
    )
    assert response.status_code == 200
    page = response.content.decode()
    assert "1 new, 0 changed, 0 unchanged" in page
    assert "<code>squared</code>: Its day ² is not 0 (Sunday) to 6 (Saturday)." in page
    assert list(Meeting.objects.values_list("slug", flat=True)) == ["fine"]


def test_import_now_with_a_deeply_nested_meeting_reports_it_instead_of_failing(cast, as_user):
    source = file_source(cast.clinic)
    browser = as_user(cast.admin)
    url = reverse("meetings:clinic_source_import", args=[cast.clinic.slug, source.pk])

    def post(depth: int):
        response = browser.post(url, {"upload": _upload(_nested(depth))})
        assert response.status_code == 302
        source.refresh_from_db()
        error = source.last_report["error"]
        if error is not None:
            assert error["code"] == "too_deep"
            return None
        return source.last_report

    _depth, kept = _deepest_first(post)
    assert [(r["slug"], r["code"]) for r in kept["rejected"]] == [("deep", "too_deep_entry")]
    assert kept["imported"] == 1
    page = browser.get(reverse("meetings:clinic_source", args=[cast.clinic.slug, source.pk]))
    assert "<code>deep</code>: Entry 1 is nested too deeply to be a meeting." in (
        page.content.decode()
    )


# --- the command line -------------------------------------------------------------------------


def test_the_command_line_reports_a_superscript_day_and_exits_0(cast, capsys, tmp_path):
    path = tmp_path / "hostile.json"
    path.write_bytes(SUPERSCRIPT_DAY)
    status = cli.main(["meetings", "import", "--clinic", "north", str(path)])
    out, _err = capsys.readouterr()
    assert status == 0
    printed = json.loads(out)
    assert printed["imported"] == 1
    assert printed["rejected"] == [
        {"slug": "squared", "reason": "Its day ² is not 0 (Sunday) to 6 (Saturday)."}
    ]


def test_the_command_line_reports_a_deeply_nested_meeting_and_exits_0(cast, capsys, tmp_path):
    path = tmp_path / "deep.json"

    def run(depth: int):
        path.write_bytes(_nested(depth))
        status = cli.main(["meetings", "import", "--clinic", "north", str(path)])
        out, err = capsys.readouterr()
        if status == 2:
            assert "nested too deeply to be a list" in err
            return None
        assert status == 0
        return json.loads(out)

    _depth, printed = _deepest_first(run)
    assert [r["slug"] for r in printed["rejected"]] == ["deep"]
    assert "nested too deeply" in printed["rejected"][0]["reason"]


# --- the worker -------------------------------------------------------------------------------


def _serve(monkeypatch, bodies: dict[str, bytes]) -> list[str]:
    fetched: list[str] = []

    def fake_fetch(url: str) -> bytes:
        fetched.append(url)
        return bodies[url]

    monkeypatch.setattr(imports, "fetch", fake_fetch)
    return fetched


def test_the_worker_reads_hostile_feeds_and_goes_on_to_the_next(cast, monkeypatch):
    now = timezone.now()
    first = web_source(cast.clinic, "https://lists.example/a.json")
    second = web_source(cast.clinic, "https://lists.example/b.json")
    fetched = _serve(
        monkeypatch,
        {first.url: SUPERSCRIPT_DAY, second.url: feed(entry("from-b"))},
    )
    assert refresh_due(now) == {"read": 2, "failed": 0}
    assert sorted(fetched) == [first.url, second.url]
    assert set(Meeting.objects.values_list("slug", flat=True)) == {"fine", "from-b"}
    first.refresh_from_db()
    assert first.last_outcome == MeetingSource.Outcome.PARTIAL
    assert [r["code"] for r in first.last_report["rejected"]] == ["bad_day"]


def test_the_worker_reads_a_deeply_nested_feed(cast, monkeypatch):
    source = web_source(cast.clinic, "https://lists.example/deep.json")
    bodies: dict[str, bytes] = {}
    _serve(monkeypatch, bodies)

    def refresh(depth: int):
        bodies[source.url] = _nested(depth)
        MeetingSource.objects.filter(pk=source.pk).update(next_refresh_at=None)
        refresh_due(timezone.now())
        source.refresh_from_db()
        return None if source.last_report["error"] else source.last_report

    _depth, kept = _deepest_first(refresh)
    assert [(r["slug"], r["code"]) for r in kept["rejected"]] == [("deep", "too_deep_entry")]


def test_a_source_that_breaks_the_import_is_recorded_and_the_worker_goes_on(
    cast, monkeypatch, caplog
):
    now = timezone.now()
    broken = web_source(cast.clinic, "https://lists.example/broken.json")
    later = web_source(cast.clinic, "https://lists.example/later.json")
    _serve(monkeypatch, {broken.url: feed(entry("secret-name")), later.url: feed(entry("ok"))})
    real_parse = imports.parse

    def crash_on_broken(raw, **options):
        if b"secret-name" in raw:
            raise RuntimeError("Secret Name Anonymous could not be stored")
        return real_parse(raw, **options)

    monkeypatch.setattr(imports, "parse", crash_on_broken)
    with caplog.at_level(logging.ERROR, logger="waypost.connect.meetings.tasks"):
        assert refresh_due(now) == {"read": 1, "failed": 1}
    assert list(Meeting.objects.values_list("slug", flat=True)) == ["ok"]
    broken.refresh_from_db()
    assert broken.last_outcome == MeetingSource.Outcome.FAILED
    assert broken.last_report["error"]["code"] == "import_failed"
    assert broken.last_import_at == now
    assert broken.next_refresh_at == now + timedelta(hours=2)  # tried again sooner
    (record,) = caplog.records
    logged = record.getMessage() + (record.exc_text or "")
    assert "RuntimeError" in logged and str(broken.pk) in logged
    assert "Secret" not in logged and record.exc_info is None
    page_words = reasons.describe("import_failed")
    assert "Nothing was changed" in page_words or "nothing was changed" in page_words
