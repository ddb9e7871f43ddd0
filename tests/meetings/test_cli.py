"""``waypost meetings import|soon``: the exact contract of the command line.

Run in this process (``waypost.cli.main``) against the test database, and once as a real
process, to see the console command and its exit status end to end.
"""

from __future__ import annotations

import json
from datetime import UTC, datetime, time

import pytest

from tests.meetings.helpers import entry, feed, hand_meeting
from waypost import cli
from waypost.connect.meetings.models import Meeting, MeetingSource

pytestmark = pytest.mark.django_db


def run(capsys, *args: str) -> tuple[int, str, str]:
    status = cli.main(["meetings", *args])
    out, err = capsys.readouterr()
    return status, out, err


# --- import -------------------------------------------------------------------------------------


def test_import_prints_the_counts_and_each_refused_meeting_and_exits_0(cast, capsys, tmp_path):
    path = tmp_path / "list.json"
    path.write_bytes(feed(entry("good"), entry("late", time="25:00"), {"name": "No slug"}))
    status, out, err = run(capsys, "import", "--clinic", "north", str(path))
    assert status == 0, err
    assert json.loads(out) == {
        "imported": 1,
        "updated": 0,
        "unchanged": 0,
        "rejected": [
            {
                "slug": "late",
                "reason": "Its time 25:00 is not a time of day such as 19:00 or 7:00 PM.",
            },
            {"slug": "#3", "reason": "It has no slug."},
        ],
    }
    # the same file again: the same source, the same meetings
    status, out, _err = run(capsys, "import", "--clinic", "north", str(path))
    assert status == 0
    assert json.loads(out)["unchanged"] == 1
    assert MeetingSource.objects.filter(clinic=cast.clinic).count() == 1


def test_import_gives_meetings_without_a_zone_the_one_asked_for(cast, capsys, tmp_path):
    path = tmp_path / "list.json"
    path.write_bytes(feed(entry("a", timezone=None), entry("b", timezone="Asia/Tokyo")))
    status, _out, err = run(
        capsys, "import", "--clinic", "north", "--timezone", "America/Chicago", str(path)
    )
    assert status == 0, err
    zones = dict(Meeting.objects.values_list("slug", "time_zone"))
    assert zones == {"a": "America/Chicago", "b": "Asia/Tokyo"}


def test_import_without_a_zone_uses_the_clinics(cast, capsys, tmp_path):
    path = tmp_path / "list.json"
    path.write_bytes(feed(entry("a", timezone=None)))
    assert run(capsys, "import", "--clinic", "north", str(path))[0] == 0
    assert Meeting.objects.get(slug="a").time_zone == "Asia/Singapore"


@pytest.mark.parametrize(
    ("content", "words"),
    [
        (b"<html>oops</html>", "not valid JSON"),
        (b'{"meetings": []}', "not a list of meetings"),
        (b"\xff\xfe\x00", "not UTF-8"),
    ],
)
def test_import_of_an_unreadable_feed_exits_2_and_changes_nothing(
    cast, capsys, tmp_path, content, words
):
    hand_meeting(cast.clinic, slug="kept")
    path = tmp_path / "bad.json"
    path.write_bytes(content)
    status, out, err = run(capsys, "import", "--clinic", "north", str(path))
    assert status == 2
    assert out == ""
    assert words in err
    assert list(Meeting.objects.values_list("slug", flat=True)) == ["kept"]


def test_import_of_a_missing_file_exits_2(cast, capsys, tmp_path):
    status, _out, err = run(capsys, "import", "--clinic", "north", str(tmp_path / "none.json"))
    assert status == 2 and "could not be read" in err
    assert not MeetingSource.objects.exists()


@pytest.mark.parametrize(
    ("args", "words"),
    [
        (["--clinic", "nowhere"], "no clinic with the slug 'nowhere'"),
        (["--clinic", "north", "--timezone", "Mars/Base"], "unknown time zone 'Mars/Base'"),
        (["--clinic", "north", "--fellowship", "XYZ"], "unknown fellowship 'XYZ'"),
    ],
)
def test_import_refuses_unknown_clinics_zones_and_fellowships(cast, capsys, tmp_path, args, words):
    path = tmp_path / "list.json"
    path.write_bytes(feed(entry()))
    status, out, err = run(capsys, "import", *args, str(path))
    assert (status, out) == (2, "")
    assert words in err
    assert not Meeting.objects.exists()


