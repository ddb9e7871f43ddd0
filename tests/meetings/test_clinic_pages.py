"""The clinic's Meetings page: sources, their reports, importing now, meetings by hand."""

from __future__ import annotations

from datetime import time

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.urls import reverse

from tests.meetings.helpers import entry, feed, file_source, hand_meeting, log
from waypost.connect.meetings.imports import import_feed
from waypost.connect.meetings.models import Meeting, MeetingSource

pytestmark = pytest.mark.django_db


def _upload(content: bytes, name: str = "list.json") -> SimpleUploadedFile:
    return SimpleUploadedFile(name, content, content_type="application/json")


def test_an_uploaded_file_is_imported_and_each_refusal_is_explained(cast, as_user):
    browser = as_user(cast.admin)
    response = browser.post(
        reverse("meetings:clinic_source_new", args=[cast.clinic.slug]),
        {
            "name": "Intergroup list",
            "fellowship": "SA",
            "time_zone": "",
            "upload": _upload(feed(entry("good"), entry("late", time="25:00"))),
        },
    )
    source = MeetingSource.objects.get(clinic=cast.clinic)
    assert response.status_code == 302
    assert response["Location"] == reverse(
        "meetings:clinic_source", args=[cast.clinic.slug, source.pk]
    )
    assert source.is_file and not source.refresh
    assert list(Meeting.objects.values_list("slug", "fellowship")) == [("good", "SA")]
    page = browser.get(response["Location"]).content.decode()
    assert "1 new, 0 changed, 0 unchanged" in page
    assert "<code>late</code>: Its time 25:00 is not a time of day" in page


def test_a_feed_that_cannot_be_fetched_is_reported_and_nothing_changes(cast, as_user, monkeypatch):
    # Nothing listens on 127.0.0.1:9; the opt-in lets Waypost try (and fail) to fetch it.
    monkeypatch.setenv("WAYPOST_MEETING_FEEDS_ALLOW_PRIVATE", "true")
    hand_meeting(cast.clinic, slug="kept")
    browser = as_user(cast.clinician)  # the clinic's clinicians manage its lists too
    response = browser.post(
        reverse("meetings:clinic_source_new", args=[cast.clinic.slug]),
        {"name": "Nowhere", "url": "http://127.0.0.1:9/feed.json", "refresh": "on"},
        follow=True,
    )
    page = response.content.decode()
    assert "Nothing was changed: The feed could not be fetched" in page
    assert list(Meeting.objects.values_list("slug", flat=True)) == ["kept"]
    source = MeetingSource.objects.get(url="http://127.0.0.1:9/feed.json")
    assert source.refresh and source.last_outcome == MeetingSource.Outcome.FAILED


def test_a_source_needs_an_address_or_a_file_and_a_web_address(cast, as_user):
    browser = as_user(cast.admin)
    url = reverse("meetings:clinic_source_new", args=[cast.clinic.slug])
    assert browser.post(url, {"name": "Empty"}).status_code == 400
    assert browser.post(url, {"name": "Evil", "url": "javascript:alert(1)"}).status_code == 400
    assert not MeetingSource.objects.exists()


def test_import_now_reads_a_new_copy_of_a_file_and_keeps_identities(cast, as_user):
    source = file_source(cast.clinic)
    import_feed(source=source, raw=feed(entry("a", name="Old name"), entry("b")))
    a = Meeting.objects.get(slug="a")
    browser = as_user(cast.admin)
    url = reverse("meetings:clinic_source_import", args=[cast.clinic.slug, source.pk])
    response = browser.post(
        url, {"upload": _upload(feed(entry("a", name="New name")))}, follow=True
    )
    assert "0 new, 1 changed, 0 unchanged. 1 meeting left the feed and is hidden." in (
        response.content.decode()
    )
    a.refresh_from_db()
    assert a.name == "New name"
    assert list(Meeting.objects.filter(active=True).values_list("slug", flat=True)) == ["a"]


def test_import_now_without_a_file_says_so_and_changes_nothing(cast, as_user):
    source = file_source(cast.clinic)
    import_feed(source=source, raw=feed(entry("a")))
    response = as_user(cast.admin).post(
        reverse("meetings:clinic_source_import", args=[cast.clinic.slug, source.pk]), follow=True
    )
    assert "choose the file to import again" in response.content.decode()
    assert Meeting.objects.get(slug="a").active


