"""Reading Meeting Guide feeds: what is taken, what is refused and why (no database)."""

from __future__ import annotations

import json
from datetime import UTC, datetime, time

import pytest
from hypothesis import given
from hypothesis import strategies as st

from tests.meetings.helpers import entry, feed
from waypost.connect.meetings import reasons
from waypost.connect.meetings.feed import FeedError, parse, parse_time
from waypost.connect.meetings.vocabulary import FELLOWSHIP_CODES


def _parse(raw: bytes, **options):
    return parse(raw, time_zone="Asia/Singapore", fellowships=FELLOWSHIP_CODES, **options)


def _codes(result) -> dict[str, str]:
    return {rejected.slug: rejected.problem.code for rejected in result.rejected}


def _feed_error(raw: bytes, **options) -> str:
    with pytest.raises(FeedError) as caught:
        _parse(raw, **options)
    return caught.value.problem.code


# --- a good feed ----------------------------------------------------------------------------


def test_a_valid_feed_gives_every_meeting_with_its_fields():
    result = _parse(
        feed(
            entry(
                "sunday-serenity",
                name="Sunday Serenity",
                day=0,
                time="18:00",
                end_time="19:30",
                timezone=None,
                conference_url=None,
                location="Fictional Hall",
                address="1 Example Road",
                city="Singapore",
                postal_code=160001,
                region="Central",
                sub_region="Tiong Bahru",
                latitude="1.2860",
                longitude=103.827,
                types=["O", "D", "EN", "ZH"],
                notes="Ring the bell.\r\nSecond floor.",
                updated="2024-05-31 14:32:23",
                url="https://example.org/meetings/sunday",
            ),
            entry("online-only", conference_phone="+1 555 0100,,123#"),
        )
    )
    assert result.rejected == []
    sunday, online = result.meetings
    assert (sunday.slug, sunday.name, sunday.days) == ("sunday-serenity", "Sunday Serenity", [0])
    assert (sunday.time, sunday.end_time) == (time(18), time(19, 30))
    assert sunday.time_zone == "Asia/Singapore"  # the source's, as the meeting names none
    assert sunday.in_person and not sunday.online
    assert sunday.postal_code == "160001"
    assert sunday.region == "Central › Tiong Bahru"
    assert (sunday.latitude, sunday.longitude) == (1.286, 103.827)
    assert sunday.languages == ["en", "zh"]
    assert sunday.notes == "Ring the bell.\nSecond floor."
    assert sunday.updated == datetime(2024, 5, 31, 14, 32, 23, tzinfo=UTC)
    assert online.online and not online.in_person  # a link and no street address
    assert online.time_zone == "America/New_York"
    assert online.conference_phone == "+1 555 0100,,123#"


@pytest.mark.parametrize(
    ("written", "expected"),
    [
        ("19:00", time(19)),
        ("7:05", time(7, 5)),
        ("19:00:00", time(19)),
        ("7:00 PM", time(19)),
        ("7:00pm", time(19)),
        ("7 pm", time(19)),
        ("12:00 AM", time(0)),
        ("12:30 PM", time(12, 30)),
        ("7:00 p.m.", time(19)),
        ("00:00", time(0)),
        ("23:59", time(23, 59)),
    ],
)
def test_times_are_read_as_real_feeds_write_them(written, expected):
    assert parse_time(written) == expected


@pytest.mark.parametrize(
    "written", ["25:00", "24:00", "19:60", "13:00 PM", "0:30 AM", "19", "noon", "7:00 XM", ""]
)
def test_what_is_not_a_time_is_not_taken(written):
    assert parse_time(written) is None


@pytest.mark.parametrize(
    ("day", "days"),
    [(0, [0]), ("3", [3]), ([1, 3, 5], [1, 3, 5]), (["6", 0], [0, 6]), ("Tuesday", [2])],
)
def test_days_may_be_a_number_digits_a_list_or_a_name(day, days):
    (meeting,) = _parse(feed(entry(day=day))).meetings
    assert meeting.days == days


def test_a_meeting_by_appointment_has_neither_day_nor_time():
    (meeting,) = _parse(feed(entry(day=None, time="", end_time=None))).meetings
    assert meeting.days == [] and meeting.time is None


def test_numbers_are_fine_as_slugs_and_a_hybrid_meeting_is_both():
    (meeting,) = _parse(feed(entry(address="2 Sample Avenue") | {"slug": 42})).meetings
    assert meeting.slug == "42"
    assert meeting.online and meeting.in_person


def test_location_temporarily_closed_leaves_only_the_online_side():
    (meeting,) = _parse(feed(entry(address="2 Sample Avenue", types=["TC", "O"]))).meetings
    assert meeting.online and not meeting.in_person


def test_a_meeting_may_name_a_known_fellowship_of_its_own():
    result = _parse(feed(entry("a", fellowship="slaa"), entry("b", fellowship="Made Up")))
    assert [m.fellowship for m in result.meetings] == ["SLAA"]
    assert _codes(result) == {"b": "unknown_fellowship"}


# --- partial feeds: each bad meeting refused with its reason ----------------------------------