def test_import_refuses_an_address_that_is_not_http(cast, capsys):
    status, _out, err = run(capsys, "import", "--clinic", "north", "ftp://example.org/x.json")
    # not a web address, so read as a file name, which does not exist
    assert status == 2 and "could not be read" in err


# --- soon -----------------------------------------------------------------------------------


def _three(cast) -> None:
    # Monday 9 June 2025, 12:00 UTC is 20:00 in Singapore and 08:00 in New York.
    hand_meeting(cast.clinic, slug="sg-2030", name="SG 20:30", days=[1], time=time(20, 30))
    hand_meeting(
        cast.clinic,
        slug="ny-0900",
        name="NY 09:00",
        days=[1],
        time=time(9),
        time_zone="America/New_York",
    )
    hand_meeting(cast.clinic, slug="sg-2000", name="SG 20:00", days=[1], time=time(20))
    hand_meeting(
        cast.clinic, slug="in-room", name="Room", days=[1], time=time(20, 15), online=False
    )
    hand_meeting(cast.clinic, slug="later", name="Later", days=[1], time=time(23))
    hand_meeting(cast.other_clinic, slug="south", name="South", days=[1], time=time(12, 30))


def test_soon_lists_online_meetings_within_the_hours_across_zones_in_order(cast, capsys):
    _three(cast)
    status, out, err = run(
        capsys, "soon", "--clinic", "north", "--at", "2025-06-09T12:00:00+00:00", "--json"
    )
    assert status == 0, err
    assert json.loads(out) == [
        {"slug": "sg-2000", "name": "SG 20:00", "starts_at": "2025-06-09T12:00:00+00:00"},
        {"slug": "sg-2030", "name": "SG 20:30", "starts_at": "2025-06-09T12:30:00+00:00"},
        {"slug": "ny-0900", "name": "NY 09:00", "starts_at": "2025-06-09T13:00:00+00:00"},
    ]


def test_soon_takes_any_offset_and_other_hours(cast, capsys):
    _three(cast)
    status, out, _err = run(
        capsys,
        "soon",
        "--clinic",
        "north",
        "--at",
        "2025-06-09T20:00+08:00",
        "--hours",
        "0.75",
        "--json",
    )
    assert status == 0
    assert [row["slug"] for row in json.loads(out)] == ["sg-2000", "sg-2030"]
    starts = [datetime.fromisoformat(row["starts_at"]) for row in json.loads(out)]
    assert all(s.tzinfo is not None and s.utcoffset().total_seconds() == 0 for s in starts)


def test_soon_with_nothing_prints_an_empty_array(cast, capsys):
    status, out, _err = run(capsys, "soon", "--clinic", "north", "--json")
    assert (status, json.loads(out)) == (0, [])


@pytest.mark.parametrize(
    ("args", "words"),
    [
        (["--clinic", "north", "--at", "2025-06-09T12:00:00"], "is not an instant"),
        (["--clinic", "north", "--at", "next tuesday"], "is not an instant"),
        (["--clinic", "north", "--hours", "-1"], "--hours"),
        (["--clinic", "north", "--hours", "many"], "--hours"),
        (["--clinic", "nowhere"], "no clinic with the slug 'nowhere'"),
    ],
)
def test_soon_refuses_naive_instants_bad_hours_and_unknown_clinics(cast, capsys, args, words):
    status, out, err = run(capsys, "soon", *args, "--json")
    assert (status, out) == (2, "")
    assert words in err


def test_soon_and_the_page_agree(cast, capsys, client):
    """The command and the page call the same selector: the same meetings, the same order."""
    from waypost.connect.meetings import selectors

    _three(cast)
    at = datetime(2025, 6, 9, 12, tzinfo=UTC)
    status, out, _err = run(capsys, "soon", "--clinic", "north", "--at", at.isoformat(), "--json")
    assert status == 0
    found = selectors.starting_soon(cast.clinic, at=at, hours=2)
    assert [row["slug"] for row in json.loads(out)] == [s.meeting.slug for s in found]