def test_changing_a_source_applies_at_its_next_import(cast, as_user):
    source = file_source(cast.clinic)
    browser = as_user(cast.admin)
    url = reverse("meetings:clinic_source", args=[cast.clinic.slug, source.pk])
    response = browser.post(
        url, {"name": "Renamed", "fellowship": "SLAA", "time_zone": "Europe/London"}
    )
    assert response.status_code == 302
    source.refresh_from_db()
    assert (source.name, source.fellowship, source.time_zone) == (
        "Renamed",
        "SLAA",
        "Europe/London",
    )
    assert browser.post(url, {"name": "X", "time_zone": "Mars/Base"}).status_code == 400


def test_removing_a_source_takes_its_meetings_out(cast, as_user):
    source = file_source(cast.clinic)
    import_feed(source=source, raw=feed(entry("a"), entry("b")))
    browser = as_user(cast.admin)
    url = reverse("meetings:clinic_source_remove", args=[cast.clinic.slug, source.pk])
    assert "2 meetings leave your clients" in browser.get(url).content.decode()
    browser.post(url)
    assert not Meeting.objects.exists() and not MeetingSource.objects.exists()


def test_the_admin_sees_the_clinic_tabs_and_a_clinician_does_not(cast, as_user):
    url = reverse("meetings:clinic", args=[cast.clinic.slug])
    assert "Audit trail" in as_user(cast.admin).get(url).content.decode()
    page = as_user(cast.clinician).get(url).content.decode()
    assert "Audit trail" not in page and "The meeting list as clients see it" in page


def test_another_clinics_source_is_not_found(cast, as_user):
    south = file_source(cast.other_clinic)
    url = reverse("meetings:clinic_source", args=[cast.clinic.slug, south.pk])
    assert as_user(cast.admin).get(url).status_code == 404


# --- meetings by hand ----------------------------------------------------------------------------


def _hand_form(**fields) -> dict:
    data = {
        "name": "Clinic Thursday Group",
        "fellowship": "SAA",
        "day": ["4"],
        "time": "19:00",
        "end_time": "20:30",
        "time_zone": "Asia/Singapore",
        "location": "Room 2",
        "address": "1 Example Road",
        "city": "Singapore",
        "types": "O, BE, EN",
    }
    data.update(fields)
    return data


def test_a_meeting_added_by_hand_is_checked_like_a_feeds_and_listed(cast, as_user):
    browser = as_user(cast.admin)
    url = reverse("meetings:clinic_meeting_new", args=[cast.clinic.slug])
    assert browser.post(url, _hand_form(time="")).status_code == 400  # a day but no time
    bad_link = browser.post(url, _hand_form(conference_url="javascript:alert(1)"))
    assert bad_link.status_code == 400
    assert "is not an http:// or https:// address" in bad_link.content.decode()
    assert browser.post(url, _hand_form()).status_code == 302
    meeting = Meeting.objects.get()
    assert meeting.by_hand and meeting.source is None
    assert (meeting.slug, meeting.days, meeting.time) == ("clinic-thursday-group", [4], time(19))
    assert meeting.in_person and not meeting.online
    assert meeting.languages == ["en"]
    browser.post(url, _hand_form())
    assert Meeting.objects.filter(slug="clinic-thursday-group-2").exists()


def test_a_hand_meeting_is_changed_and_removed(cast, as_user):
    browser = as_user(cast.admin)
    browser.post(reverse("meetings:clinic_meeting_new", args=[cast.clinic.slug]), _hand_form())
    meeting = Meeting.objects.get()
    edit = reverse("meetings:clinic_meeting_edit", args=[cast.clinic.slug, meeting.pk])
    assert "Clinic Thursday Group" in browser.get(edit).content.decode()
    browser.post(edit, _hand_form(name="Renamed group", day=["4", "1"]))
    meeting.refresh_from_db()
    assert (meeting.name, meeting.days, meeting.slug) == (
        "Renamed group",
        [1, 4],
        "clinic-thursday-group",
    )
    log(cast, meeting)
    remove = reverse("meetings:clinic_meeting_remove", args=[cast.clinic.slug, meeting.pk])
    browser.post(remove)
    meeting.refresh_from_db()
    assert not meeting.active  # kept for the client who logged it


def test_a_feeds_meeting_is_not_edited_by_hand(cast, as_user):
    import_feed(source=file_source(cast.clinic), raw=feed(entry("a")))
    meeting = Meeting.objects.get()
    url = reverse("meetings:clinic_meeting_edit", args=[cast.clinic.slug, meeting.pk])
    assert as_user(cast.admin).get(url).status_code == 404