def test_each_bad_meeting_is_refused_with_its_reason_and_the_rest_are_taken():
    result = _parse(
        feed(
            entry("good"),
            entry("no-name", name=None),
            {"name": "No slug", "day": 1, "time": "19:00"},
            entry("bad-day", day=7),
            entry("bool-day", day=True),
            entry("late", time="25:00"),
            entry("bad-end", end_time="7:00 XM"),
            entry("no-time", time=None),
            entry("no-day", day=None),
            entry("mars", timezone="Mars/Olympus_Mons"),
            entry("evil-link", conference_url="javascript:alert(1)"),
            entry("types", types="O"),  # one code as text: fine
            entry("bad-types", types={"O": 1}),
            entry("name-object", name={"en": "Hello"}),
            entry("far", latitude=91, longitude=0),
            entry("phone", conference_phone="call me"),
            entry("good", name="Second good"),
            entry("with space"),
            "not a meeting",
            entry("deep", notes=[[[[["junk"]]]]]),
        )
    )
    assert [m.slug for m in result.meetings] == ["good", "types"]
    assert _codes(result) == {
        "no-name": "missing",
        "#3": "missing",
        "bad-day": "bad_day",
        "bool-day": "bad_day",
        "late": "bad_time",
        "bad-end": "bad_time",
        "no-time": "day_without_time",
        "no-day": "time_without_day",
        "mars": "unknown_zone",
        "evil-link": "bad_url",
        "bad-types": "bad_types",
        "name-object": "bad_type",
        "far": "bad_coordinate",
        "phone": "bad_phone",
        "with space": "bad_slug",
        "#19": "not_an_object",
        "deep": "bad_type",
    } | {"good": "duplicate_slug"}
    assert result.entries == 20


def test_every_reason_reads_as_a_sentence():
    result = _parse(feed(entry("late", time="25:00"), entry("mars", timezone="Mars/Base")))
    words = [reasons.describe(r.problem.code, r.problem.params) for r in result.rejected]
    assert words == [
        "Its time 25:00 is not a time of day such as 19:00 or 7:00 PM.",
        "Its time zone Mars/Base is not one Waypost knows.",
    ]


def test_zero_zero_coordinates_are_a_placeholder_not_a_place():
    (meeting,) = _parse(feed(entry(latitude=0, longitude=0))).meetings
    assert meeting.latitude is None and meeting.longitude is None


# --- hostile feeds: refused as a whole -------------------------------------------------------


@pytest.mark.parametrize(
    ("raw", "code"),
    [
        (b"<html>Not found</html>", "not_json"),
        (b'{"meetings": []}', "not_a_list"),
        (b'"a string"', "not_a_list"),
        (b"", "empty_file"),
        (b"   \n", "empty_file"),
        (b"[" * 100_000 + b"]" * 100_000, "too_deep"),
        ('[{"name": "Caf\xe9"}]'.encode("latin-1"), "not_utf8"),
        (b"\xff\xfe[\x00]\x00", "not_utf8"),
    ],
)
def test_a_feed_that_cannot_be_read_is_refused_whole(raw, code):
    assert _feed_error(raw) == code


def test_an_enormous_feed_is_refused_before_it_is_parsed():
    raw = b"[" + b" " * 200 + b"]"
    assert _feed_error(raw, max_bytes=100) == "too_large"


def test_a_feed_with_too_many_meetings_is_refused():
    raw = feed(*[entry(f"m{n}") for n in range(11)])
    assert _feed_error(raw, max_meetings=10) == "too_many"


def test_a_byte_order_mark_is_fine():
    assert len(_parse(b"\xef\xbb\xbf" + feed(entry())).meetings) == 1


def test_nan_and_infinity_are_not_coordinates():
    raw = b'[{"name": "X", "slug": "x", "latitude": NaN, "longitude": Infinity}]'
    assert _codes(_parse(raw)) == {"x": "bad_coordinate"}


def test_the_fingerprint_changes_with_the_content_only():
    a = _parse(feed(entry(name="A"))).meetings[0]
    again = _parse(feed(entry(name="A"))).meetings[0]
    b = _parse(feed(entry(name="B"))).meetings[0]
    assert a.fingerprint() == again.fingerprint() != b.fingerprint()


# --- whatever comes in, only a FeedError or a result comes out ---------------------------------

json_values = st.recursive(
    st.none() | st.booleans() | st.integers() | st.floats() | st.text(max_size=20),
    lambda children: (
        st.lists(children, max_size=4)
        | st.dictionaries(
            st.sampled_from(
                ["name", "slug", "day", "time", "end_time", "timezone", "types", "latitude", "x"]
            ),
            children,
            max_size=6,
        )
    ),
    max_leaves=20,
)


@given(st.binary(max_size=300))
def test_any_bytes_give_a_result_or_a_feed_error(raw):
    try:
        result = _parse(raw)
    except FeedError as exc:
        assert exc.problem.code in reasons.REASONS
    else:
        assert len(result.meetings) + len(result.rejected) == result.entries


@given(st.lists(json_values, max_size=6))
def test_any_json_list_gives_meetings_and_reasons_for_every_entry(entries):
    raw = json.dumps(entries).encode("utf-8")
    result = _parse(raw)
    assert len(result.meetings) + len(result.rejected) == len(entries)
    for rejected in result.rejected:
        assert rejected.problem.code in reasons.REASONS
        assert reasons.describe(rejected.problem.code, rejected.problem.params)
